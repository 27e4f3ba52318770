import {
  anthropicErrorType,
  type Dialect,
  emptyUsage,
  formatSse,
  openaiErrorType,
  SseReader,
  type Usage,
  usageFromAnthropic,
  usageFromOpenAI,
} from '@split-brain/wire';

/**
 * Watches a stream that is forwarded byte for byte (same dialect on both ends) for what the router needs:
 * the usage, and whether the stream reached its proper end. Only the few events that carry usage are
 * parsed; text deltas are never decoded into objects.
 */
export class UsageTap {
  usage: Usage = emptyUsage();
  sawUsage = false;
  finished = false;
  failed = false;
  failure: string | undefined;
  private readonly reader = new SseReader();

  constructor(private readonly dialect: Dialect) {}

  push(chunk: Uint8Array) {
    for (const event of this.reader.push(chunk)) {
      if (this.dialect === 'anthropic') this.anthropicEvent(event.event, event.data);
      else this.openaiEvent(event.data);
    }
  }

  /**
   * The upstream closed. A stream that stopped before its end gets a closing error event in its dialect, so
   * the client knows the answer is cut rather than complete.
   */
  end(): string {
    this.reader.end();
    if (this.finished || this.failed) return '';
    this.failed = true;
    this.failure = 'the upstream stream ended before the response was complete';
    const kind = 'api_error';
    if (this.dialect === 'anthropic') {
      return formatSse({
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          error: { type: anthropicErrorType(kind), message: this.failure },
        }),
      });
    }
    return formatSse({
      data: JSON.stringify({
        error: { message: this.failure, type: openaiErrorType(kind), param: null, code: null },
      }),
    });
  }

  private anthropicEvent(name: string | undefined, data: string) {
    if (name !== 'message_start' && name !== 'message_delta' && name !== 'message_stop' && name !== 'error')
      return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (value.type === 'message_start') {
      const usage = (value.message as { usage?: Record<string, number> } | undefined)?.usage;
      if (usage) {
        this.usage = usageFromAnthropic(usage);
        this.sawUsage = true;
      }
    } else if (value.type === 'message_delta') {
      const usage = value.usage as Record<string, number | null | undefined> | undefined;
      if (usage) {
        this.usage = {
          inputTokens: usage.input_tokens ?? this.usage.inputTokens,
          outputTokens: usage.output_tokens ?? this.usage.outputTokens,
          cacheReadInputTokens: usage.cache_read_input_tokens ?? this.usage.cacheReadInputTokens,
          cacheCreationInputTokens: usage.cache_creation_input_tokens ?? this.usage.cacheCreationInputTokens,
        };
        this.sawUsage = true;
      }
    } else if (value.type === 'message_stop') this.finished = true;
    else if (value.type === 'error') {
      this.failed = true;
      this.failure = (value.error as { message?: string } | undefined)?.message ?? 'upstream error event';
    }
  }

  private openaiEvent(data: string) {
    if (data === '[DONE]') {
      this.finished = true;
      return;
    }
    if (!data.includes('"usage"') && !data.includes('"error"')) return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (value.error != null) {
      this.failed = true;
      const error = value.error as { message?: string } | string;
      this.failure = typeof error === 'string' ? error : (error.message ?? 'upstream error event');
      return;
    }
    const usage = value.usage as Parameters<typeof usageFromOpenAI>[0] | null | undefined;
    if (usage && typeof usage.prompt_tokens === 'number') {
      this.usage = usageFromOpenAI(usage);
      this.sawUsage = true;
    }
  }
}
