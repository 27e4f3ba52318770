import { ClientError } from '@split-brain/http';
import type { Context } from 'hono';

/** The console's errors: JSON for the API, a small page for a browser navigating to a page. */
export function wantsPage(c: Context): boolean {
  return !c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html');
}

export function errorPage(title: string, message: string, link?: { href: string; text: string }) {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · split-brain</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d232b}h1{font-size:1.4rem}a{color:#0b5cad}</style></head>
<body><main><h1>${esc(title)}</h1><p role="alert">${esc(message)}</p>${link ? `<p><a href="${esc(link.href)}">${esc(link.text)}</a></p>` : ''}</main></body></html>`;
}

/** Answers a refusal in the caller's form; used where a middleware stops the request. */
export function refuse(
  c: Context,
  status: 401 | 403,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  if (wantsPage(c)) {
    const link =
      typeof extra.signInUrl === 'string' ? { href: extra.signInUrl, text: 'Sign in again' } : undefined;
    return c.html(errorPage(status === 401 ? 'Sign-in needed' : 'Access denied', message, link), status);
  }
  return c.json({ error: { type, message, ...extra } }, status);
}

export const badRequest = (message: string) => new ClientError(400, 'invalid_request_error', message);
export const notFound = (message: string) => new ClientError(404, 'not_found_error', message);
export const forbidden = (message: string) => new ClientError(403, 'permission_error', message);
export const conflict = (message: string) => new ClientError(409, 'conflict_error', message);
