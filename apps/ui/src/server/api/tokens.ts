import type { Store, TokenView } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { forbidden, notFound } from '../errors.ts';
import { jsonBody } from './body.ts';

const createSchema = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(200),
  /** Admins may issue a token for someone else; everyone else gets their own. */
  user: z.string().trim().toLowerCase().email('user must be an email address').optional(),
});

/** What the console shows of a token: never the hash (it is what the router looks tokens up by). */
const view = (t: TokenView) => ({
  id: t.id,
  name: t.name,
  user: t.user,
  createdAt: t.createdAt,
  createdBy: t.createdBy,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});

export function tokenRoutes(store: Store) {
  const routes = new Hono<AuthEnv>();

  routes.get('/', async (c) => {
    const me = c.get('identity');
    const all = me.admin && c.req.query('all') === '1';
    const tokens = await store.tokens.list(all ? {} : { user: me.email });
    return c.json({ tokens: tokens.map(view) });
  });

  routes.post('/', async (c) => {
    const me = c.get('identity');
    const input = await jsonBody(c, createSchema);
    const user = input.user ?? me.email;
    if (user !== me.email && !me.admin) throw forbidden('only an admin may issue a token for someone else');
    const { token, record } = await store.tokens.create({ user, name: input.name, createdBy: me.email });
    // The token is shown this once; only its hash is kept.
    return c.json({ token, record: view({ ...record, lastUsedAt: null }) }, 201);
  });

  routes.post('/:id/revoke', async (c) => {
    const me = c.get('identity');
    const id = c.req.param('id');
    const record = /^[a-f0-9]{12}$/.test(id) ? await store.tokens.find(id) : undefined;
    if (!record) throw notFound(`no token ${id.slice(0, 40)}`);
    if (record.user !== me.email && !me.admin) throw forbidden('you may revoke only your own tokens');
    const revoked = await store.tokens.revoke(record.id);
    return c.json({ record: revoked && view({ ...revoked, lastUsedAt: null }) });
  });
  return routes;
}
