import { type AuditRecord, InvalidCursorError, type Store } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest, forbidden, notFound } from '../errors.ts';

const optionalNumber = z.coerce.number().min(0).max(1).optional();
const optionalTime = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'expected a date and time, e.g. 2026-11-23T10:00' });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

export const requestQuerySchema = z.object({
  user: z.string().trim().toLowerCase().optional(),
  route: z.enum(['claude', 'local', 'none']).optional(),
  minScore: optionalNumber,
  maxScore: optionalNumber,
  from: optionalTime,
  to: optionalTime,
  q: z.string().max(500).optional(),
  cursor: z.string().max(4000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RequestQuery = z.output<typeof requestQuerySchema>;

/** The filter the Requests view applies while the store pages through the log newest first. */
export function requestFilter(q: RequestQuery): ((r: AuditRecord) => boolean) | undefined {
  const text = q.q?.trim().toLowerCase();
  const tests: ((r: AuditRecord) => boolean)[] = [];
  if (q.user) tests.push((r) => r.user.toLowerCase() === q.user);
  if (q.route) tests.push((r) => (q.route === 'none' ? r.route === null : r.route === q.route));
  if (q.minScore !== undefined) tests.push((r) => r.score !== null && r.score >= q.minScore!);
  if (q.maxScore !== undefined) tests.push((r) => r.score !== null && r.score <= q.maxScore!);
  if (q.from) tests.push((r) => r.time >= q.from!);
  if (q.to) tests.push((r) => r.time <= q.to!);
  if (text) tests.push((r) => r.text.toLowerCase().includes(text) || r.id === text);
  if (tests.length === 0) return undefined;
  return (r) => tests.every((t) => t(r));
}

/** A row of the list: the text cut short, the rest as recorded. */
const summary = (r: AuditRecord) => ({
  ...r,
  text: r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text,
});

/**
 * A page of matching records, newest first, scanning for at most `budgetMs`. A selective filter over a
 * large log could otherwise read all of it in one request; past the budget the page ends early
 * (`complete: false`) with a cursor right after the last record examined, so "Load older" resumes there.
 */
export async function pageWithBudget(
  store: Store,
  options: { limit: number; cursor: string | null; filter?: (r: AuditRecord) => boolean; budgetMs: number },
) {
  const filter = options.filter;
  if (!filter) {
    const page = await store.audit.page({ limit: options.limit, cursor: options.cursor });
    return { ...page, complete: true };
  }
  const deadline = performance.now() + options.budgetMs;
  let outOfTime = false;
  let checked = 0;
  const page = await store.audit.page({
    limit: options.limit,
    cursor: options.cursor,
    // Past the deadline every record is let through, which fills the page and ends the scan at once; those
    // records are dropped again below.
    filter: (r) => {
      if (!outOfTime && ++checked % 256 === 0 && performance.now() > deadline) outOfTime = true;
      return outOfTime || filter(r);
    },
  });
  return {
    records: outOfTime ? page.records.filter(filter) : page.records,
    nextCursor: page.nextCursor,
    complete: !outOfTime,
    scannedThrough: outOfTime ? (page.records.at(-1)?.time ?? null) : null,
  };
}

export function requestRoutes(store: Store, options: { scanBudgetMs?: number } = {}) {
  const routes = new Hono<AuthEnv>();
  const budgetMs = options.scanBudgetMs ?? 200;

  routes.get('/', async (c) => {
    const me = c.get('identity');
    const parsed = requestQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    // Non-admins see their own requests only: the log holds everyone's conversation text.
    const query = me.admin ? parsed.data : { ...parsed.data, user: me.email };
    try {
      const page = await pageWithBudget(store, {
        limit: query.limit,
        cursor: query.cursor ?? null,
        filter: requestFilter(query),
        budgetMs,
      });
      return c.json({ ...page, records: page.records.map(summary) });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badRequest('cursor: not a cursor this list gave out');
      throw error;
    }
  });

  routes.get('/:id', async (c) => {
    const me = c.get('identity');
    // ?time= (the list row's time) lets the store start at the record's day instead of scanning the whole log.
    const record = await store.audit.find(c.req.param('id'), { time: c.req.query('time')?.slice(0, 40) });
    if (!record) throw notFound(`no request ${c.req.param('id').slice(0, 80)} in the audit log`);
    if (!me.admin && record.user.toLowerCase() !== me.email) throw forbidden('this request is not yours');
    const label = (await store.labels.list()).find((l) => l.requestId === record.id) ?? null;
    return c.json({ record, label });
  });
  return routes;
}
