import { frequentPieces, type Store } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest, notFound } from '../errors.ts';
import { jsonBody } from './body.ts';

const hash = z.string().regex(/^[a-f0-9]{64}$/, 'a piece hash is 64 lowercase hex characters (SHA-256)');
const pinInput = z.object({
  hash,
  verdict: z.enum(['public', 'proprietary']),
  preview: z.string().max(500).default(''),
  note: z.string().max(500).optional(),
});
/** How much recent traffic the frequent-pieces list reads, at most. */
const MAX_RECORDS = 2000;

/**
 * Pins (admin): pinned verdicts on recurring pieces of text, and the "frequent pieces" of recent traffic
 * to pin from (the most repeated pieces with their scores, how often and by how many users they were sent).
 */
export function pinRoutes(store: Store) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    await store.pins.file.refresh();
    return c.json({ pins: store.pins.list() });
  });
  routes.get('/frequent', async (c) => {
    const hours = Number(c.req.query('hours') ?? 24);
    const limit = Number(c.req.query('limit') ?? 50);
    if (!(hours > 0 && hours <= 24 * 31)) throw badRequest('hours must be between 1 and 744');
    if (!(limit > 0 && limit <= 500)) throw badRequest('limit must be between 1 and 500');
    await store.pins.file.refresh();
    const since = new Date(Date.now() - hours * 3_600_000).toISOString();
    const { records } = await store.audit.page({ limit: MAX_RECORDS, filter: (r) => r.time >= since });
    return c.json({
      hours,
      requests: records.length,
      pieces: frequentPieces(records, (h) => store.pins.verdictFor(h), limit),
    });
  });
  routes.put('/:hash', async (c) => {
    const input = await jsonBody(c, pinInput.omit({ hash: true }));
    const target = hash.safeParse(c.req.param('hash'));
    if (!target.success) throw badRequest('the path must end in a piece hash (64 lowercase hex characters)');
    const pin = await store.pins.pin({
      hash: target.data,
      verdict: input.verdict,
      preview: input.preview,
      ...(input.note ? { note: input.note } : {}),
      createdAt: new Date().toISOString(),
      createdBy: c.get('identity').email,
    });
    return c.json({ pin });
  });
  routes.delete('/:hash', async (c) => {
    const removed = await store.pins.unpin(c.req.param('hash'));
    if (!removed) throw notFound('no pin on that piece');
    return c.json({ removed });
  });
  return routes;
}
