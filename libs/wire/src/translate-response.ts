/** Non-streaming response translation between dialects. */
import type { AnthropicMessageResponse, AnthropicResponseBlock } from './anthropic-schema.ts';
import { WireError } from './errors.ts';
import type { OpenAIChatResponse, OpenAIToolCall } from './openai-schema.ts';
import { finishReasonToStopReason, stopReasonToFinishReason } from './stop-reasons.ts';
import { toAnthropicToolId } from './tool-ids.ts';
import { emptyUsage, usageFromAnthropic, usageFromOpenAI, usageToAnthropic, usageToOpenAI } from './usage.ts';

function parseToolInput(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  } catch {
    return {}; // arguments that are not JSON cannot be a tool_use input
  }
}

/**
 * ScalarLM reports a failed generation as HTTP 200 with finish_reason "error" and a top-level error.
 * Returns that as a WireError so the caller answers with a real error status.
 */
export function openaiResponseError(response: OpenAIChatResponse): WireError | undefined {
  const failed = response.choices.some((choice) => choice.finish_reason === 'error');
  if (!failed && response.error == null) return undefined;
  const error = response.error as { message?: unknown } | string | undefined;
  const message =
    typeof error === 'string'
      ? error
      : typeof error?.message === 'string'
        ? error.message
        : 'the local model failed';
  return new WireError(500, 'api_error', message);
}

export function openaiToAnthropicResponse(response: OpenAIChatResponse): AnthropicMessageResponse {
  const choice = response.choices[0];
  const content: AnthropicResponseBlock[] = [];
  const reasoning = choice?.message.reasoning ?? choice?.message.reasoning_content;
  // A thinking block from a non-Claude model has no valid signature; see docs/wire-formats.md.
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = choice?.message.content;
  if (text) content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: toAnthropicToolId(call.id),
      name: call.function.name,
      input: parseToolInput(call.function.arguments),
    });
  }
  const sawToolCall = content.some((block) => block.type === 'tool_use');
  const usage = response.usage ? usageFromOpenAI(response.usage) : emptyUsage();
  return {
    id: `msg_${response.id.replace(/[^a-zA-Z0-9_-]/g, '')}`,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content,
    stop_reason: finishReasonToStopReason(choice?.finish_reason, sawToolCall),
    stop_sequence: null,
    usage: usageToAnthropic(usage),
  };
}

export function anthropicToOpenAIResponse(
  response: AnthropicMessageResponse,
  now = Date.now(),
): OpenAIChatResponse {
  let text = '';
  let reasoning = '';
  const calls: OpenAIToolCall[] = [];
  for (const block of response.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') reasoning += block.thinking;
    else if (block.type === 'tool_use') {
      calls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: OpenAIChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    refusal: null,
  };
  if (calls.length > 0) message.tool_calls = calls;
  if (reasoning !== '') message.reasoning = reasoning;
  return {
    id: `chatcmpl-${response.id}`,
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: response.model,
    choices: [
      { index: 0, message, finish_reason: stopReasonToFinishReason(response.stop_reason), logprobs: null },
    ],
    usage: usageToOpenAI(usageFromAnthropic(response.usage)),
  };
}
