/**
 * The Anthropic Messages dialect with the behaviour its SDK sees: `request-id` on every response,
 * the full SSE sequence with `ping`, cumulative `message_delta` usage, `event: error` mid-stream,
 * typed error bodies (429 and 529 with retry-after), count_tokens and the models list.
 */
import {
  anthropicErrorBody,
  extractAnthropicTexts,
  joinTexts,
  kindForStatus,
  validateAnthropicCountTokensRequest,
  validateAnthropicMessagesRequest,
  WireError,
} from '@split-brain/wire';
import { estimateTokens, type Generated, generate } from './generate.ts';
import { pacedStream, sleep } from './paced-stream.ts';
import type { Profile } from './profile.ts';
import { bearerOrApiKey, readJson, type SideContext } from './side-context.ts';

let requestCounter = 0;

export function anthropicRequestId(): string {
  requestCounter = (requestCounter + 1) % 0xffffffff;
  return `req_sim${Date.now().toString(36)}${requestCounter.toString(36).padStart(6, '0')}`;
}

function errorResponse(
  status: number,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
): Response {
  const body = anthropicErrorBody(new WireError(status, kindForStatus(status), message), requestId);
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': requestId, ...extra },
  });
}

function displayName(id: string): string {
  return id
    .replace(/-\d{8}$/, '')
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ')
    .replace(/(\d) (\d)/g, '$1.$2');
}

