/**
 * Errors in both dialects. A `WireError` is dialect-neutral (status + kind + message + optional field);
 * `openaiErrorBody` / `anthropicErrorBody` render it the way each dialect's SDK reads it, and
 * `parseUpstreamError` turns whatever an upstream sent (OpenAI, Anthropic, or ScalarLM's `{detail}`)
 * back into a `WireError`.
 */

export type Dialect = 'openai' | 'anthropic';

export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'billing'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'api_error'
  | 'timeout'
  | 'overloaded';

export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ErrorKind,
    message: string,
    /** The request field at fault, in dotted form (`messages.2.content`). */
    readonly param?: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request';
    case 401:
      return 'authentication';
    case 402:
      return 'billing';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit';
    case 408:
    case 504:
      return 'timeout';
    case 503:
    case 529:
      return 'overloaded';
    default:
      return status >= 400 && status < 500 ? 'invalid_request' : 'api_error';
  }
}

const anthropicTypes: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  billing: 'billing_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  api_error: 'api_error',
  timeout: 'timeout_error',
  overloaded: 'overloaded_error',
};

const openaiTypes: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  billing: 'insufficient_quota',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  api_error: 'server_error',
  timeout: 'timeout_error',
  overloaded: 'server_error',
};

export function anthropicErrorType(kind: ErrorKind): string {
  return anthropicTypes[kind];
}

export function openaiErrorType(kind: ErrorKind): string {
  return openaiTypes[kind];
}

/**
 * The HTTP status to answer a client of `dialect` with. Anthropic's 529 (overloaded) is not an
 * OpenAI status, so OpenAI clients get 503; the other direction maps 503 to 529.
 */
export function statusForDialect(error: WireError, dialect: Dialect): number {
  if (dialect === 'openai' && error.status === 529) return 503;
  if (dialect === 'anthropic' && error.status === 503) return 529;
  return error.status;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

export function openaiErrorBody(error: WireError): OpenAIErrorBody {
  return {
    error: {
      message: error.message,
      type: openaiTypes[error.kind],
      param: error.param ?? null,
      code: error.kind === 'request_too_large' ? 'request_too_large' : null,
    },
  };
}

export function anthropicErrorBody(error: WireError, requestId?: string): AnthropicErrorBody {
  // Anthropic has no `param` field, so it leads the message — unless the message already starts with it.
  const message =
    error.param && !error.message.startsWith(error.param)
      ? `${error.param}: ${error.message}`
      : error.message;
  const body: AnthropicErrorBody = { type: 'error', error: { type: anthropicTypes[error.kind], message } };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}

/** The status and JSON body of an error response in the given dialect. */
export function errorResponse(
  error: WireError,
  dialect: Dialect,
  requestId?: string,
): { status: number; body: OpenAIErrorBody | AnthropicErrorBody } {
  const status = statusForDialect(error, dialect);
  return {
    status,
    body: dialect === 'openai' ? openaiErrorBody(error) : anthropicErrorBody(error, requestId),
  };
}

const anthropicKinds = new Map(
  Object.entries(anthropicTypes).map(([kind, type]) => [type, kind as ErrorKind]),
);

/**
 * Reads an upstream error body of any shape we know: OpenAI/vLLM `{error:{message,type}}`,
 * Anthropic `{type:"error",error:{type,message}}`, ScalarLM/FastAPI `{detail: string | [...]}`,
 * ScalarLM's streaming `{error: "text"}`, or plain text.
 */
export function parseUpstreamError(status: number, body: unknown): WireError {
  let message = `upstream answered HTTP ${status}`;
  let kind = kindForStatus(status);
  let value = body;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    try {
      value = JSON.parse(trimmed);
    } catch {
      if (trimmed) message = trimmed.slice(0, 500);
      value = undefined;
    }
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const inner = record.error;
    if (typeof inner === 'string') message = inner;
    else if (inner && typeof inner === 'object') {
      const error = inner as Record<string, unknown>;
      if (typeof error.message === 'string') message = error.message;
      const mapped = typeof error.type === 'string' ? anthropicKinds.get(error.type) : undefined;
      if (
        mapped &&
        status >= 500 === (mapped === 'api_error' || mapped === 'overloaded' || mapped === 'timeout')
      ) {
        kind = mapped;
      }
    } else if (typeof record.detail === 'string') message = record.detail;
    else if (Array.isArray(record.detail)) message = JSON.stringify(record.detail).slice(0, 500);
    else if (typeof record.message === 'string') message = record.message;
  }
  return new WireError(status, kind, message);
}
