import { type AuditRecord, InvalidCursorError, type Store } from '@split-brain/store';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest, forbidden, notFound } from '../errors.ts';
import { jsonBody } from './body.ts';
import { labelValue } from './labels.ts';

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

export const requestQuerySchema = z
  .object({
    user: z.string().trim().toLowerCase().optional(),
    route: z.enum(['claude', 'local', 'none']).optional(),
    minScore: optionalNumber,
    maxScore: optionalNumber,
    from: optionalTime,
    to: optionalTime,
    q: z.string().max(500).optional(),
    cursor: z.string().max(4000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'From is later than To; nothing could match' });
    }
    if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore) {
      ctx.addIssue({ code: 'custom', path: ['minScore'], message: 'Min score is above Max score' });
    }
  });
export type RequestQuery = z.output<typeof requestQuerySchema>;

/**
 * Where a request actually went: null when it was refused, including a quota or capacity refusal (429),
 * which the router records with the route it would have taken.
 */
export const servedRoute = (r: Pick<AuditRecord, 'route' | 'status'>) => (r.status === 429 ? null : r.route);

/** The filter the Requests view applies while the store pages through the log newest first. */
export function requestFilter(q: RequestQuery): ((r: AuditRecord) => boolean) | undefined {
  const text = q.q?.trim().toLowerCase();
  const tests: ((r: AuditRecord) => boolean)[] = [];
  if (q.user) tests.push((r) => r.user.toLowerCase() === q.user);
  if (q.route) tests.push((r) => servedRoute(r) === (q.route === 'none' ? null : q.route));
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
  served: servedRoute(r),
  text: r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text,
});

export const HISTOGRAM_BINS = 20;

/**
 * Scores of the matching requests in HISTOGRAM_BINS equal bins over [0, 1], one row per served route, read
 * newest first for at most `budgetMs`; `complete: false` says the oldest part of the log was not reached
 * and `through` how far back it got.
 */
export async function scoreHistogram(
  store: Store,
  options: { filter?: (r: AuditRecord) => boolean; budgetMs: number },
) {
  const bins = {
    local: new Array<number>(HISTOGRAM_BINS).fill(0),
    claude: new Array<number>(HISTOGRAM_BINS).fill(0),
    refused: new Array<number>(HISTOGRAM_BINS).fill(0),
  };
  let unscored = 0;
  let counted = 0;
  let through: string | null = null;
  const deadline = performance.now() + options.budgetMs;
  let outOfTime = false;
  let checked = 0;
  // A page that never fills: the filter counts every record and keeps none, until the log or the time ends.
  await store.audit.page({
    limit: 1,
    cursor: null,
    filter: (r) => {
      if (outOfTime) return true;
      if (++checked % 256 === 0 && performance.now() > deadline) {
        outOfTime = true;
        return true;
      }
      through = r.time;
      if (options.filter && !options.filter(r)) return false;
      counted++;
      if (r.score === null) unscored++;
      else {
        const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(r.score * HISTOGRAM_BINS)));
        bins[servedRoute(r) ?? 'refused'][bin]!++;
      }
      return false;
    },
  });
  return { bins, unscored, counted, complete: !outOfTime, through: outOfTime ? through : null };
}

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

export function requestRoutes(
  store: Store,
  options: { scanBudgetMs?: number; histogramBudgetMs?: number } = {},
) {
  const routes = new Hono<AuthEnv>();
  const budgetMs = options.scanBudgetMs ?? 200;

  const histogramBudgetMs = options.histogramBudgetMs ?? 1000;
  const parseQuery = (c: Context<AuthEnv>) => {
    const me = c.get('identity');
    const parsed = requestQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    // Non-admins see their own requests only: the log holds everyone's conversation text.
    return me.admin ? parsed.data : { ...parsed.data, user: me.email };
  };

  routes.get('/', async (c) => {
    const query = parseQuery(c);
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

  routes.get('/histogram', async (c) => {
    const query = parseQuery(c);
    return c.json(await scoreHistogram(store, { filter: requestFilter(query), budgetMs: histogramBudgetMs }));
  });

  /** A request the caller may see (their own, or any for an admin), or a 404/403 that says why not. */
  const visibleRecord = async (c: Context<AuthEnv>, time: string | undefined) => {
    const me = c.get('identity');
    // The list row's time lets the store start at the record's day instead of scanning the whole log.
    const record = await store.audit.find(c.req.param('id') ?? '', { time: time?.slice(0, 40) });
    if (!record) throw notFound(`no request ${(c.req.param('id') ?? '').slice(0, 80)} in the audit log`);
    if (!me.admin && record.user.toLowerCase() !== me.email) throw forbidden('this request is not yours');
    return record;
  };

  routes.get('/:id', async (c) => {
    const record = await visibleRecord(c, c.req.query('time'));
    const label = (await store.labels.list()).find((l) => l.requestId === record.id) ?? null;
    return c.json({ record: { ...record, served: servedRoute(record) }, label });
  });

  /** Labels one request with its logged text: anyone may label their own requests, admins any. */
  routes.post('/:id/label', async (c) => {
    const input = await jsonBody(c, z.object({ label: labelValue, time: z.string().max(40).optional() }));
    const record = await visibleRecord(c, input.time);
    if (record.text.trim().length === 0) throw badRequest('that request has no text to label');
    const label = await store.labels.add({
      text: record.text,
      label: input.label,
      requestId: record.id,
      createdBy: c.get('identity').email,
    });
    return c.json({ label }, 201);
  });
  return routes;
}
