import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { createLocalJWKSet } from 'jose';
import { csrfFor, testConsole } from '../testing/harness.ts';
import { testCloudflareKeys } from '../testing/identity-provider.ts';
import { API_ROUTES, type ApiRoute, findRoute, roleLayer } from './route-roles.ts';
import type { AuthEnv } from './sign-in-layers.ts';

const TEAM = 'acme.cloudflareaccess.com';
const AUD = 'aud-roles';

/** The API routes the app really registered (sub-apps flattened), without middleware and the 404 catch-all. */
function registeredRoutes(app: ReturnType<typeof testConsole>['app']) {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/')) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue; // a route with its own middleware is listed once per handler
    seen.add(key);
    out.push({ method: r.method, path: r.path.slice('/api'.length) });
  }
  return out;
}

/** Every file under the data folder with its size and modification time: "nothing was written" as data. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.push(`${p} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

describe('the role matrix: every API route as anonymous, outsider, non-admin and admin', () => {
  let ui: ReturnType<typeof testConsole>;
  let callers: Record<'anonymous' | 'outsider' | 'member' | 'admin', Record<string, string>>;
  beforeAll(async () => {
    const keys = await testCloudflareKeys(TEAM, AUD);
    ui = testConsole(
      {
        CF_TEAM_DOMAIN: TEAM,
        CF_JWT_AUDIENCE: AUD,
        ALLOWED_DOMAINS: 'acme.com',
        ADMIN_EMAILS: 'boss@acme.com',
      },
      // No trainer: starting a run answers 503 instead of training.
      { cloudflareJwks: createLocalJWKSet(keys.jwks), trainer: null },
    );
    const as = async (email: string) => ({ 'cf-access-jwt-assertion': await keys.sign({ email }) });
    const outsider = await as('mallory@evil.com');
    callers = {
      anonymous: {},
      // An outsider gets no CSRF token (/api/me refuses them); a made-up one changes nothing.
      outsider: { ...outsider, 'x-csrf-token': 'made-up' },
      member: await csrfFor(ui.app, await as('ann@acme.com')),
      admin: await csrfFor(ui.app, await as('boss@acme.com')),
    };
  });
  afterAll(() => ui.close());

  const call = (route: { method: string; path: string }, headers: Record<string, string>) => {
    // Path parameters that name nothing, so user routes answer 404/400 rather than act.
    const path = route.path.replace(/:[a-zA-Z]+/g, 'ffffffffffff');
    const withBody = route.method === 'POST' || route.method === 'PUT';
    return ui.app.request(`/api${path}`, {
      method: route.method,
      headers: {
        accept: 'application/json',
        ...headers,
        ...(withBody ? { 'content-type': 'application/json' } : {}),
      },
      body: withBody ? '{}' : undefined,
    });
  };

  test('the table and the registered routes are the same set', () => {
    const registered = registeredRoutes(ui.app);
    expect(registered.length).toBeGreaterThan(20);
    const missing = registered.filter((r) => {
      const row = findRoute(API_ROUTES, r.method, r.path);
      return row?.path !== r.path;
    });
    expect(missing).toEqual([]);
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const unregistered = API_ROUTES.map(key).filter((k) => !registered.map(key).includes(k));
    expect(unregistered).toEqual([]);
  });

  test('anonymous callers get 401 everywhere; outsiders 403', async () => {
    for (const route of registeredRoutes(ui.app)) {
      const anonymous = await call(route, callers.anonymous);
      expect({ route, status: anonymous.status }).toEqual({ route, status: 401 });
      const outsider = await call(route, callers.outsider);
      expect({ route, status: outsider.status }).toEqual({ route, status: 403 });
    }
  });

  test('a non-admin gets 403 on every admin route and reaches every user route; nothing is written', async () => {
    const before = snapshot(ui.dataDir);
    for (const route of registeredRoutes(ui.app)) {
      const row = findRoute(API_ROUTES, route.method, route.path) as ApiRoute;
      const r = await call(route, callers.member);
      if (row.role === 'admin') {
        expect({ route, status: r.status }).toEqual({ route, status: 403 });
        expect(((await r.json()) as { error: { message: string } }).error.message).toContain(
          'needs an admin',
        );
      } else {
        expect({ route, refused: r.status === 401 || r.status === 403 }).toEqual({ route, refused: false });
      }
    }
    expect(snapshot(ui.dataDir)).toEqual(before);
  });

  test('an admin reaches every route', async () => {
    for (const route of registeredRoutes(ui.app)) {
      const r = await call(route, callers.admin);
      expect({ route, refused: r.status === 401 || r.status === 403 }).toEqual({ route, refused: false });
      expect({ route, crashed: r.status >= 500 && r.status !== 503 }).toEqual({ route, crashed: false });
    }
  });
});

describe('the role layer', () => {
  test('a route missing from the table is not reachable, even for an admin', async () => {
    const app = new Hono<AuthEnv>();
    app.onError((error, c) =>
      c.json({ error: error.message }, (error as { status?: 403 | 404 }).status ?? 500),
    );
    app.use('*', async (c, next) => {
      c.set('identity', { email: 'boss@acme.com', admin: true, via: 'dev', csrfKey: 'dev' });
      return next();
    });
    app.use('*', roleLayer([{ method: 'GET', path: '/known', role: 'user' }], ''));
    app.get('/known', (c) => c.text('ok'));
    app.get('/forgotten', (c) => c.text('should not answer'));
    expect((await app.request('/known')).status).toBe(200);
    expect((await app.request('/forgotten')).status).toBe(404);
  });

  test('literal rows win over patterns, HEAD follows GET', () => {
    const rows: ApiRoute[] = [
      { method: 'POST', path: '/heads/:version/promote', role: 'admin' },
      { method: 'POST', path: '/heads/rollback', role: 'admin' },
      { method: 'GET', path: '/requests/:id', role: 'user' },
      { method: 'GET', path: '/requests/histogram', role: 'admin' },
    ];
    expect(findRoute(rows, 'GET', '/requests/histogram')?.role).toBe('admin');
    expect(findRoute(rows, 'HEAD', '/requests/abc')?.role).toBe('user');
    expect(findRoute(rows, 'POST', '/heads/rollback')?.path).toBe('/heads/rollback');
    expect(findRoute(rows, 'GET', '/heads/rollback')).toBeUndefined();
    expect(findRoute(rows, 'GET', '/requests/a/b')).toBeUndefined();
  });
});
