/**
 * OpenAI Chat Completions models (requests, responses, stream chunks, models list), as the official
 * API defines them. Objects are loose: fields we do not model survive parsing, so a same-dialect
 * backend still receives them.
 */
import { z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown());

export const openaiTextPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
export const openaiImagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const audioPart = z.looseObject({
  type: z.literal('input_audio'),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});
const filePart = z.looseObject({ type: z.literal('file'), file: jsonObject });
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

export const openaiUserPartSchema = z.discriminatedUnion('type', [
  openaiTextPartSchema,
  openaiImagePartSchema,
  audioPart,
  filePart,
]);

export const openaiToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const textContent = z.union([z.string(), z.array(openaiTextPartSchema)]);

export const openaiMessageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.looseObject({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(openaiUserPartSchema)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.union([openaiTextPartSchema, refusalPart]))]).nullish(),
    tool_calls: z.array(openaiToolCallSchema).nullish(),
    refusal: z.string().nullish(),
    reasoning: z.string().nullish(),
    reasoning_content: z.string().nullish(),
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), content: textContent }),
  z.looseObject({ role: z.literal('function'), name: z.string(), content: z.string().nullable() }),
]);

export const openaiToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: jsonObject.optional(),
    strict: z.boolean().nullish(),
  }),
});

export const openaiToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

export const openaiChatRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(openaiMessageSchema).min(1),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(openaiToolSchema).optional(),
  tool_choice: openaiToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  n: z.number().int().positive().nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  reasoning_effort: z.string().nullish(),
  response_format: jsonObject.optional(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export type OpenAIChatRequest = z.infer<typeof openaiChatRequestSchema>;
export type OpenAIMessage = z.infer<typeof openaiMessageSchema>;
export type OpenAIUserPart = z.infer<typeof openaiUserPartSchema>;
export type OpenAITool = z.infer<typeof openaiToolSchema>;
export type OpenAIToolChoice = z.infer<typeof openaiToolChoiceSchema>;
export type OpenAIToolCall = z.infer<typeof openaiToolCallSchema>;

export const openaiUsageSchema = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type OpenAIUsage = z.infer<typeof openaiUsageSchema>;

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export const openaiChatResponseSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      message: z.looseObject({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        refusal: z.string().nullish(),
        tool_calls: z.array(openaiToolCallSchema).nullish(),
        reasoning: z.string().nullish(),
        reasoning_content: z.string().nullish(),
      }),
      // ScalarLM reports worker failures as finish_reason "error"; keep the type open.
      finish_reason: z.string().nullable(),
      logprobs: z.unknown().optional(),
    }),
  ),
  usage: openaiUsageSchema.nullish(),
  error: z.unknown().optional(),
});
export type OpenAIChatResponse = z.infer<typeof openaiChatResponseSchema>;

export const openaiToolCallDeltaSchema = z.looseObject({
  index: z.number(),
  id: z.string().nullish(),
  type: z.literal('function').nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
export type OpenAIToolCallDelta = z.infer<typeof openaiToolCallDeltaSchema>;

export const openaiChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      delta: z.looseObject({
        role: z.string().nullish(),
        content: z.string().nullish(),
        reasoning: z.string().nullish(),
        reasoning_content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(openaiToolCallDeltaSchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
      logprobs: z.unknown().optional(),
    }),
  ),
  usage: openaiUsageSchema.nullish(),
});
export type OpenAIChunk = z.infer<typeof openaiChunkSchema>;

export const openaiModelListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(
    z.looseObject({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() }),
  ),
});
export type OpenAIModelList = z.infer<typeof openaiModelListSchema>;
