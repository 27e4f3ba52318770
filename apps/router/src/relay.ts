import {
  anthropicMessageResponseSchema,
  anthropicToOpenAIResponse,
  createStreamTranslator,
  type Dialect,
  errorResponse,
  openaiChatResponseSchema,
  openaiResponseError,
  openaiToAnthropicResponse,
  parseUpstreamError,
  type StreamTranslator,
  translateSseBody,
  type Usage,
  usageFromAnthropic,
  usageFromOpenAI,
  WireError,
} from '@split-brain/wire';
import { answerTextOf, StreamAnswer } from './answer-text.ts';
import type { UpstreamRequest } from './upstream-request.ts';
import { UsageTap } from './usage-tap.ts';

/** How a forwarded request ended, for the ledger, the audit line and the metrics. */
export interface RelayOutcome {
  status: number;
  usage: Usage | null;
  /** The response did not reach its proper end: the client went away or the upstream broke off. */
  interrupted: boolean;
  error?: string;
  ttfbMs: number | null;
}

export interface RelayOptions {
  upstream: UpstreamRequest;
  clientDialect: Dialect;
  stream: boolean;
  /** The upstream answers plain JSON passed through as it is (count_tokens). */
  rawJson?: boolean;
  /** OpenAI clients: stream_options.include_usage. */
  includeUsage: boolean;
  requestId: string;
  /** Headers every response carries (request id, route, score). */
  headers: Record<string, string>;
  timeoutMs: number;
  clientSignal: AbortSignal;
  startedAt: number;
  brainName: string;
  fetchImpl?: typeof fetch;
  /** Called once, when the response has completed, failed, or been abandoned by the client. */
  finish: (outcome: RelayOutcome) => void;
  /** Called with the status when the upstream answered an error (e.g. to re-discover a model after a 404). */
  onUpstreamStatus?: (status: number) => void;
  /** Called once with the assistant turn the client received, even in part (session-taint.ts answerKey). */
  onAnswer?: (answer: string) => void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/**
 * Sends the upstream request and relays the answer in the client's dialect. Same-dialect streams are piped
 * byte for byte with a usage tap; cross-dialect streams go through the wire library's translators. The
 * upstream call is aborted when the client disconnects, and on UPSTREAM_TIMEOUT_MS.
 */
export async function relay(o: RelayOptions): Promise<Response> {
  // One controller, a timer cleared at the end and a listener on the client's signal: AbortSignal.timeout
  // would keep a timer per request alive for the whole UPSTREAM_TIMEOUT_MS, and AbortSignal.any over the
  // client's signal makes every upstream fetch markedly dearer.
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort(new DOMException('the upstream timeout passed', 'TimeoutError'));
  }, o.timeoutMs);
  const onClientGone = () => abort.abort();
  o.clientSignal.addEventListener('abort', onClientGone, { once: true });
  if (o.clientSignal.aborted) abort.abort();
  const signal = abort.signal;
  const elapsed = () => performance.now() - o.startedAt;
  let finished = false;
  /** What the client received of the answer, when someone wants to read it back (`onAnswer`). */
  let answer: (() => string) | undefined;
  const finish = (outcome: RelayOutcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    o.clientSignal.removeEventListener('abort', onClientGone);
    if (answer && o.onAnswer) o.onAnswer(answer());
    o.finish(outcome);
  };
  const fail = (error: WireError, interrupted = false): Response => {
    const { status, body } = errorResponse(error, o.clientDialect, o.requestId);
    finish({ status, usage: null, interrupted, error: error.message, ttfbMs: elapsed() });
    return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
  };

  let response: Response;
  // Claude's own request-id goes back to the client (it names the request to Anthropic support); the
  // local route, and any failure before Claude answered, carries the router's id.
  const headers: Record<string, string> = { 'request-id': o.requestId, ...o.headers };
  try {
    response = await (o.fetchImpl ?? fetch)(o.upstream.url, {
      method: 'POST',
      headers: o.upstream.headers,
      // The value built (and, for Claude, classified) is what goes out: serialised here, once.
      body: JSON.stringify(o.upstream.body),
      signal,
    });
  } catch (error) {
    return fail(transportError(error, o, timedOut), o.clientSignal.aborted);
  }

  const claudeRequestId = o.upstream.dialect === 'anthropic' ? response.headers.get('request-id') : null;
  if (claudeRequestId) headers['request-id'] = claudeRequestId;
  if (!response.ok) {
    o.onUpstreamStatus?.(response.status);
    const text = await response.text().catch(() => '');
    return fail(parseUpstreamError(response.status, text.slice(0, 64 * 1024)));
  }

  if (!o.stream || !response.body) {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return fail(transportError(error, o, timedOut), o.clientSignal.aborted);
    }
    const result = o.rawJson
      ? { body: text, usage: null }
      : nonStreamBody(text.trim(), o.upstream.dialect, o.clientDialect);
    if (result instanceof WireError) return fail(result);
    if (o.onAnswer && !o.rawJson) answer = () => answerTextOf(o.clientDialect, result.body);
    finish({ status: 200, usage: result.usage, interrupted: false, ttfbMs: elapsed() });
    return new Response(result.body, { status: 200, headers: { ...JSON_HEADERS, ...headers } });
  }

  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    // A JSON answer to a streaming request is an error in disguise (some servers answer 200 + error body).
    const text = await response.text().catch(() => '');
    return fail(parseUpstreamError(502, text.slice(0, 64 * 1024)));
  }

  const samePair = o.upstream.dialect === o.clientDialect;
  // OpenAI → OpenAI passes bytes through only when the client wanted the usage chunk the router asked for.
  const passthrough = samePair && (o.clientDialect === 'anthropic' || o.includeUsage);
  let source: ReadableStream<Uint8Array>;
  let tap: UsageTap | undefined;
  let translator: StreamTranslator | undefined;
  if (passthrough) {
    tap = new UsageTap(o.clientDialect);
    source = response.body;
  } else {
    translator = createStreamTranslator({
      from: o.upstream.dialect,
      to: o.clientDialect,
      includeUsage: o.includeUsage,
    });
    source = translateSseBody(response.body, translator);
  }

  const reader = source.getReader();
  const encoder = new TextEncoder();
  const streamed = o.onAnswer ? new StreamAnswer(o.clientDialect) : undefined;
  if (streamed) answer = () => streamed.text();
  let ttfbMs: number | null = null;
  const outcome = (interrupted: boolean): RelayOutcome => {
    const failedUpstream = tap ? tap.failed : (translator?.failed ?? false);
    const complete = tap ? tap.finished : (translator?.finished ?? false);
    const sawUsage = tap ? tap.sawUsage : complete;
    const usage = tap ? tap.usage : (translator?.usage ?? null);
    return {
      status: 200,
      usage: sawUsage ? usage : null,
      interrupted: interrupted || !complete,
      ...(failedUpstream ? { error: tap?.failure ?? 'the upstream stream failed' } : {}),
      ttfbMs,
    };
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch {
        // The upstream broke off mid-stream (translated streams report this themselves).
        if (tap) {
          const tail = tap.end();
          if (tail) controller.enqueue(encoder.encode(tail));
        }
        controller.close();
        finish(outcome(true));
        return;
      }
      if (next.done) {
        if (tap) {
          const tail = tap.end();
          if (tail) controller.enqueue(encoder.encode(tail));
        }
        controller.close();
        finish(outcome(false));
        return;
      }
      if (ttfbMs === null) ttfbMs = elapsed();
      tap?.push(next.value);
      streamed?.push(next.value);
      controller.enqueue(next.value);
    },
    cancel() {
      // The client went away: stop the upstream generation and account for what was used.
      abort.abort();
      void reader.cancel().catch(() => {});
      finish(outcome(true));
    },
  });
  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
}

