/**
 * Anthropic Messages models (requests, responses, the SSE event sequence, count_tokens, models list),
 * as the official API defines them. Objects are loose so fields we do not model (cache_control,
 * citations, beta fields) reach a Claude backend unchanged.
 */
import { z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown());
const cacheControl = z.looseObject({ type: z.literal('ephemeral'), ttl: z.string().optional() }).nullish();

export const anthropicTextBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
});
export const anthropicImageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.looseObject({ type: z.literal('url'), url: z.string() }),
    z.looseObject({ type: z.literal('file'), file_id: z.string() }),
  ]),
  cache_control: cacheControl,
});
export const anthropicToolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControl,
});
export const anthropicToolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.union([anthropicTextBlockSchema, anthropicImageBlockSchema, jsonObject]))])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
export const anthropicThinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
});
export const anthropicRedactedThinkingBlockSchema = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});
const documentBlock = z.looseObject({ type: z.literal('document'), source: jsonObject });
// Server-tool blocks: valid for Claude, meaningless elsewhere; kept opaque.
const serverToolUseBlock = z.looseObject({ type: z.literal('server_tool_use') });
const webSearchResultBlock = z.looseObject({ type: z.literal('web_search_tool_result') });
const searchResultBlock = z.looseObject({ type: z.literal('search_result') });
const containerUploadBlock = z.looseObject({ type: z.literal('container_upload') });
// Later server-side blocks, replayed from Claude's answers (the router classifies every string in them).
const laterBlocks = [
  z.looseObject({ type: z.literal('web_fetch_tool_result') }),
  z.looseObject({ type: z.literal('code_execution_tool_result') }),
  z.looseObject({ type: z.literal('bash_code_execution_tool_result') }),
  z.looseObject({ type: z.literal('text_editor_code_execution_tool_result') }),
  z.looseObject({ type: z.literal('tool_search_tool_result') }),
  z.looseObject({ type: z.literal('mcp_tool_use') }),
  z.looseObject({ type: z.literal('mcp_tool_result') }),
] as const;

const knownContentBlock = z.discriminatedUnion('type', [
  anthropicTextBlockSchema,
  anthropicImageBlockSchema,
  anthropicToolUseBlockSchema,
  anthropicToolResultBlockSchema,
  anthropicThinkingBlockSchema,
  anthropicRedactedThinkingBlockSchema,
  documentBlock,
  serverToolUseBlock,
  webSearchResultBlock,
  searchResultBlock,
  containerUploadBlock,
  ...laterBlocks,
]);
export const anthropicContentBlockSchema = knownContentBlock;
export type AnthropicContentBlock = z.infer<typeof anthropicContentBlockSchema>;
export type AnthropicTextBlock = z.infer<typeof anthropicTextBlockSchema>;
export type AnthropicImageBlock = z.infer<typeof anthropicImageBlockSchema>;
export type AnthropicToolResultBlock = z.infer<typeof anthropicToolResultBlockSchema>;

export const anthropicMessageSchema = z.looseObject({
  // `system` inside messages is what Claude Code >= 2.1.154 sends; see docs/wire-formats.md.
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(anthropicContentBlockSchema)]),
});
export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

const customTool = z.looseObject({
  type: z.literal('custom').optional(),
  name: z.string().min(1).max(128),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  cache_control: cacheControl,
});
// Server tools (web_search_20250305, bash_20250124, ...) carry a versioned type and no input_schema.
const serverTool = z.looseObject({ type: z.string().regex(/_\d{8}$/), name: z.string() });
export const anthropicToolSchema = z.union([customTool, serverTool]);
export type AnthropicCustomTool = z.infer<typeof customTool>;
export type AnthropicTool = z.infer<typeof anthropicToolSchema>;

export const anthropicToolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);
export type AnthropicToolChoice = z.infer<typeof anthropicToolChoiceSchema>;

export const anthropicThinkingConfigSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('adaptive') }),
]);

const systemSchema = z.union([z.string(), z.array(anthropicTextBlockSchema)]);

export const anthropicMessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(anthropicMessageSchema),
  system: systemSchema.optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  tools: z.array(anthropicToolSchema).optional(),
  tool_choice: anthropicToolChoiceSchema.optional(),
  thinking: anthropicThinkingConfigSchema.optional(),
});
export type AnthropicMessagesRequest = z.infer<typeof anthropicMessagesRequestSchema>;

export const anthropicCountTokensRequestSchema = anthropicMessagesRequestSchema.omit({
  max_tokens: true,
  stop_sequences: true,
  stream: true,
  temperature: true,
  top_p: true,
  top_k: true,
  metadata: true,
});
export type AnthropicCountTokensRequest = z.infer<typeof anthropicCountTokensRequestSchema>;

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export const anthropicResponseBlockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.looseObject({ type: z.literal('server_tool_use') }),
  z.looseObject({ type: z.literal('web_search_tool_result') }),
]);
export type AnthropicResponseBlock = z.infer<typeof anthropicResponseBlockSchema>;

export const anthropicMessageResponseSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(anthropicResponseBlockSchema),
  stop_reason: z.string().nullable(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema,
});
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageResponseSchema>;

const deltaSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
  z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
  z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
  z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
  z.looseObject({ type: z.literal('citations_delta'), citation: z.unknown() }),
]);

export const anthropicStreamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message_start'), message: anthropicMessageResponseSchema }),
  z.looseObject({
    type: z.literal('content_block_start'),
    index: z.number(),
    content_block: anthropicResponseBlockSchema,
  }),
  z.looseObject({ type: z.literal('content_block_delta'), index: z.number(), delta: deltaSchema }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: z.looseObject({
      output_tokens: z.number(),
      input_tokens: z.number().nullish(),
      cache_creation_input_tokens: z.number().nullish(),
      cache_read_input_tokens: z.number().nullish(),
    }),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({
    type: z.literal('error'),
    error: z.looseObject({ type: z.string(), message: z.string() }),
  }),
]);
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

export const anthropicCountTokensResponseSchema = z.object({ input_tokens: z.number() });

export const anthropicModelSchema = z.looseObject({
  type: z.literal('model'),
  id: z.string(),
  display_name: z.string(),
  created_at: z.string(),
});
export const anthropicModelListSchema = z.looseObject({
  data: z.array(anthropicModelSchema),
  has_more: z.boolean(),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
});
export type AnthropicModelList = z.infer<typeof anthropicModelListSchema>;
