/**
 * Validation of client bodies. Each function returns the parsed request or a `WireError` (400,
 * invalid_request) naming the field at fault, ready for `errorResponse(error, dialect)`.
 */
import type { z } from 'zod';
import {
  type AnthropicCountTokensRequest,
  type AnthropicMessagesRequest,
  anthropicCountTokensRequestSchema,
  anthropicMessagesRequestSchema,
} from './anthropic-schema.ts';
import { WireError } from './errors.ts';
import { type OpenAIChatRequest, openaiChatRequestSchema } from './openai-schema.ts';

export type Validated<T> = { ok: true; value: T } | { ok: false; error: WireError };

function firstIssue(error: z.ZodError, body: object): WireError {
  const issue = error.issues[0];
  if (!issue) return new WireError(400, 'invalid_request', 'invalid request body');
  const param = issue.path.map(String).join('.');
  let message = issue.message;
  // zod reports a missing field and a wrongly typed one alike; only a field that is really absent is "required".
  if (issue.code === 'invalid_type' && !isPresent(body, issue.path)) message = 'Field required';
  return new WireError(400, 'invalid_request', message, param || undefined);
}

function isPresent(body: object, path: readonly PropertyKey[]): boolean {
  let at: unknown = body;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at !== undefined;
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): Validated<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, error: new WireError(400, 'invalid_request', 'request body must be a JSON object') };
  }
  const result = schema.safeParse(body);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: firstIssue(result.error, body) };
}

function fail<T>(param: string, message: string): Validated<T> {
  return { ok: false, error: new WireError(400, 'invalid_request', message, param) };
}

export function validateOpenAIChatRequest(body: unknown): Validated<OpenAIChatRequest> {
  const parsed = parseWith(openaiChatRequestSchema, body);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (
    choice &&
    typeof choice === 'object' &&
    !tools.some((tool) => tool.function.name === choice.function.name)
  ) {
    return fail('tool_choice', `tool_choice names a function not in tools: ${choice.function.name}`);
  }
  const callIds = new Set<string>();
  for (const [index, message] of request.messages.entries()) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) callIds.add(call.id);
    if (message.role === 'tool' && !callIds.has(message.tool_call_id)) {
      return fail(
        `messages.${index}.tool_call_id`,
        'a tool message must answer a tool_call_id from an earlier assistant message',
      );
    }
  }
  return parsed;
}

function checkAnthropicCommon(request: AnthropicCountTokensRequest): Validated<never> | undefined {
  if (request.messages.length === 0) return fail('messages', 'at least one message is required');
  const choice = request.tool_choice;
  if (choice?.type === 'tool' && !(request.tools ?? []).some((tool) => tool.name === choice.name)) {
    return fail('tool_choice.name', `tool_choice names a tool not in tools: ${choice.name}`);
  }
  for (const [index, message] of request.messages.entries()) {
    if (typeof message.content === 'string') continue;
    for (const [blockIndex, block] of message.content.entries()) {
      if (message.role !== 'assistant' && (block.type === 'tool_use' || block.type === 'thinking')) {
        return fail(
          `messages.${index}.content.${blockIndex}`,
          `${block.type} blocks belong to assistant turns`,
        );
      }
      if (message.role === 'assistant' && block.type === 'tool_result') {
        return fail(`messages.${index}.content.${blockIndex}`, 'tool_result blocks belong to user turns');
      }
    }
  }
  return undefined;
}

export function validateAnthropicMessagesRequest(body: unknown): Validated<AnthropicMessagesRequest> {
  const parsed = parseWith(anthropicMessagesRequestSchema, body);
  if (!parsed.ok) return parsed;
  const common = checkAnthropicCommon(parsed.value);
  if (common) return common;
  const thinking = parsed.value.thinking;
  if (thinking?.type === 'enabled' && thinking.budget_tokens >= parsed.value.max_tokens) {
    return fail('thinking.budget_tokens', '`max_tokens` must be greater than `thinking.budget_tokens`');
  }
  return parsed;
}

export function validateAnthropicCountTokensRequest(body: unknown): Validated<AnthropicCountTokensRequest> {
  const parsed = parseWith(anthropicCountTokensRequestSchema, body);
  if (!parsed.ok) return parsed;
  return checkAnthropicCommon(parsed.value) ?? parsed;
}
