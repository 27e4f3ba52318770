import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error meant for the client: its status, a machine-readable type and a message that says what was
 * wrong and what to do. Everything else that escapes a handler becomes a generic 500 with no details.
 */
export class ClientError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ClientError';
  }
}
