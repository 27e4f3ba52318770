import { type Dialect, errorResponse, WireError } from '@split-brain/wire';

export type { Dialect };

/** Which dialect a path speaks; errors on any other path use the OpenAI shape. */
export function dialectOfPath(path: string): Dialect {
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

/** A JSON error response in the caller's dialect, with the router's headers. */
export function dialectError(
  error: WireError,
  dialect: Dialect,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const { status, body } = errorResponse(error, dialect, requestId);
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      // The Anthropic SDKs read request-id (their `request_id`); OpenAI's read x-request-id.
      'request-id': requestId,
      // A bad or revoked token stays bad: tell SDKs (which retry 4xx they do not know) not to retry.
      ...(status === 401 || status === 403 ? { 'x-should-retry': 'false' } : {}),
      ...headers,
    },
  });
}

/** Anything thrown that is not a WireError becomes a generic 500 without details. */
export function asWireError(error: unknown): WireError {
  if (error instanceof WireError) return error;
  return new WireError(500, 'api_error', 'internal error; the request id names it in the logs');
}
