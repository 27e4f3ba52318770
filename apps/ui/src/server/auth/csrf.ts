import { createHmac, timingSafeEqual } from 'node:crypto';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * CSRF tokens bound to the caller (session id, or email behind Cloudflare): HMAC under the server's secret.
 * A cross-site page can neither read the token nor send the custom header without a CORS preflight.
 */
export function csrfTokens(secret: string) {
  const sign = (key: string) => createHmac('sha256', secret).update(`csrf:${key}`).digest('base64url');
  return {
    issue: sign,
    check(key: string, presented: string | undefined): boolean {
      if (!presented) return false;
      const a = Buffer.from(presented);
      const b = Buffer.from(sign(key));
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

export const isStateChanging = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
