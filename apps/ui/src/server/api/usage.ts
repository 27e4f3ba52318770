import type { Route, Store } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest } from '../errors.ts';

export interface UsageDay {
  day: string;
  /** Settled tokens (input + output) per user and brain. */
  users: Record<string, Record<Route, number>>;
}

/** Usage (admin): settled tokens per user, day and brain, summed over every router pod's ledger. */
export function usageRoutes(store: Store) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    const parsed = z.coerce.number().int().min(1).max(92).default(14).safeParse(c.req.query('days'));
    if (!parsed.success) throw badRequest('days: a whole number from 1 to 92');
    const days = (await store.usage.days()).slice(0, parsed.data);
    const out: UsageDay[] = [];
    for (const day of days) {
      const users: UsageDay['users'] = {};
      for (const entry of await store.usage.readDay(day)) {
        if (entry.kind !== 'settle') continue;
        const u = users[entry.user] ?? { claude: 0, local: 0 };
        users[entry.user] = u;
        u[entry.brain] += (entry.inputTokens ?? 0) + (entry.outputTokens ?? 0);
      }
      out.push({ day, users });
    }
    return c.json({ days: out.reverse() });
  });
  return routes;
}
