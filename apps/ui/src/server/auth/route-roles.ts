import type { MiddlewareHandler } from 'hono';
import { forbidden, notFound } from '../errors.ts';
import type { AuthEnv } from './sign-in-layers.ts';

/**
 * Who may call what. `user`: anyone the sign-in layers let in (what they see is still their own: their
 * tokens, their requests); `admin`: ADMIN_EMAILS only. Everything that changes routing (documents, labels,
 * training, heads, pins, limits, settings) or reads other people's text is admin.
 */
export type Role = 'user' | 'admin';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api, in Hono's pattern syntax (`:name` is one path segment). */
  path: string;
  role: Role;
}

/**
 * Every API route with the role it needs: the one place roles are decided. A route that is registered but
 * missing here answers 404 (the role layer lets nothing through it does not know), and the role-matrix
 * test fails; adding a route means adding its row.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/me', role: 'user' },
  { method: 'POST', path: '/session/logout', role: 'user' },

  { method: 'GET', path: '/tokens', role: 'user' },
  { method: 'POST', path: '/tokens', role: 'user' },
  { method: 'POST', path: '/tokens/:id/revoke', role: 'user' },

  { method: 'GET', path: '/requests', role: 'user' },
  { method: 'GET', path: '/requests/histogram', role: 'user' },
  { method: 'GET', path: '/requests/:id', role: 'user' },
  { method: 'POST', path: '/requests/:id/label', role: 'user' },

  { method: 'POST', path: '/probe', role: 'user' },

  { method: 'GET', path: '/labels', role: 'admin' },
  { method: 'POST', path: '/labels', role: 'admin' },
  { method: 'DELETE', path: '/labels/:id', role: 'admin' },
  { method: 'GET', path: '/labels/export', role: 'admin' },
  { method: 'POST', path: '/labels/import', role: 'admin' },

  { method: 'GET', path: '/documents', role: 'admin' },
  { method: 'POST', path: '/documents', role: 'admin' },
  { method: 'GET', path: '/documents/:id/text', role: 'admin' },
  { method: 'DELETE', path: '/documents/:id', role: 'admin' },
  { method: 'PUT', path: '/documents/:id/public', role: 'admin' },

  { method: 'GET', path: '/training/jobs/latest', role: 'admin' },
  { method: 'POST', path: '/training/jobs', role: 'admin' },
  { method: 'GET', path: '/training/jobs/:id', role: 'admin' },
  { method: 'POST', path: '/training/jobs/:id/cancel', role: 'admin' },
  { method: 'POST', path: '/training/jobs/:id/save', role: 'admin' },
  { method: 'POST', path: '/training/jobs/:id/replay', role: 'admin' },
  { method: 'GET', path: '/training/questions', role: 'admin' },
  { method: 'POST', path: '/training/questions/generate', role: 'admin' },
  { method: 'POST', path: '/training/questions/generate/cancel', role: 'admin' },
  { method: 'POST', path: '/training/questions/import', role: 'admin' },
  { method: 'POST', path: '/training/questions/drop', role: 'admin' },
  { method: 'POST', path: '/training/questions/relabel', role: 'admin' },

  { method: 'GET', path: '/heads', role: 'admin' },
  { method: 'POST', path: '/heads/:version/promote', role: 'admin' },
  { method: 'POST', path: '/heads/rollback', role: 'admin' },

  { method: 'GET', path: '/usage', role: 'admin' },
  { method: 'GET', path: '/limits', role: 'admin' },
  { method: 'PUT', path: '/limits', role: 'admin' },
  { method: 'GET', path: '/settings', role: 'admin' },
  { method: 'PUT', path: '/settings', role: 'admin' },

  { method: 'GET', path: '/pins', role: 'admin' },
  { method: 'GET', path: '/pins/frequent', role: 'admin' },
  { method: 'PUT', path: '/pins/:hash', role: 'admin' },
  { method: 'DELETE', path: '/pins/:hash', role: 'admin' },

  { method: 'GET', path: '/audit-verification', role: 'admin' },
  { method: 'POST', path: '/audit-verification', role: 'admin' },
];

const compile = (path: string) =>
  new RegExp(
    `^${path
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`,
  );

/** The row for a method and a path under /api; literal rows win over patterns (`/heads/rollback`). */
export function findRoute(routes: readonly ApiRoute[], method: string, path: string): ApiRoute | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const candidates = routes.filter((r) => r.method === wanted && compiled(r).test(path));
  return candidates.find((r) => !r.path.includes(':')) ?? candidates[0];
}

const cache = new WeakMap<ApiRoute, RegExp>();
const compiled = (r: ApiRoute) => {
  let re = cache.get(r);
  if (!re) {
    re = compile(r.path);
    cache.set(r, re);
  }
  return re;
};

/**
 * The role layer, after sign-in and CSRF: a route not in the table is not there (404), an admin route
 * refuses everyone else (403) before any handler runs.
 */
export function roleLayer(routes: readonly ApiRoute[], mountedAt = '/api'): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const path = c.req.path.startsWith(mountedAt) ? c.req.path.slice(mountedAt.length) || '/' : c.req.path;
    const route = findRoute(routes, c.req.method, path);
    if (!route) throw notFound(`no API ${c.req.method} ${c.req.path.slice(0, 200)}`);
    if (route.role === 'admin' && !c.get('identity').admin) {
      throw forbidden('this needs an admin (ADMIN_EMAILS)');
    }
    return next();
  };
}
