import { limitsSchema, type Store, settingsSchema } from '@split-brain/store';
import { Hono } from 'hono';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { jsonBody } from './body.ts';

/** Limits and settings (admin): the UI is their single writer; router pods follow the files. */
export function limitsRoutes(store: Store) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    await store.limits.refresh();
    return c.json({ limits: store.limits.get() });
  });
  routes.put('/', async (c) => {
    const input = await jsonBody(c, limitsSchema.omit({ v: true }));
    return c.json({ limits: await store.limits.write({ v: 1, ...input }) });
  });
  return routes;
}

export function settingsRoutes(store: Store) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    await store.settings.refresh();
    return c.json({ settings: store.settings.get() });
  });
  routes.put('/', async (c) => {
    const input = await jsonBody(c, settingsSchema.omit({ v: true }));
    return c.json({ settings: await store.settings.write({ v: 1, ...input }) });
  });
  return routes;
}
