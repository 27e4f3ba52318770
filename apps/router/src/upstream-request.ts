/**
 * The requests the router sends upstream, built as values. The Claude request is built before anything is
 * decided, so the classifier reads exactly the value that will be serialised (claude-texts.ts in
 * libs/wire); the client's bytes are never forwarded. Only allow-listed headers and query keys go out.
 */
import type { RouterConfig } from '@split-brain/config';
import {
  type AnthropicCountTokensRequest,
  type AnthropicMessagesRequest,
  anthropicToOpenAIRequest,
  type Dialect,
  type OpenAIChatRequest,
  openaiToAnthropicRequest,
  prepareAnthropicRequestForClaude,
  WireError,
} from '@split-brain/wire';
import { addCacheBreakpoints } from './prompt-caching.ts';

export type JsonObject = Record<string, unknown>;

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  /** The body as a value; the relay serialises exactly this. */
  body: JsonObject;
  /** The backend's dialect. */
  dialect: Dialect;
}

/** A Claude request before the decision, with the client-supplied header values it carries (classified too). */
export interface ClaudeCandidate extends UpstreamRequest {
  headerTexts: string[];
}

const ANTHROPIC_DEFAULT_BASE = 'https://api.anthropic.com';
/** Used when an OpenAI client set no max_tokens and the request goes to Claude, which requires one. */
const DEFAULT_CLAUDE_MAX_TOKENS = 4096;
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/** `anthropic-version` is a date; `anthropic-beta` a comma-separated list of feature tokens. */
const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const BETA_TOKEN_FORMAT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_BETA_TOKENS = 32;
const MAX_BETA_TOKEN_LENGTH = 64;

/** Request fields ScalarLM's chat endpoint accepts (it drops the rest; older versions reject some). */
const SCALARLM_KEYS = new Set([
  ...['model', 'messages', 'temperature', 'max_tokens', 'max_completion_tokens', 'stream'],
  ...['stream_options', 'tools', 'tool_choice', 'response_format', 'top_p', 'stop', 'seed'],
  ...['include_reasoning', 'reasoning_effort', 'thinking_token_budget', 'top_k', 'parallel_tool_calls'],
  ...['chat_template_kwargs', 'presence_penalty', 'frequency_penalty'],
]);

/** Claude's headers: the router's key and content type, plus the client's version and beta, checked. */
export function claudeHeaders(
  config: RouterConfig,
  clientHeaders: Headers | undefined,
): { headers: Record<string, string>; texts: string[] } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': config.anthropic.apiKey,
    'anthropic-version': DEFAULT_ANTHROPIC_VERSION,
  };
  const texts: string[] = [];
  const version = clientHeaders?.get('anthropic-version')?.trim();
  if (version) {
    if (!VERSION_FORMAT.test(version))
      throw badHeader('anthropic-version', 'must be a date such as 2023-06-01');
    headers['anthropic-version'] = version;
  }
  const beta = clientHeaders?.get('anthropic-beta');
  if (beta) {
    const tokens = beta
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token !== '');
    const bad = tokens.find((t) => t.length > MAX_BETA_TOKEN_LENGTH || !BETA_TOKEN_FORMAT.test(t));
    if (bad !== undefined || tokens.length > MAX_BETA_TOKENS) {
      throw badHeader(
        'anthropic-beta',
        `must be at most ${MAX_BETA_TOKENS} comma-separated feature names such as interleaved-thinking-2025-05-14`,
      );
    }
    if (tokens.length > 0) {
      headers['anthropic-beta'] = tokens.join(',');
      texts.push(tokens.join('\n'));
    }
  }
  return { headers, texts };
}

function badHeader(name: string, rule: string) {
  return new WireError(400, 'invalid_request', `the ${name} header ${rule}`, name);
}

/** Of the client's query string, only `beta=true` (what the Anthropic SDK's beta calls add) passes. */
export function claudeQuery(search: string): string {
  if (search === '') return '';
  return new URLSearchParams(search).get('beta') === 'true' ? '?beta=true' : '';
}

function claudeUrl(config: RouterConfig, path: string, search = ''): string {
  return `${config.anthropic.baseUrl ?? ANTHROPIC_DEFAULT_BASE}${path}${search}`;
}

/** Anthropic sees an id per user that says nothing about who it is (see user-id.ts). */
function withOpaqueUser(body: JsonObject, hadUser: boolean, opaqueUserId: string) {
  delete body.metadata;
  if (hadUser) body.metadata = { user_id: opaqueUserId };
}

/**
 * An Anthropic client's request for Claude: the validated value, cleaned of what Claude rejects (blank
 * blocks, unsigned thinking, inline system turns), with the router's model, prompt-cache breakpoints and
 * an opaque user id.
 */
export function claudeFromAnthropic(
  config: RouterConfig,
  request: AnthropicMessagesRequest | AnthropicCountTokensRequest,
  clientHeaders: Headers,
  search: string,
  model: string,
  path: '/v1/messages' | '/v1/messages/count_tokens',
  opaqueUserId: string,
): ClaudeCandidate {
  const body = prepareAnthropicRequestForClaude(request) as unknown as JsonObject;
  body.model = model;
  const metadata = (request as { metadata?: { user_id?: unknown } }).metadata;
  // count_tokens takes no metadata.
  const hadUser = path === '/v1/messages' && typeof metadata?.user_id === 'string' && metadata.user_id !== '';
  withOpaqueUser(body, hadUser, opaqueUserId);
  if (path === '/v1/messages' && config.anthropic.promptCaching) addCacheBreakpoints(body);
  const { headers, texts } = claudeHeaders(config, clientHeaders);
  return {
    url: claudeUrl(config, path, claudeQuery(search)),
    headers,
    body,
    dialect: 'anthropic',
    headerTexts: texts,
  };
}

export function claudeFromOpenAI(
  config: RouterConfig,
  request: OpenAIChatRequest,
  model: string,
  opaqueUserId: string,
): ClaudeCandidate {
  const body = openaiToAnthropicRequest(request, {
    model,
    defaultMaxTokens: DEFAULT_CLAUDE_MAX_TOKENS,
  }) as unknown as JsonObject;
  withOpaqueUser(body, typeof request.user === 'string' && request.user !== '', opaqueUserId);
  if (config.anthropic.promptCaching) addCacheBreakpoints(body);
  const { headers } = claudeHeaders(config, undefined);
  return { url: claudeUrl(config, '/v1/messages'), headers, body, dialect: 'anthropic', headerTexts: [] };
}

function scalarlmHeaders(config: RouterConfig): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.scalarlm.apiKey) headers.authorization = `Bearer ${config.scalarlm.apiKey}`;
  return headers;
}

/** An OpenAI client's request for ScalarLM: its fields ScalarLM knows, the local model, usage always on. */
export function scalarlmFromOpenAI(
  config: RouterConfig,
  request: OpenAIChatRequest,
  model: string,
): UpstreamRequest {
  const body: JsonObject = {};
  for (const [key, value] of Object.entries(request)) if (SCALARLM_KEYS.has(key)) body[key] = value;
  body.model = model;
  // Usage is needed for the ledger whatever the client asked; the relay hides it from clients that did not.
  if (request.stream) body.stream_options = { include_usage: true };
  return {
    url: `${config.scalarlm.baseUrl}/chat/completions`,
    headers: scalarlmHeaders(config),
    body,
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
    body: anthropicToOpenAIRequest(request, { model }) as unknown as JsonObject,
    dialect: 'openai',
  };
}