function transportError(error: unknown, o: RelayOptions, timedOut: boolean): WireError {
  if (timedOut) {
    return new WireError(
      504,
      'timeout',
      `${o.brainName} did not answer within ${o.timeoutMs} ms (UPSTREAM_TIMEOUT_MS)`,
    );
  }
  if (o.clientSignal.aborted) return new WireError(499, 'api_error', 'the client closed the connection');
  return new WireError(
    502,
    'api_error',
    `${o.brainName} is unreachable (${error instanceof Error ? error.message : String(error)}); the request was not sent anywhere else`,
  );
}

/** A non-streaming upstream answer in the client's dialect, with its usage; same-dialect bodies pass as-is. */
function nonStreamBody(
  text: string,
  backend: Dialect,
  client: Dialect,
): { body: string; usage: Usage | null } | WireError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new WireError(502, 'api_error', 'the upstream answered with something that is not JSON');
  }
  if (backend === client) {
    // Same dialect: the body passes as it came; only the usage and ScalarLM's in-band failure are read.
    const record = (json ?? {}) as {
      usage?: unknown;
      error?: unknown;
      choices?: { finish_reason?: unknown }[];
    };
    if (
      backend === 'openai' &&
      (record.error != null || record.choices?.some((c) => c.finish_reason === 'error'))
    ) {
      const parsed = openaiChatResponseSchema.safeParse(json);
      return (
        (parsed.success && openaiResponseError(parsed.data)) ||
        new WireError(500, 'api_error', 'the local model failed')
      );
    }
    const usage = record.usage as Parameters<typeof usageFromOpenAI>[0] | undefined;
    if (!usage || typeof usage !== 'object') return { body: text, usage: null };
    return {
      body: text,
      usage: backend === 'openai' ? usageFromOpenAI(usage) : usageFromAnthropic(usage as never),
    };
  }
  if (backend === 'openai') {
    const parsed = openaiChatResponseSchema.safeParse(json);
    if (!parsed.success)
      return new WireError(502, 'api_error', 'the upstream sent a malformed chat completion');
    const failure = openaiResponseError(parsed.data);
    if (failure) return failure;
    const usage = parsed.data.usage ? usageFromOpenAI(parsed.data.usage) : null;
    return { body: JSON.stringify(openaiToAnthropicResponse(parsed.data)), usage };
  }
  const parsed = anthropicMessageResponseSchema.safeParse(json);
  if (!parsed.success) return new WireError(502, 'api_error', 'the upstream sent a malformed message');
  const usage = usageFromAnthropic(parsed.data.usage);
  return { body: JSON.stringify(anthropicToOpenAIResponse(parsed.data)), usage };
}
