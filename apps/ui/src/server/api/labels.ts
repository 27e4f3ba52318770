import { type Label, labelSchema, type Store } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest, notFound } from '../errors.ts';
import { jsonBody } from './body.ts';

export const labelValue = z.enum(['proprietary', 'public'], {
  error: 'label must be "proprietary" or "public"',
});

const addSchema = z.union([
  // requestTime (the list row's time) lets the store start its lookup at the record's day.
  z.object({
    requestId: z.string().min(1).max(200),
    requestTime: z.string().max(40).optional(),
    label: labelValue,
  }),
  z.object({ text: z.string().trim().min(1, 'text must not be empty').max(200_000), label: labelValue }),
]);

/** An import line: a full exported record, or just text and label. */
const importLineSchema = z.union([
  labelSchema,
  z.object({
    text: z.string().trim().min(1).max(200_000),
    label: labelValue,
    requestId: z.string().nullable().optional(),
  }),
]);

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** The curated labels (admin): they steer training, and their text is other people's conversations. */
export function labelRoutes(store: Store) {
  const routes = new Hono<AuthEnv>();

  routes.get('/', async (c) => c.json({ labels: (await store.labels.list()).reverse() }));

  routes.post('/', async (c) => {
    const me = c.get('identity');
    const input = await jsonBody(c, addSchema);
    if ('requestId' in input) {
      const record = await store.audit.find(input.requestId, { time: input.requestTime });
      if (!record)
        throw notFound(`no request ${input.requestId.slice(0, 80)} in the audit log; nothing was labelled`);
      if (record.text.trim().length === 0) throw badRequest('that request has no text to label');
      const label = await store.labels.add({
        text: record.text,
        label: input.label,
        requestId: record.id,
        createdBy: me.email,
      });
      return c.json({ label }, 201);
    }
    const label = await store.labels.add({
      text: input.text,
      label: input.label,
      requestId: null,
      createdBy: me.email,
    });
    return c.json({ label }, 201);
  });

  routes.delete('/:id', async (c) => {
    if (!(await store.labels.remove(c.req.param('id')))) throw notFound('no such label');
    return c.json({ removed: true });
  });

  routes.get('/export', async (c) => {
    const body = (await store.labels.list()).map((l) => `${JSON.stringify(l)}\n`).join('');
    return c.body(body, 200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': 'attachment; filename="labels.jsonl"',
    });
  });

  /** Adds or replaces labels from JSONL. Every line is checked first; one bad line and nothing is written. */
  routes.post('/import', async (c) => {
    const me = c.get('identity');
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_IMPORT_BYTES) throw badRequest(`the import is larger than ${MAX_IMPORT_BYTES} bytes`);
    const body = await c.req.text();
    if (body.length > MAX_IMPORT_BYTES)
      throw badRequest(`the import is larger than ${MAX_IMPORT_BYTES} bytes`);
    const problems: string[] = [];
    const incoming: Label[] = [];
    const now = new Date().toISOString();
    body.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        problems.push(`line ${i + 1}: not JSON`);
        return;
      }
      const parsed = importLineSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(
          `line ${i + 1}: ${parsed.error.issues[0]?.path.join('.') || 'record'} ${parsed.error.issues[0]?.message}`,
        );
        return;
      }
      const l = parsed.data;
      incoming.push(
        'v' in l
          ? l
          : {
              v: 1,
              id: crypto.randomUUID(),
              text: l.text,
              label: l.label,
              requestId: l.requestId ?? null,
              createdAt: now,
              createdBy: me.email,
            },
      );
    });
    if (problems.length > 0) {
      throw badRequest(
        `nothing imported; ${problems.length} bad line(s): ${problems.slice(0, 10).join('; ')}`,
      );
    }
    if (incoming.length === 0) throw badRequest('nothing imported: the file holds no labels');
    const ids = new Set(incoming.map((l) => l.id));
    const requestIds = new Set(incoming.flatMap((l) => (l.requestId ? [l.requestId] : [])));
    const kept = (await store.labels.list()).filter(
      (l) => !ids.has(l.id) && !(l.requestId && requestIds.has(l.requestId)),
    );
    await store.labels.replaceAll([...kept, ...incoming]);
    return c.json({ imported: incoming.length, total: kept.length + incoming.length });
  });
  return routes;
}
