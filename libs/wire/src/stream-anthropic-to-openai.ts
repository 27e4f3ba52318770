/**
 * Anthropic event stream → OpenAI chunk stream, as an incremental state machine. Tool-use blocks
 * become tool_calls with their own index (0..k-1 in order); thinking becomes the `reasoning` delta
 * (vLLM's field name); message_delta is held and sent with message_stop, followed by the usage chunk
 * when the client asked for `stream_options.include_usage`.
 */
import type { AnthropicStreamEvent } from './anthropic-schema.ts';
import { type ErrorKind, openaiErrorType } from './errors.ts';
import type { OpenAIChunk } from './openai-schema.ts';
import { stopReasonToFinishReason } from './stop-reasons.ts';
import { emptyUsage, type Usage, usageFromAnthropic, usageToOpenAI } from './usage.ts';

/** One item of an OpenAI stream: a chunk, the `[DONE]` sentinel, or an in-stream error. */
export type OpenAIStreamItem =
  | { kind: 'chunk'; chunk: OpenAIChunk }
  | { kind: 'done' }
  | { kind: 'error'; error: { message: string; type: string; param: null; code: null } };

export class AnthropicToOpenAIStream {
  usage: Usage = emptyUsage();
  finished = false;
  failed = false;
  private id = '';
  private model = '';
  private created = 0;
  private started = false;
  /** Anthropic block index → OpenAI tool_calls index, for tool_use blocks. */
  private readonly toolIndex = new Map<number, number>();
  private stopReason: string | null | undefined;

  constructor(private readonly options: { includeUsage: boolean; model?: string; now?: () => number }) {}

  get done(): boolean {
    return this.finished || this.failed;
  }

  pushEvent(event: AnthropicStreamEvent): OpenAIStreamItem[] {
    if (this.done) return [];
    const out: OpenAIStreamItem[] = [];
    switch (event.type) {
      case 'message_start': {
        this.started = true;
        this.id = `chatcmpl-${event.message.id}`;
        this.model = this.options.model ?? event.message.model;
        this.created = Math.floor((this.options.now ?? Date.now)() / 1000);
        this.usage = usageFromAnthropic(event.message.usage);
        out.push(this.chunk({ role: 'assistant', content: '' }));
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const index = this.toolIndex.size;
          this.toolIndex.set(event.index, index);
          out.push(
            this.chunk({
              tool_calls: [
                { index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } },
              ],
            }),
          );
        } else if (block.type === 'text' && block.text) out.push(this.chunk({ content: block.text }));
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') out.push(this.chunk({ content: delta.text }));
        else if (delta.type === 'thinking_delta') out.push(this.chunk({ reasoning: delta.thinking }));
        else if (delta.type === 'input_json_delta') {
          const index = this.toolIndex.get(event.index);
          if (index !== undefined && delta.partial_json) {
            out.push(this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] }));
          }
        }
        break;
      }
      case 'message_delta': {
        // Usage in message_delta is cumulative: overwrite, as the Anthropic SDK does.
        const usage = event.usage;
        this.usage = {
          inputTokens: usage.input_tokens ?? this.usage.inputTokens,
          outputTokens: usage.output_tokens,
          cacheReadInputTokens: usage.cache_read_input_tokens ?? this.usage.cacheReadInputTokens,
          cacheCreationInputTokens: usage.cache_creation_input_tokens ?? this.usage.cacheCreationInputTokens,
        };
        this.stopReason = event.delta.stop_reason;
        break;
      }
      case 'message_stop':
        this.finish(out);
        break;
      case 'error':
        return this.pushError(event.error.message, kindFromAnthropicType(event.error.type));
      default:
        break; // ping, content_block_stop, signature and citation deltas have no OpenAI counterpart
    }
    return out;
  }

  pushError(message: string, kind: ErrorKind = 'api_error'): OpenAIStreamItem[] {
    if (this.done) return [];
    this.failed = true;
    return [{ kind: 'error', error: { message, type: openaiErrorType(kind), param: null, code: null } }];
  }

  /** The upstream closed; a stream without message_stop is an error, never a silent success. */
  end(): OpenAIStreamItem[] {
    if (this.done) return [];
    return this.pushError('the upstream stream ended before the response was complete');
  }

  private finish(out: OpenAIStreamItem[]): void {
    if (!this.started) return void out.push(...this.pushError('the upstream stream ended without a message'));
    const final = this.chunk({});
    const choice = final.chunk.choices[0];
    if (choice) choice.finish_reason = stopReasonToFinishReason(this.stopReason);
    out.push(final);
    if (this.options.includeUsage) {
      out.push({
        kind: 'chunk',
        chunk: {
          id: this.id,
          object: 'chat.completion.chunk',
          created: this.created,
          model: this.model,
          choices: [],
          usage: usageToOpenAI(this.usage),
        },
      });
    }
    out.push({ kind: 'done' });
    this.finished = true;
  }

  private chunk(delta: OpenAIChunk['choices'][number]['delta']): { kind: 'chunk'; chunk: OpenAIChunk } {
    const chunk: OpenAIChunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
    };
    if (this.options.includeUsage) chunk.usage = null;
    return { kind: 'chunk', chunk };
  }
}

function kindFromAnthropicType(type: string): ErrorKind {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate_limit';
    case 'invalid_request_error':
      return 'invalid_request';
    case 'timeout_error':
      return 'timeout';
    default:
      return 'api_error';
  }
}
