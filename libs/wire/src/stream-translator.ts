/**
 * SSE-level stream translation for any client/backend dialect pair. The router reads the backend's
 * SSE with `SseReader`, feeds each event to `push`, writes what comes back with `formatSse`, and calls
 * `end` when the backend closes (or `fail` when the connection breaks). Afterwards `usage` holds the
 * final token counts for the audit line and the ledger. Malformed upstream data becomes one clean
 * error event in the client's dialect, after which the stream is over.
 */
import { type AnthropicStreamEvent, anthropicStreamEventSchema } from './anthropic-schema.ts';
import { anthropicErrorType, type Dialect, type ErrorKind, openaiErrorType } from './errors.ts';
import { type OpenAIChunk, openaiChunkSchema } from './openai-schema.ts';
import type { SseEvent } from './sse.ts';
import { AnthropicToOpenAIStream, type OpenAIStreamItem } from './stream-anthropic-to-openai.ts';
import { OpenAIToAnthropicStream } from './stream-openai-to-anthropic.ts';
import { emptyUsage, type Usage, usageFromAnthropic, usageFromOpenAI } from './usage.ts';

export interface StreamTranslator {
  push(event: SseEvent): SseEvent[];
  /** The backend closed the stream; `incomplete` is SseReader.end()'s verdict. */
  end(incomplete?: boolean): SseEvent[];
  /** The backend connection failed; emits the client-dialect error event. */
  fail(message: string, kind?: ErrorKind): SseEvent[];
  readonly usage: Usage;
  /** The stream reached its proper end (message_stop / [DONE]). */
  readonly finished: boolean;
  /** An error event was sent to the client. */
  readonly failed: boolean;
}

export interface StreamTranslatorOptions {
  /** The backend's dialect. */
  from: Dialect;
  /** The client's dialect. */
  to: Dialect;
  /** OpenAI clients: whether they asked for `stream_options.include_usage`. */
  includeUsage?: boolean;
  /** Overrides the model name shown to the client. */
  model?: string;
  /** Clock for the `created` field of translated OpenAI chunks. */
  now?: () => number;
}

// ───────── upstream event parsing ─────────

/** An upstream failure, told to the client as a generic API error. */
const upstreamError = (message: string) => ({ kind: 'error', message, errorKind: 'api_error' }) as const;

const notJson = Symbol('not JSON');

/** The event's data as JSON, or `notJson`; both dialects carry JSON in every event but [DONE]. */
function eventJson(event: SseEvent): unknown {
  try {
    return JSON.parse(event.data);
  } catch {
    return notJson;
  }
}

export type OpenAIUpstreamItem =
  | { kind: 'chunk'; chunk: OpenAIChunk }
  | { kind: 'done' }
  | { kind: 'error'; message: string; errorKind: ErrorKind };

/** Reads one upstream OpenAI-dialect SSE event, including ScalarLM's `data: {"error": "…"}` failures. */
export function parseOpenAIStreamEvent(event: SseEvent): OpenAIUpstreamItem {
  if (event.data === '[DONE]') return { kind: 'done' };
  const value = eventJson(event);
  if (value === notJson) return upstreamError('the upstream sent a stream event that is not JSON');
  if (value && typeof value === 'object' && 'error' in value && (value as { error: unknown }).error != null) {
    const error = (value as { error: unknown }).error;
    const message =
      typeof error === 'string'
        ? error
        : typeof (error as { message?: unknown }).message === 'string'
          ? (error as { message: string }).message
          : 'the upstream reported an error';
    return upstreamError(message);
  }
  const parsed = openaiChunkSchema.safeParse(value);
  if (!parsed.success) return upstreamError('the upstream sent a malformed chat.completion.chunk');
  return { kind: 'chunk', chunk: parsed.data };
}

export type AnthropicUpstreamItem =
  | { kind: 'event'; event: AnthropicStreamEvent }
  | { kind: 'ignored' }
  | { kind: 'error'; message: string; errorKind: ErrorKind };

