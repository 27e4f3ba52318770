import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { createLocalJWKSet } from 'jose';
import { csrfFor, testConsole } from '../testing/harness.ts';
import { startTestIdentityProvider, testCloudflareKeys } from '../testing/identity-provider.ts';

const TEAM = 'acme.cloudflareaccess.com';
const AUD = 'aud-0123456789';

describe('Cloudflare Access layer', () => {
  let keys: Awaited<ReturnType<typeof testCloudflareKeys>>;
  let ui: ReturnType<typeof testConsole>;
  beforeAll(async () => {
    keys = await testCloudflareKeys(TEAM, AUD);
    ui = testConsole(
      {
        CF_TEAM_DOMAIN: TEAM,
        CF_JWT_AUDIENCE: AUD,
        ALLOWED_DOMAINS: 'acme.com',
        ADMIN_EMAILS: 'boss@acme.com',
      },
      { cloudflareJwks: createLocalJWKSet(keys.jwks) },
    );
  });
  const me = (assertion?: string, accept = 'application/json') =>
    ui.app.request('/api/me', {
      headers: { accept, ...(assertion ? { 'cf-access-jwt-assertion': assertion } : {}) },
    });
  const errorOf = async (r: Response) =>
    ((await r.json()) as { error: { type: string; message: string } }).error;

  test('a valid assertion names the user; admins come from ADMIN_EMAILS', async () => {
    const r = await me(await keys.sign({ email: 'Ann@acme.com' }));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ email: 'ann@acme.com', admin: false, via: 'cloudflare' });
    const boss = await me(await keys.sign({ email: 'boss@acme.com' }));
    expect(await boss.json()).toMatchObject({ admin: true });
  });

  test('no assertion: 401 that says why; a browser gets a page', async () => {
    const r = await me();
    expect(r.status).toBe(401);
    expect((await errorOf(r)).message).toContain('Cf-Access-Jwt-Assertion');
    const page = await ui.app.request('/tokens', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('only reachable through Cloudflare Access');
  });

  test('expired, forged, wrong audience, wrong issuer and garbage assertions are refused', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const cases: [string, Promise<string> | string, string][] = [
      ['expired', keys.sign({ email: 'ann@acme.com', iat: past - 60, expiresIn: past }), 'expired'],
      ['forged', keys.otherKey().then((k) => keys.sign({ email: 'ann@acme.com' }, k)), 'signature'],
      ['audience', keys.sign({ email: 'ann@acme.com', aud: 'someone-else' }), '"aud"'],
      ['issuer', keys.sign({ email: 'ann@acme.com', iss: 'https://evil.cloudflareaccess.com' }), '"iss"'],
      ['garbage', 'not.a.jwt', 'malformed'],
      ['service token', keys.sign({}), 'names no user'],
    ];
    for (const [name, assertion, why] of cases) {
      const r = await me(await assertion);
      expect({ name, status: r.status }).toEqual({ name, status: 401 });
      expect((await errorOf(r)).message).toContain(why);
    }
  });

  test('an email outside the allow-lists is refused even with a valid assertion', async () => {
    const r = await me(await keys.sign({ email: 'mallory@evil.com' }));
    expect(r.status).toBe(403);
    expect((await errorOf(r)).message).toContain('not on this console');
  });

  test('probes stay reachable without an assertion', async () => {
    expect((await ui.app.request('/healthz')).status).toBe(200);
  });

  test('a non-admin calling an admin endpoint gets 403 and nothing is written', async () => {
    const headers = await csrfFor(ui.app, {
      'cf-access-jwt-assertion': await keys.sign({ email: 'ann@acme.com' }),
    });
    const r = await ui.app.request('/api/limits', {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ defaultDailyTokens: 1, users: {} }),
    });
    expect(r.status).toBe(403);
    expect((await errorOf(r)).message).toContain('admin');
    expect(existsSync(ui.store.paths.limitsFile)).toBe(false);
    for (const path of ['/api/usage', '/api/settings', '/api/limits']) {
      expect((await ui.app.request(path, { headers })).status).toBe(403);
    }
  });

  test('a state-changing call without the CSRF token, or from another site, is refused', async () => {
    const assertion = await keys.sign({ email: 'ann@acme.com' });
    const create = (headers: Record<string, string>) =>
      ui.app.request('/api/tokens', {
        method: 'POST',
        headers: { 'cf-access-jwt-assertion': assertion, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'laptop' }),
      });
    const missing = await create({});
    expect(missing.status).toBe(403);
    expect((await errorOf(missing)).type).toBe('csrf_error');
    expect((await create({ 'x-csrf-token': 'guess' })).status).toBe(403);
    // A token issued to somebody else does not work for ann.
    const bob = await csrfFor(ui.app, {
      'cf-access-jwt-assertion': await keys.sign({ email: 'bob@acme.com' }),
    });
    expect((await create({ 'x-csrf-token': bob['x-csrf-token']! })).status).toBe(403);
    const mine = await csrfFor(ui.app, { 'cf-access-jwt-assertion': assertion });
    expect((await create({ ...mine, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await ui.store.tokens.list()).toEqual([]);
    expect((await create(mine)).status).toBe(201);
  });
});