export function anthropicModelList(profile: Profile, url: URL): unknown {
  const limit = Number(url.searchParams.get('limit') ?? '20');
  const all = profile.models.map((id) => ({
    type: 'model',
    id,
    display_name: displayName(id),
    created_at: '2025-01-01T00:00:00Z',
  }));
  const data = all.slice(0, Number.isFinite(limit) && limit > 0 ? limit : 20);
  return {
    data,
    has_more: data.length < all.length,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}

export function anthropicModel(profile: Profile, id: string, requestId: string): Response {
  if (!profile.models.includes(id)) return errorResponse(404, `model: ${id}`, requestId);
  const model = { type: 'model', id, display_name: displayName(id), created_at: '2025-01-01T00:00:00Z' };
  return new Response(JSON.stringify(model), {
    headers: { 'content-type': 'application/json', 'request-id': requestId },
  });
}

/** Shared checks of /v1/messages and count_tokens: latency, key, version header, JSON. */
async function preamble(
  request: Request,
  ctx: SideContext,
  requestId: string,
): Promise<Response | { body: unknown }> {
  if (ctx.profile.latencyMs > 0) await sleep(ctx.profile.latencyMs, ctx.signal);
  if (ctx.profile.apiKey !== null && bearerOrApiKey(request.headers) !== ctx.profile.apiKey) {
    return errorResponse(401, 'invalid x-api-key', requestId);
  }
  if (!request.headers.get('anthropic-version')) {
    return errorResponse(400, 'anthropic-version: header is required', requestId);
  }
  const json = await readJson(request, ctx.note);
  if (!json.ok) return errorResponse(400, `There was an error parsing the body: ${json.error}`, requestId);
  return { body: json.value };
}

function faultResponse(ctx: SideContext, requestId: string): Response | undefined {
  const fault = ctx.fault;
  if (fault?.kind !== 'http') return undefined;
  const extra: Record<string, string> = {};
  if (fault.status === 429 || fault.status === 529)
    extra['retry-after'] = String(fault.retryAfterSeconds ?? 1);
  const message =
    fault.message ??
    (fault.status === 529 ? 'Overloaded' : fault.status === 429 ? 'Rate limited' : 'Simulated failure');
  return errorResponse(fault.status, message, requestId, extra);
}

export async function handleAnthropicCountTokens(request: Request, ctx: SideContext): Promise<Response> {
  const requestId = anthropicRequestId();
  const pre = await preamble(request, ctx, requestId);
  if (pre instanceof Response) return pre;
  const validated = validateAnthropicCountTokensRequest(pre.body);
  if (!validated.ok)
    return errorResponse(400, `${validated.error.param ?? 'body'}: ${validated.error.message}`, requestId);
  ctx.note.texts = extractAnthropicTexts(validated.value);
  const fault = faultResponse(ctx, requestId);
  if (fault) return fault;
  const inputTokens = estimateTokens(joinTexts(ctx.note.texts));
  return new Response(JSON.stringify({ input_tokens: inputTokens }), {
    headers: { 'content-type': 'application/json', 'request-id': requestId },
  });
}

function stopReason(generated: Generated): string {
  if (generated.stop === 'tool') return 'tool_use';
  if (generated.stop === 'stop_sequence') return 'stop_sequence';
  return generated.stop === 'max_tokens' ? 'max_tokens' : 'end_turn';
}

const event = (value: { type: string }): string => `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;

export async function handleAnthropicMessages(request: Request, ctx: SideContext): Promise<Response> {
  const requestId = anthropicRequestId();
  const pre = await preamble(request, ctx, requestId);
  if (pre instanceof Response) return pre;
  const validated = validateAnthropicMessagesRequest(pre.body);
  if (!validated.ok)
    return errorResponse(400, `${validated.error.param ?? 'body'}: ${validated.error.message}`, requestId);
  const req = validated.value;
  ctx.note.texts = extractAnthropicTexts(req);
  ctx.note.stream = req.stream === true;
  const { profile, fault } = ctx;
  const failure = faultResponse(ctx, requestId);
  if (failure) return failure;
  if (fault?.kind === 'hang' && fault.afterEvents === undefined) {
    await ctx.hangs.wait(ctx.signal);
    return errorResponse(529, 'the simulator was stopped', requestId);
  }
  if (!profile.models.includes(req.model) && !req.model.startsWith('claude')) {
    return errorResponse(404, `model: ${req.model}`, requestId);
  }

  const choice = req.tool_choice;
  const generated = generate({
    model: req.model,
    seedText: joinTexts(ctx.note.texts),
    maxTokens: req.max_tokens,
    stopSequences: req.stop_sequences ?? [],
    tools: (req.tools ?? []).flatMap((tool) =>
      'input_schema' in tool ? [{ name: tool.name, schema: tool.input_schema }] : [],
    ),
    forcedTool:
      choice?.type === 'any'
        ? { mode: 'any' }
        : choice?.type === 'tool'
          ? { mode: 'tool', name: choice.name }
          : undefined,
    parallelToolCalls:
      choice && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use
        ? 1
        : profile.parallelToolCalls,
    thinking: req.thinking?.type === 'enabled' || req.thinking?.type === 'adaptive',
    outputTokens: profile.outputTokens,
  });
  const id = `msg_sim${generated.seed.toString(16)}${Date.now().toString(36)}`;
  const signature = Buffer.from(`sim-signature-${generated.seed}`).toString('base64');
  const content: Record<string, unknown>[] = [];
  if (generated.reasoning) content.push({ type: 'thinking', thinking: generated.reasoning, signature });
  if (generated.text) content.push({ type: 'text', text: generated.text });
  for (const call of generated.toolCalls) {
    content.push({
      type: 'tool_use',
      id: `toolu_${call.id}`,
      name: call.name,
      input: JSON.parse(call.arguments),
    });
  }
  const usage = {
    input_tokens: generated.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: generated.outputTokens,
  };
  const headers = { 'request-id': requestId };

  if (!req.stream) {
    if (fault?.kind === 'upstream-error')
      return errorResponse(500, fault.message ?? 'Internal server error', requestId);
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content,
      stop_reason: stopReason(generated),
      stop_sequence: generated.stopSequence,
      usage,
    };
    let text = JSON.stringify(message);
    if (fault?.kind === 'malformed') text = text.slice(0, Math.floor(text.length / 2));
    return new Response(text, { headers: { 'content-type': 'application/json', ...headers } });
  }

  const prelude = [
    event({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: req.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    } as { type: string }),
  ];
  const tokens: string[] = [];
  let index = 0;
  let pinged = false;
  const startBlock = (block: Record<string, unknown>): void => {
    tokens.push(event({ type: 'content_block_start', index, content_block: block } as { type: string }));
    if (!pinged) {
      tokens.push(event({ type: 'ping' }));
      pinged = true;
    }
  };
  const delta = (value: Record<string, unknown>): void => {
    tokens.push(event({ type: 'content_block_delta', index, delta: value } as { type: string }));
  };
  const stopBlock = (): void => {
    tokens.push(event({ type: 'content_block_stop', index } as { type: string }));
    index++;
  };
  if (generated.reasoning) {
    startBlock({ type: 'thinking', thinking: '', signature: '' });
    for (const piece of generated.reasoning.split(/(?= )/))
      delta({ type: 'thinking_delta', thinking: piece });
    delta({ type: 'signature_delta', signature });
    stopBlock();
  }
  if (generated.pieces.length > 0) {
    startBlock({ type: 'text', text: '' });
    for (const piece of generated.pieces) delta({ type: 'text_delta', text: piece });
    stopBlock();
  }
  for (const call of generated.toolCalls) {
    startBlock({ type: 'tool_use', id: `toolu_${call.id}`, name: call.name, input: {} });
    delta({ type: 'input_json_delta', partial_json: '' });
    const third = Math.ceil(call.arguments.length / 3);
    for (let at = 0; at < call.arguments.length; at += third) {
      delta({ type: 'input_json_delta', partial_json: call.arguments.slice(at, at + third) });
    }
    stopBlock();
  }
  const tail =
    fault?.kind === 'upstream-error'
      ? [
          event({
            type: 'error',
            error: { type: 'overloaded_error', message: fault.message ?? 'Overloaded' },
          } as { type: string }),
        ]
      : [
          event({
            type: 'message_delta',
            delta: { stop_reason: stopReason(generated), stop_sequence: generated.stopSequence },
            usage,
          } as { type: string }),
          event({ type: 'message_stop' }),
        ];
  // An in-band error after N events: cut the sequence there and send the error event.
  let plan = { prelude, tokens, tail };
  if (fault?.kind === 'upstream-error' && fault.afterEvents !== undefined) {
    const all = [...prelude, ...tokens];
    plan = { prelude: all.slice(0, fault.afterEvents), tokens: [], tail };
  }
  const body = pacedStream(plan, profile, fault, ctx.signal, ctx.hangs);
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers },
  });
}