const knownAnthropicEvents = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

/** Reads one upstream Anthropic SSE event. Unknown event types are ignored, as the SDK does. */
export function parseAnthropicStreamEvent(event: SseEvent): AnthropicUpstreamItem {
  const value = eventJson(event);
  if (value === notJson) return upstreamError('the upstream sent a stream event that is not JSON');
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !knownAnthropicEvents.has(type)) {
    return typeof type === 'string'
      ? { kind: 'ignored' }
      : upstreamError('the upstream sent an event without a type');
  }
  const parsed = anthropicStreamEventSchema.safeParse(value);
  if (!parsed.success) return upstreamError(`the upstream sent a malformed ${type} event`);
  return { kind: 'event', event: parsed.data };
}

// ───────── downstream formatting ─────────

export function anthropicEventToSse(event: AnthropicStreamEvent): SseEvent {
  return { event: event.type, data: JSON.stringify(event) };
}

export function openaiItemToSse(item: OpenAIStreamItem): SseEvent {
  if (item.kind === 'done') return { data: '[DONE]' };
  if (item.kind === 'error') return { data: JSON.stringify({ error: item.error }) };
  return { data: JSON.stringify(item.chunk) };
}

// ───────── translators ─────────

/** What the two translating state machines have in common; `Out` is the item they emit. */
interface TranslatingMachine<Out> {
  readonly usage: Usage;
  readonly finished: boolean;
  readonly failed: boolean;
  pushError(message: string, kind?: ErrorKind): Out[];
  end(): Out[];
}

/** Wraps a translating machine: the SSE parsing is the subclass's, the ending and failing are shared. */
abstract class MachineTranslator<Out, Machine extends TranslatingMachine<Out>> implements StreamTranslator {
  constructor(
    protected readonly machine: Machine,
    private readonly toSse: (item: Out) => SseEvent,
  ) {}
  get usage(): Usage {
    return this.machine.usage;
  }
  get finished(): boolean {
    return this.machine.finished;
  }
  get failed(): boolean {
    return this.machine.failed;
  }
  abstract push(event: SseEvent): SseEvent[];
  end(incomplete = false): SseEvent[] {
    const out =
      incomplete && !this.machine.finished
        ? this.machine.pushError('the upstream stream was cut mid-event')
        : this.machine.end();
    return this.emit(out);
  }
  fail(message: string, kind: ErrorKind = 'api_error'): SseEvent[] {
    return this.emit(this.machine.pushError(message, kind));
  }
  protected emit(out: Out[]): SseEvent[] {
    return out.map(this.toSse);
  }
}

class OpenAIToAnthropicTranslator extends MachineTranslator<AnthropicStreamEvent, OpenAIToAnthropicStream> {
  constructor(options: StreamTranslatorOptions) {
    super(new OpenAIToAnthropicStream(options.model ? { model: options.model } : {}), anthropicEventToSse);
  }
  push(event: SseEvent): SseEvent[] {
    const item = parseOpenAIStreamEvent(event);
    return this.emit(
      item.kind === 'done'
        ? this.machine.pushDone()
        : item.kind === 'error'
          ? this.machine.pushError(item.message, item.errorKind)
          : this.machine.pushChunk(item.chunk),
    );
  }
}

