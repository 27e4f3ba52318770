/**
 * OpenAI chunk stream → Anthropic event stream, as an incremental state machine: each upstream chunk
 * yields zero or more Anthropic events. Blocks are opened and closed so indices run 0..n-1 in order
 * (the Anthropic SDK looks blocks up by index). The final message_delta is held until the usage-only
 * chunk (or the end of the stream) so usage that arrives after finish_reason is not lost.
 */
import type { AnthropicStreamEvent } from './anthropic-schema.ts';
import { anthropicErrorType, type ErrorKind } from './errors.ts';
import type { OpenAIChunk } from './openai-schema.ts';
import { finishReasonToStopReason } from './stop-reasons.ts';
import { toAnthropicToolId } from './tool-ids.ts';
import { emptyUsage, type Usage, usageFromOpenAI, usageToAnthropic } from './usage.ts';

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; toolIndex: number };

export class OpenAIToAnthropicStream {
  usage: Usage = emptyUsage();
  finished = false;
  failed = false;
  private started = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private readonly closedTools = new Set<number>();
  private sawToolCall = false;
  private finishReason: string | undefined;
  private sawUsage = false;

  constructor(private readonly options: { messageId?: string; model?: string } = {}) {}

  get done(): boolean {
    return this.finished || this.failed;
  }

  pushChunk(chunk: OpenAIChunk): AnthropicStreamEvent[] {
    if (this.done) return [];
    const out: AnthropicStreamEvent[] = [];
    this.start(out, chunk);
    if (chunk.usage) {
      this.usage = usageFromOpenAI(chunk.usage);
      this.sawUsage = true;
    }
    const choice = chunk.choices[0];
    if (choice) {
      const delta = choice.delta;
      const reasoning = delta.reasoning ?? delta.reasoning_content;
      if (reasoning) {
        this.ensureBlock(out, { kind: 'thinking' });
        out.push({
          type: 'content_block_delta',
          index: this.nextIndex - 1,
          delta: { type: 'thinking_delta', thinking: reasoning },
        });
      }
      if (delta.content) {
        this.ensureBlock(out, { kind: 'text' });
        out.push({
          type: 'content_block_delta',
          index: this.nextIndex - 1,
          delta: { type: 'text_delta', text: delta.content },
        });
      }
      for (const call of delta.tool_calls ?? []) this.toolDelta(out, call);
      if (choice.finish_reason) {
        this.closeBlock(out);
        this.finishReason = choice.finish_reason;
      }
    }
    // The usage-only chunk (choices: []) comes last; with usage in hand the message can end.
    if (this.finishReason !== undefined && this.sawUsage) this.finish(out);
    return out;
  }

  /** The `[DONE]` sentinel. */
  pushDone(): AnthropicStreamEvent[] {
    if (this.done) return [];
    const out: AnthropicStreamEvent[] = [];
    if (this.finishReason === undefined) {
      this.closeBlock(out);
      this.finishReason = 'stop';
    }
    this.finish(out);
    return out;
  }

  /** An error from upstream, or the upstream stream was cut or unreadable. */
  pushError(message: string, kind: ErrorKind = 'api_error'): AnthropicStreamEvent[] {
    if (this.done) return [];
    this.failed = true;
    return [{ type: 'error', error: { type: anthropicErrorType(kind), message } }];
  }

  /** The upstream closed. A stream that ended without finishing gets an error event, never a hang. */
  end(): AnthropicStreamEvent[] {
    if (this.done) return [];
    if (this.finishReason !== undefined) {
      const out: AnthropicStreamEvent[] = [];
      this.finish(out);
      return out;
    }
    return this.pushError('the upstream stream ended before the response was complete');
  }

  private start(out: AnthropicStreamEvent[], chunk?: OpenAIChunk): void {
    if (this.started) return;
    this.started = true;
    const upstreamId = chunk?.id.replace(/[^a-zA-Z0-9_-]/g, '') ?? crypto.randomUUID().replaceAll('-', '');
    out.push({
      type: 'message_start',
      message: {
        id: this.options.messageId ?? `msg_${upstreamId}`,
        type: 'message',
        role: 'assistant',
        model: this.options.model ?? chunk?.model ?? 'unknown',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
  }

  private toolDelta(
    out: AnthropicStreamEvent[],
    call: NonNullable<OpenAIChunk['choices'][number]['delta']['tool_calls']>[number],
  ): void {
    const current = this.open;
    const isCurrent = current?.kind === 'tool' && current.toolIndex === call.index;
    if (!isCurrent) {
      // Arguments for a call whose block is already closed cannot be placed; see docs (interleaved calls).
      if (this.closedTools.has(call.index)) return;
      this.closeBlock(out);
      this.sawToolCall = true;
      out.push({
        type: 'content_block_start',
        index: this.nextIndex++,
        content_block: {
          type: 'tool_use',
          id: toAnthropicToolId(call.id ?? `call_${call.index}`),
          name: call.function?.name ?? '',
          input: {},
        },
      });
      this.open = { kind: 'tool', toolIndex: call.index };
    }
    const fragment = call.function?.arguments;
    if (fragment) {
      out.push({
        type: 'content_block_delta',
        index: this.nextIndex - 1,
        delta: { type: 'input_json_delta', partial_json: fragment },
      });
    }
  }

  private ensureBlock(out: AnthropicStreamEvent[], want: { kind: 'text' } | { kind: 'thinking' }): void {
    if (this.open?.kind === want.kind) return;
    this.closeBlock(out);
    out.push({
      type: 'content_block_start',
      index: this.nextIndex++,
      content_block:
        want.kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' },
    });
    this.open = want;
  }

  private closeBlock(out: AnthropicStreamEvent[]): void {
    if (!this.open) return;
    if (this.open.kind === 'tool') this.closedTools.add(this.open.toolIndex);
    out.push({ type: 'content_block_stop', index: this.nextIndex - 1 });
    this.open = undefined;
  }

  private finish(out: AnthropicStreamEvent[]): void {
    this.start(out);
    this.closeBlock(out);
    const usage = usageToAnthropic(this.usage);
    out.push({
      type: 'message_delta',
      delta: {
        stop_reason: finishReasonToStopReason(this.finishReason, this.sawToolCall),
        stop_sequence: null,
      },
      usage,
    });
    out.push({ type: 'message_stop' });
    this.finished = true;
  }
}