describe('Google sign-in layer', () => {
  let idp: Awaited<ReturnType<typeof startTestIdentityProvider>>;
  let ui: ReturnType<typeof testConsole>;
  const redirect = 'https://console.example.com/auth/google/callback';
  beforeAll(async () => {
    idp = await startTestIdentityProvider({ clientId: 'client-1', clientSecret: 'shh' });
    ui = testConsole(
      {
        GOOGLE_CLIENT_ID: 'client-1',
        GOOGLE_CLIENT_SECRET: 'shh',
        SESSION_SECRET: 'session-secret-for-tests',
        OAUTH_REDIRECT_URL: redirect,
        ALLOWED_DOMAINS: 'acme.com',
        ALLOWED_EMAILS: 'contractor@gmail.com',
        SESSION_MAX_AGE_DAYS: '1',
      },
      { googleEndpoints: idp.endpoints },
    );
  });
  afterAll(() => idp.stop());

  /** Walks the browser's part of the flow: start, the provider's redirect back, the callback. */
  async function signIn(email: string) {
    idp.state.nextEmail = email;
    const start = await ui.app.request('/auth/google/start');
    expect(start.status).toBe(302);
    const cookies = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(redirect);
    return ui.app.request(`/auth/google/callback${callback.search}`, {
      headers: { cookie: cookies, accept: 'text/html' },
    });
  }
  const sessionCookie = (r: Response) =>
    r.headers
      .getSetCookie()
      .find((c) => c.startsWith('sb_session='))
      ?.split(';')[0];

  test('signing in sets a secure HttpOnly SameSite session cookie that names the user', async () => {
    const r = await signIn('ann@acme.com');
    expect(r.status).toBe(302);
    const raw = r.headers.getSetCookie().find((c) => c.startsWith('sb_session='))!;
    expect(raw).toContain('HttpOnly');
    expect(raw).toContain('Secure');
    expect(raw).toContain('SameSite=Lax');
    const me = await ui.app.request('/api/me', { headers: { cookie: sessionCookie(r)! } });
    expect(await me.json()).toMatchObject({ email: 'ann@acme.com', via: 'google', admin: false });
  });

  test('an email allowed by ALLOWED_EMAILS gets in', async () => {
    expect(sessionCookie(await signIn('contractor@gmail.com'))).toBeDefined();
  });

  test('an email outside the allow-lists is refused with a page, and nothing is written', async () => {
    const before = ui.sessions!.counts();
    const r = await signIn('mallory@gmail.com');
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('mallory@gmail.com is not on this console');
    expect(sessionCookie(r)).toBeUndefined();
    expect(ui.sessions!.counts()).toEqual(before);
  });

  test('a forged state, or a callback without the sign-in cookies, is refused', async () => {
    const start = await ui.app.request('/auth/google/start');
    const cookies = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const forged = await ui.app.request('/auth/google/callback?code=x&state=forged', {
      headers: { cookie: cookies },
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('state does not match');
    const noCookies = await ui.app.request('/auth/google/callback?code=x&state=y');
    expect(noCookies.status).toBe(403);
  });

  test('an unverified email from the provider is refused', async () => {
    idp.state.emailVerified = false;
    try {
      const r = await signIn('ann@acme.com');
      expect(r.status).toBe(403);
      expect(await r.text()).toContain('verified email');
    } finally {
      idp.state.emailVerified = true;
    }
  });

  test('the sign-in sends a nonce and the one allowed domain as hd; a token with another nonce is refused', async () => {
    expect(sessionCookie(await signIn('ann@acme.com'))).toBeDefined();
    expect(idp.state.lastAuthorize.get('nonce')?.length).toBeGreaterThan(20);
    expect(idp.state.lastAuthorize.get('hd')).toBe('acme.com');
    idp.state.nonceOverride = 'a-nonce-from-another-sign-in';
    try {
      const r = await signIn('ann@acme.com');
      expect(r.status).toBe(403);
      expect(await r.text()).toContain('nonce');
      expect(sessionCookie(r)).toBeUndefined();
    } finally {
      idp.state.nonceOverride = undefined;
    }
  });

  test('an allowed domain admits only that Workspace: a consumer account with the address is refused', async () => {
    idp.state.hostedDomain = null;
    try {
      const r = await signIn('ann@acme.com');
      expect(r.status).toBe(403);
      expect(await r.text()).toContain('not an account of the acme.com Google Workspace');
      // Listed one by one, an address needs no hosted domain.
      expect(sessionCookie(await signIn('contractor@gmail.com'))).toBeDefined();
    } finally {
      idp.state.hostedDomain = undefined;
    }
  });

  test('a cookie for a deleted session gets 401 with a way back in, and the cookie is cleared', async () => {
    const cookie = sessionCookie(await signIn('ann@acme.com'))!;
    expect((await ui.app.request('/api/me', { headers: { cookie } })).status).toBe(200);
    await ui.sessions!.signOutEverywhere('ann@acme.com');
    const r = await ui.app.request('/api/me', { headers: { cookie } });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { signInUrl: '/auth/google/start' } });
    expect(r.headers.getSetCookie().some((c) => c.startsWith('sb_session=;'))).toBe(true);
    const made = await ui.app.request('/api/me', { headers: { cookie: 'sb_session=made-up-session-id' } });
    expect(made.status).toBe(401);
  });

  test('signing out deletes the session', async () => {
    const cookie = sessionCookie(await signIn('ann@acme.com'))!;
    const headers = await csrfFor(ui.app, { cookie });
    expect((await ui.app.request('/api/session/logout', { method: 'POST', headers })).status).toBe(200);
    expect((await ui.app.request('/api/me', { headers: { cookie } })).status).toBe(401);
  });

  test('no cookie at all: 401 naming the sign-in URL', async () => {
    const r = await ui.app.request('/api/tokens');
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { signInUrl: '/auth/google/start' } });
  });
});