class AnthropicToOpenAITranslator extends MachineTranslator<OpenAIStreamItem, AnthropicToOpenAIStream> {
  constructor(options: StreamTranslatorOptions) {
    super(
      new AnthropicToOpenAIStream({
        includeUsage: options.includeUsage ?? false,
        ...(options.model ? { model: options.model } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
      openaiItemToSse,
    );
  }
  push(event: SseEvent): SseEvent[] {
    const item = parseAnthropicStreamEvent(event);
    if (item.kind === 'ignored') return [];
    return this.emit(
      item.kind === 'error'
        ? this.machine.pushError(item.message, item.errorKind)
        : this.machine.pushEvent(item.event),
    );
  }
}

/** Same dialect on both sides: events go through; what is shared is the ending and the failing. */
abstract class Passthrough implements StreamTranslator {
  usage: Usage = emptyUsage();
  finished = false;
  failed = false;
  abstract push(event: SseEvent): SseEvent[];
  /** The client-dialect error event. */
  protected abstract errorEvent(message: string, kind: ErrorKind): SseEvent;
  end(incomplete = false): SseEvent[] {
    if (this.finished || this.failed) return [];
    return this.fail(
      incomplete
        ? 'the upstream stream was cut mid-event'
        : 'the upstream stream ended before the response was complete',
    );
  }
  fail(message: string, kind: ErrorKind = 'api_error'): SseEvent[] {
    if (this.finished || this.failed) return [];
    this.failed = true;
    return [this.errorEvent(message, kind)];
  }
}

/** OpenAI backend to OpenAI client: passes chunks through, normalising ScalarLM's quirks. */
class OpenAIPassthrough extends Passthrough {
  constructor(private readonly options: StreamTranslatorOptions) {
    super();
  }
  push(event: SseEvent): SseEvent[] {
    if (this.finished || this.failed) return [];
    const item = parseOpenAIStreamEvent(event);
    if (item.kind === 'done') {
      this.finished = true;
      return [{ data: '[DONE]' }];
    }
    if (item.kind === 'error') return this.fail(item.message, item.errorKind);
    const chunk = item.chunk;
    if (chunk.usage) this.usage = usageFromOpenAI(chunk.usage);
    if (this.options.includeUsage && !this.options.model) return [{ data: event.data }];
    // ScalarLM forces include_usage on; a client that did not ask must not see the extra chunk.
    if (!this.options.includeUsage) {
      if (chunk.choices.length === 0) return [];
      delete chunk.usage;
    }
    if (this.options.model) chunk.model = this.options.model;
    return [{ data: JSON.stringify(chunk) }];
  }
  protected errorEvent(message: string, kind: ErrorKind): SseEvent {
    return openaiItemToSse({
      kind: 'error',
      error: { message, type: openaiErrorType(kind), param: null, code: null },
    });
  }
}

/** Anthropic backend to Anthropic client: forwards Claude's bytes unchanged (thinking signatures). */
class AnthropicPassthrough extends Passthrough {
  push(event: SseEvent): SseEvent[] {
    if (this.finished || this.failed) return [];
    const item = parseAnthropicStreamEvent(event);
    if (item.kind === 'ignored') return [event];
    if (item.kind === 'error') return this.fail(item.message, item.errorKind);
    const parsed = item.event;
    if (parsed.type === 'message_start') this.usage = usageFromAnthropic(parsed.message.usage);
    else if (parsed.type === 'message_delta') {
      const usage = parsed.usage;
      this.usage = {
        inputTokens: usage.input_tokens ?? this.usage.inputTokens,
        outputTokens: usage.output_tokens,
        cacheReadInputTokens: usage.cache_read_input_tokens ?? this.usage.cacheReadInputTokens,
        cacheCreationInputTokens: usage.cache_creation_input_tokens ?? this.usage.cacheCreationInputTokens,
      };
    } else if (parsed.type === 'message_stop') this.finished = true;
    else if (parsed.type === 'error') this.failed = true;
    return [event];
  }
  protected errorEvent(message: string, kind: ErrorKind): SseEvent {
    return anthropicEventToSse({ type: 'error', error: { type: anthropicErrorType(kind), message } });
  }
}

export function createStreamTranslator(options: StreamTranslatorOptions): StreamTranslator {
  if (options.from === 'openai') {
    return options.to === 'openai'
      ? new OpenAIPassthrough(options)
      : new OpenAIToAnthropicTranslator(options);
  }
  return options.to === 'anthropic' ? new AnthropicPassthrough() : new AnthropicToOpenAITranslator(options);
}
