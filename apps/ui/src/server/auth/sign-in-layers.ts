import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { refuse } from '../errors.ts';
import { type AccessLists, checkAllowLists, isAdmin } from './allow-list.ts';
import { AccessDenied, CF_ASSERTION_HEADER } from './cloudflare-access.ts';
import { CSRF_HEADER, type csrfTokens, isStateChanging } from './csrf.ts';
import type { GoogleSignIn } from './google-sign-in.ts';
import { DEV_USER_EMAIL, type Identity } from './identity.ts';
import { SESSION_COOKIE, type Sessions } from './session-db.ts';

export interface SignInLayers {
  devMode: boolean;
  lists: AccessLists;
  cloudflare?: (assertion: string | undefined) => Promise<{ email: string }>;
  google?: { flow: GoogleSignIn; sessions: Sessions };
  csrf: ReturnType<typeof csrfTokens>;
  secureCookies: boolean;
}

export type AuthEnv = { Variables: { identity: Identity; cloudflareEmail?: string; requestId: string } };

/** Paths outside every sign-in layer: the kubelet's probes and Prometheus reach them directly. */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export const SIGN_IN_URL = '/auth/google/start';

/** Layer 1: Cloudflare Access. When configured, every request but the probes carries a valid assertion. */
export function cloudflareLayer(layers: SignInLayers): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!layers.cloudflare || OPEN_PATHS.has(c.req.path)) return next();
    try {
      const { email } = await layers.cloudflare(c.req.header(CF_ASSERTION_HEADER));
      c.set('cloudflareEmail', email);
    } catch (error) {
      if (error instanceof AccessDenied) return refuse(c, 401, 'authentication_error', error.message);
      throw error;
    }
    return next();
  };
}

/** Layers 2 and 3: dev mode or a Google session (or the Cloudflare identity alone), then the allow-lists. */
export function identityLayer(layers: SignInLayers): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const identity = await resolveIdentity(c, layers);
    if ('refusal' in identity) return identity.refusal;
    c.set('identity', identity);
    return next();
  };
}

async function resolveIdentity(
  c: Context<AuthEnv>,
  layers: SignInLayers,
): Promise<Identity | { refusal: Response }> {
  if (layers.devMode) return { email: DEV_USER_EMAIL, admin: true, via: 'dev', csrfKey: 'dev' };
  let email: string;
  let identity: Omit<Identity, 'admin' | 'email'>;
  if (layers.google) {
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (!sessionId) {
      return {
        refusal: refuse(c, 401, 'authentication_error', 'not signed in', { signInUrl: SIGN_IN_URL }),
      };
    }
    const result = await layers.google.sessions.validate(sessionId);
    if (!result.ok) {
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: layers.secureCookies });
      return {
        refusal: refuse(c, 401, 'authentication_error', `${result.reason}; sign in again`, {
          signInUrl: SIGN_IN_URL,
        }),
      };
    }
    email = result.email;
    identity = { via: 'google', csrfKey: `session:${result.session.id}`, sessionId: result.session.id };
  } else {
    const cfEmail = c.get('cloudflareEmail');
    // Config guarantees Cloudflare is on when neither dev mode nor Google is; this is belt and braces.
    if (!cfEmail) return { refusal: refuse(c, 401, 'authentication_error', 'no sign-in layer named a user') };
    email = cfEmail;
    identity = { via: 'cloudflare', csrfKey: `email:${cfEmail}` };
  }
  // Checked on every request, so removing someone from the lists takes effect at once.
  const decision = checkAllowLists(email, layers.lists, layers.google ? 'deny' : 'allow');
  if (!decision.allowed) return { refusal: refuse(c, 403, 'permission_error', decision.reason) };
  return { ...identity, email, admin: isAdmin(email, layers.lists) };
}

/** Every state-changing call must carry the caller's CSRF token, and must not come from another site. */
export function csrfLayer(layers: SignInLayers): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!isStateChanging(c.req.method)) return next();
    if (c.req.header('sec-fetch-site') === 'cross-site') {
      return refuse(c, 403, 'csrf_error', 'cross-site requests may not change anything');
    }
    const identity = c.get('identity');
    if (!layers.csrf.check(identity.csrfKey, c.req.header(CSRF_HEADER))) {
      return refuse(
        c,
        403,
        'csrf_error',
        `missing or wrong ${CSRF_HEADER} header; reload the page to get a fresh token`,
      );
    }
    return next();
  };
}

export const oauthCookie = (secure: boolean) =>
  ({ httpOnly: true, secure, sameSite: 'Lax', path: '/auth/google', maxAge: 600 }) as const;

export { setCookie };
