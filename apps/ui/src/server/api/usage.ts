import type { Route, Store } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest } from '../errors.ts';

export interface UserDay {
  /** Settled tokens (input + output) per brain. */
  tokens: Record<Route, number>;
  /** Settled requests per brain. */
  requests: Record<Route, number>;
}

export interface UsageDay {
  day: string;
  users: Record<string, UserDay>;
}

const DAY_MS = 86_400_000;

const querySchema = z.object({
  days: z.coerce.number().int().min(1).max(92).default(14),
  /** The last day of the range (UTC, YYYY-MM-DD); today by default. */
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar day')
    .optional(),
});

/** Every calendar day from `days - 1` days before `to` through `to`, oldest first (UTC, as the ledger). */
export function calendarDays(to: string, days: number): string[] {
  const end = Date.parse(`${to}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(end - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * Usage (admin): settled tokens and requests per user, day and brain, summed over every router pod's
 * ledger, for every calendar day of the range — days without traffic are in it with no users, so a chart
 * shows the gaps.
 */
export function usageRoutes(store: Store, now: () => Date = () => new Date()) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    const parsed = querySchema.safeParse(c.req.query());
    if (!parsed.success) {
      throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const to = parsed.data.to ?? now().toISOString().slice(0, 10);
    const range = calendarDays(to, parsed.data.days);
    const recorded = new Set(await store.usage.days());
    const out: UsageDay[] = [];
    for (const day of range) {
      const users: UsageDay['users'] = {};
      if (recorded.has(day)) {
        for (const entry of await store.usage.readDay(day)) {
          if (entry.kind !== 'settle') continue;
          const u = users[entry.user] ?? {
            tokens: { claude: 0, local: 0 },
            requests: { claude: 0, local: 0 },
          };
          users[entry.user] = u;
          u.tokens[entry.brain] += (entry.inputTokens ?? 0) + (entry.outputTokens ?? 0);
          u.requests[entry.brain] += 1;
        }
      }
      out.push({ day, users });
    }
    return c.json({ from: range[0], to, days: out });
  });
  return routes;
}
