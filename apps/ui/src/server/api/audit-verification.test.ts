import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { auditRecord } from '../testing/audit-records.ts';
import { cloudflareConsole, csrfFor, testConsole } from '../testing/harness.ts';

describe('audit verification API (admin)', () => {
  const ui = testConsole({ UI_DEV_MODE: 'true' });
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await csrfFor(ui.app);
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    for (let i = 0; i < 3; i++) writer.append(auditRecord({ id: `r${i}`, time: new Date().toISOString() }));
    writer.close();
  });
  afterAll(() => ui.close());
  const get = async () =>
    (await (await ui.app.request('/api/audit-verification', { headers })).json()) as {
      last: { ok: boolean; records: number; requestedBy: string | null } | null;
      pending: { requestedBy: string } | null;
    };

  test('shows none yet; a request is pending until a router answers; then the answer is the last', async () => {
    expect(await get()).toEqual({ last: null, pending: null });
    const asked = await ui.app.request('/api/audit-verification', { method: 'POST', headers });
    expect(asked.status).toBe(202);
    const pending = await get();
    expect(pending.last).toBeNull();
    expect(pending.pending?.requestedBy).toBeTruthy();
    // What a router pod does on seeing the request (apps/router/src/audit-maintenance.ts).
    await Bun.sleep(5);
    const request = await ui.store.audit.verifyRequest();
    await ui.store.audit.saveVerification(
      await ui.store.audit.verify({ ranBy: 'router test', requestedBy: request?.requestedBy ?? null }),
    );
    const answered = await get();
    expect(answered.pending).toBeNull();
    expect(answered.last).toMatchObject({ ok: true, records: 3, requestedBy: pending.pending?.requestedBy });
  });

  test('a request without the CSRF header is refused', async () => {
    const { cookie } = headers as { cookie?: string };
    const r = await ui.app.request('/api/audit-verification', {
      method: 'POST',
      headers: cookie ? { cookie } : {},
    });
    expect(r.status).toBe(403);
  });
});

describe('audit verification API (non-admin)', () => {
  test('neither sees nor asks for a verification', async () => {
    const { ui, as } = await cloudflareConsole();
    const ann = await as('ann@acme.com');
    expect((await ui.app.request('/api/audit-verification', { headers: ann })).status).toBe(403);
    expect((await ui.app.request('/api/audit-verification', { method: 'POST', headers: ann })).status).toBe(
      403,
    );
    expect(existsSync(ui.store.paths.auditVerifyRequestFile)).toBe(false);
    ui.close();
  });
});
