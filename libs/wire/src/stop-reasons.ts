/** Stop reasons across dialects (see docs/wire-formats.md for the table). */
import type { AnthropicStopReason } from './anthropic-schema.ts';
import type { OpenAIFinishReason } from './openai-schema.ts';

export function finishReasonToStopReason(
  reason: string | null | undefined,
  sawToolCall: boolean,
): AnthropicStopReason {
  if (sawToolCall) return 'tool_use';
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export function stopReasonToFinishReason(reason: string | null | undefined): OpenAIFinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn
      return 'stop';
  }
}
