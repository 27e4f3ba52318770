import { type Store, StoreDataError } from '@split-brain/store';
import { Hono } from 'hono';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import type { ClassifierClient } from '../classifier-client.ts';
import { conflict, notFound } from '../errors.ts';

/** Trained heads: list, promote, roll back. After each change the classifier is told to reload. */
export function headRoutes(store: Store, classifier: ClassifierClient) {
  const routes = new Hono<AuthEnv>();

  routes.get('/', async (c) => {
    const heads = [];
    for (const version of await store.heads.list()) {
      try {
        const h = await store.heads.read(version);
        if (h) {
          heads.push({
            version: h.version,
            createdAt: h.createdAt,
            modelId: h.modelId,
            dimension: h.dimension,
            suggestedThreshold: h.suggestedThreshold ?? null,
            metrics: h.metrics,
          });
        }
      } catch (error) {
        if (!(error instanceof StoreDataError)) throw error;
      }
    }
    heads.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return c.json({ heads, pointer: (await store.heads.pointer()) ?? null });
  });

  routes.post('/:version/promote', async (c) => {
    const me = c.get('identity');
    const version = c.req.param('version');
    // The listing, not a file check: `current` (the pointer file) or a malformed name is simply not a head.
    if (!(await store.heads.list()).includes(version)) throw notFound(`no head ${version.slice(0, 64)}`);
    const pointer = await store.heads.promote(version, me.email);
    return c.json({ pointer, reload: await classifier.reload() });
  });

  routes.post('/rollback', async (c) => {
    const me = c.get('identity');
    const before = await store.heads.pointer();
    if (!before?.history.length) throw conflict('there is no earlier head to roll back to');
    const pointer = await store.heads.rollback(me.email);
    return c.json({ pointer, reload: await classifier.reload() });
  });
  return routes;
}
