import type { Store } from '@split-brain/store';
import { Hono } from 'hono';
import type { AuthEnv } from '../auth/sign-in-layers.ts';

/**
 * The audit chain's last verification, and an admin's request for a new one. The UI never holds
 * AUDIT_HMAC_KEY (only the router does), so a request is a file a router pod answers within seconds; the
 * answer replaces the last verification. Admin-only (mounted behind adminOnly).
 */
export function auditVerificationRoutes(store: Store) {
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => {
    const [last, request] = await Promise.all([store.audit.lastVerification(), store.audit.verifyRequest()]);
    const pending = request && (!last || last.ranAt < request.requestedAt) ? request : null;
    return c.json({ last: last ?? null, pending });
  });
  app.post('/', async (c) => {
    const request = await store.audit.requestVerification(c.get('identity').email);
    return c.json({ pending: request }, 202);
  });
  return app;
}
