import type { RouterConfig } from '@split-brain/config';
import {
  type AnthropicCountTokensRequest,
  type AnthropicMessagesRequest,
  anthropicToOpenAIRequest,
  type Dialect,
  type OpenAIChatRequest,
  openaiToAnthropicRequest,
} from '@split-brain/wire';
import { addCacheBreakpoints, dropUnsignedThinking } from './prompt-caching.ts';

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The backend's dialect. */
  dialect: Dialect;
}

const ANTHROPIC_DEFAULT_BASE = 'https://api.anthropic.com';
/** Used when an OpenAI client set no max_tokens and the request goes to Claude, which requires one. */
const DEFAULT_CLAUDE_MAX_TOKENS = 4096;

/** Request fields ScalarLM's chat endpoint accepts (it drops the rest; older versions reject some). */
const SCALARLM_KEYS = new Set([
  'model',
  'messages',
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'response_format',
  'top_p',
  'stop',
  'seed',
  'include_reasoning',
  'reasoning_effort',
  'thinking_token_budget',
  'top_k',
  'parallel_tool_calls',
  'chat_template_kwargs',
  'presence_penalty',
  'frequency_penalty',
]);

function claudeHeaders(config: RouterConfig, clientHeaders: Headers | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': config.anthropic.apiKey,
    // Forwarded unchanged from Anthropic clients (the gateway contract Claude Code relies on).
    'anthropic-version': clientHeaders?.get('anthropic-version') ?? '2023-06-01',
  };
  const beta = clientHeaders?.get('anthropic-beta');
  if (beta) headers['anthropic-beta'] = beta;
  return headers;
}

function scalarlmHeaders(config: RouterConfig): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.scalarlm.apiKey) headers.authorization = `Bearer ${config.scalarlm.apiKey}`;
  return headers;
}

/**
 * An Anthropic client's Messages request for Claude. The client's own bytes go out unchanged unless the
 * router had to change something (the model, prompt-cache breakpoints, unsigned thinking blocks).
 */
export function claudeFromAnthropic(
  config: RouterConfig,
  request: AnthropicMessagesRequest | AnthropicCountTokensRequest,
  rawText: string,
  clientHeaders: Headers,
  search: string,
  model: string,
  path: '/v1/messages' | '/v1/messages/count_tokens',
): UpstreamRequest {
  const body = request as unknown as Record<string, unknown>;
  let changed = false;
  if (body.model !== model) {
    body.model = model;
    changed = true;
  }
  if (dropUnsignedThinking(body)) changed = true;
  if (path === '/v1/messages' && config.anthropic.promptCaching && addCacheBreakpoints(body)) changed = true;
  return {
    url: `${config.anthropic.baseUrl ?? ANTHROPIC_DEFAULT_BASE}${path}${search}`,
    headers: claudeHeaders(config, clientHeaders),
    body: changed ? JSON.stringify(body) : rawText,
    dialect: 'anthropic',
  };
}

export function claudeFromOpenAI(
  config: RouterConfig,
  request: OpenAIChatRequest,
  model: string,
): UpstreamRequest {
  const body = openaiToAnthropicRequest(request, { model, defaultMaxTokens: DEFAULT_CLAUDE_MAX_TOKENS });
  if (config.anthropic.promptCaching) addCacheBreakpoints(body as unknown as Record<string, unknown>);
  return {
    url: `${config.anthropic.baseUrl ?? ANTHROPIC_DEFAULT_BASE}/v1/messages`,
    headers: claudeHeaders(config, undefined),
    body: JSON.stringify(body),
    dialect: 'anthropic',
  };
}

/** An OpenAI client's request for ScalarLM: its fields ScalarLM knows, the local model, usage always on. */
export function scalarlmFromOpenAI(
  config: RouterConfig,
  request: OpenAIChatRequest,
  model: string,
): UpstreamRequest {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) if (SCALARLM_KEYS.has(key)) body[key] = value;
  body.model = model;
  // Usage is needed for the ledger whatever the client asked; the relay hides it from clients that did not.
  if (request.stream) body.stream_options = { include_usage: true };
  return {
    url: `${config.scalarlm.baseUrl}/chat/completions`,
    headers: scalarlmHeaders(config),
    body: JSON.stringify(body),
    dialect: 'openai',
  };
}

export function scalarlmFromAnthropic(
  config: RouterConfig,
  request: AnthropicMessagesRequest,
  model: string,
): UpstreamRequest {
  return {
    url: `${config.scalarlm.baseUrl}/chat/completions`,
    headers: scalarlmHeaders(config),
    body: JSON.stringify(anthropicToOpenAIRequest(request, { model })),
    dialect: 'openai',
  };
}
