import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { errorPage } from '../errors.ts';
import { checkAllowLists, checkHostedDomain } from './allow-list.ts';
import { AccessDenied } from './cloudflare-access.ts';
import { type AuthEnv, oauthCookie, type SignInLayers } from './sign-in-layers.ts';

const STATE_COOKIE = 'sb_oauth_state';
const VERIFIER_COOKIE = 'sb_oauth_verifier';
const NONCE_COOKIE = 'sb_oauth_nonce';

/** /auth/google/start and /auth/google/callback. Nothing is written unless the user is allowed in. */
export function signInRoutes(layers: SignInLayers) {
  const routes = new Hono<AuthEnv>();
  const google = layers.google;
  if (!google) {
    routes.get('/google/*', (c) =>
      c.html(errorPage('Google sign-in is off', 'This console does not use Google sign-in.'), 404),
    );
    return routes;
  }
  const cookie = oauthCookie(layers.secureCookies);

  routes.get('/google/start', (c) => {
    const { state, codeVerifier, nonce, url } = google.flow.start();
    setCookie(c, STATE_COOKIE, state, cookie);
    setCookie(c, VERIFIER_COOKIE, codeVerifier, cookie);
    setCookie(c, NONCE_COOKIE, nonce, cookie);
    return c.redirect(url.toString(), 302);
  });

  routes.get('/google/callback', async (c) => {
    const expectedState = getCookie(c, STATE_COOKIE);
    const codeVerifier = getCookie(c, VERIFIER_COOKIE);
    const expectedNonce = getCookie(c, NONCE_COOKIE);
    deleteCookie(c, STATE_COOKIE, cookie);
    deleteCookie(c, VERIFIER_COOKIE, cookie);
    deleteCookie(c, NONCE_COOKIE, cookie);
    try {
      const { email, hostedDomain } = await google.flow.finish({
        code: c.req.query('code'),
        state: c.req.query('state'),
        error: c.req.query('error'),
        expectedState,
        codeVerifier,
        expectedNonce,
      });
      const decision = checkAllowLists(email, layers.lists, 'deny');
      if (!decision.allowed) throw new AccessDenied(decision.reason);
      const hosted = checkHostedDomain(email, hostedDomain, layers.lists);
      if (!hosted.allowed) throw new AccessDenied(hosted.reason);
      const session = await google.sessions.signIn(email);
      const sessionCookie = google.sessions.lucia.createSessionCookie(session.id);
      c.header('set-cookie', sessionCookie.serialize(), { append: true });
      return c.redirect('/', 302);
    } catch (error) {
      if (!(error instanceof AccessDenied)) throw error;
      return c.html(
        errorPage('Sign-in refused', error.message, { href: '/auth/google/start', text: 'Try again' }),
        403,
      );
    }
  });
  return routes;
}
