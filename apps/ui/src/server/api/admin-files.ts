import { type LiveFile, limitsSchema, type Store, settingsSchema } from '@split-brain/store';
import { Hono } from 'hono';
import type { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { jsonBody } from './body.ts';

/** Limits and settings (admin): the UI is their single writer; router pods follow the files. */
export function limitsRoutes(store: Store) {
  return liveFileRoutes('limits', store.limits, limitsSchema);
}

export function settingsRoutes(store: Store) {
  return liveFileRoutes('settings', store.settings, settingsSchema);
}

/** GET answers `{ [field]: the current record }`; PUT takes the record without its `v` and writes it. */
function liveFileRoutes<S extends z.ZodObject<{ v: z.ZodType }>>(
  field: string,
  file: LiveFile<S>,
  schema: S,
) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    await file.refresh();
    return c.json({ [field]: file.get() });
  });
  routes.put('/', async (c) => {
    const input = await jsonBody(c, schema.omit({ v: true }));
    // write() validates the whole record against the schema again.
    return c.json({ [field]: await file.write({ v: 1, ...input } as z.input<S>) });
  });
  return routes;
}
