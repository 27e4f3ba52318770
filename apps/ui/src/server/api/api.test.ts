import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { auditRecord } from '../testing/audit-records.ts';
import { cloudflareConsole, csrfFor, testConsole } from '../testing/harness.ts';
import { minimalPdf } from '../testing/minimal-pdf.ts';

type Json = Record<string, unknown> & { error?: { type: string; message: string } };

describe('API in dev mode (the dev user is an admin)', () => {
  const ui = testConsole({ UI_DEV_MODE: 'true' }, { maxUploadBytes: 64 * 1024 });
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await csrfFor(ui.app);
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    const base = Date.parse('2026-11-20T10:00:00Z');
    for (let i = 0; i < 30; i++) {
      writer.append(
        auditRecord({
          id: `req-${i}`,
          time: new Date(base + i * 60_000).toISOString(),
          user: i % 3 === 0 ? 'bob@acme.com' : 'ann@acme.com',
          route: i % 2 === 0 ? 'local' : 'claude',
          score: i / 30,
          text: i === 7 ? 'Quarterly numbers for Project Kestrel' : `ordinary question ${i}`,
        }),
      );
    }
    writer.close();
  });
  afterAll(() => ui.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const r = await ui.app.request(path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Json };
  };
  const upload = (
    name: string,
    data: Uint8Array<ArrayBuffer> | string,
    type = 'application/octet-stream',
  ) => {
    const form = new FormData();
    form.set('file', new File([data], name, { type }));
    return ui.app.request('/api/documents', { method: 'POST', headers, body: form });
  };

  test('tokens: created once in full, listed without the secret, revoked', async () => {
    const created = await call('POST', '/api/tokens', { name: 'laptop' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^sbk_/);
    const listed = await call('GET', '/api/tokens');
    const text = JSON.stringify(listed.body);
    expect(text).toContain('laptop');
    expect(text).not.toContain(token);
    expect(await ui.store.tokens.lookup(token)).toMatchObject({ user: 'dev@localhost', revokedAt: null });
    const id = (created.body.record as { id: string }).id;
    expect((await call('POST', `/api/tokens/${id}/revoke`)).status).toBe(200);
    expect((await ui.store.tokens.lookup(token))?.revokedAt).not.toBeNull();
    expect((await call('POST', '/api/tokens/000000000000/revoke')).status).toBe(404);
    expect((await call('POST', '/api/tokens', { name: '' })).body.error?.message).toContain('name');
  });

  test('requests: newest first, cursor paging, filters', async () => {
    const first = await call('GET', '/api/requests?limit=10');
    const ids = (first.body.records as { id: string }[]).map((r) => r.id);
    expect(ids.slice(0, 3)).toEqual(['req-29', 'req-28', 'req-27']);
    const second = await call('GET', `/api/requests?limit=10&cursor=${first.body.nextCursor}`);
    expect((second.body.records as { id: string }[])[0]?.id).toBe('req-19');
    const byUser = await call('GET', '/api/requests?user=bob@acme.com&route=local&limit=100');
    expect((byUser.body.records as { id: string }[]).map((r) => r.id)).toEqual([
      'req-24',
      'req-18',
      'req-12',
      'req-6',
      'req-0',
    ]);
    const text = await call('GET', '/api/requests?q=kestrel');
    expect((text.body.records as { id: string }[]).map((r) => r.id)).toEqual(['req-7']);
    const scored = await call('GET', '/api/requests?minScore=0.9&limit=100');
    expect((scored.body.records as { id: string }[]).map((r) => r.id)).toEqual([
      'req-29',
      'req-28',
      'req-27',
    ]);
    const timed = await call('GET', '/api/requests?from=2026-11-20T10:00:00Z&to=2026-11-20T10:01:00Z');
    expect((timed.body.records as { id: string }[]).map((r) => r.id)).toEqual(['req-1', 'req-0']);
    expect((await call('GET', '/api/requests?cursor=bogus')).status).toBe(400);
    expect((await call('GET', '/api/requests?minScore=7')).status).toBe(400);
    expect((await call('GET', '/api/requests/req-7')).body).toMatchObject({ record: { id: 'req-7' } });
    expect((await call('GET', '/api/requests/nope')).status).toBe(404);
  });

  test('labels: a label for an unknown request is refused and nothing is written', async () => {
    const r = await call('POST', '/api/labels', { requestId: 'no-such-request', label: 'proprietary' });
    expect(r.status).toBe(404);
    expect(r.body.error?.message).toContain('no request no-such-request');
    expect(existsSync(ui.store.paths.labelsFile)).toBe(false);
  });

  test('labels: label a request (text taken from the log), relabel replaces, export and import JSONL', async () => {
    expect((await call('POST', '/api/labels', { requestId: 'req-7', label: 'public' })).status).toBe(201);
    expect((await call('POST', '/api/labels', { requestId: 'req-7', label: 'proprietary' })).status).toBe(
      201,
    );
    const labels = await ui.store.labels.list();
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({
      requestId: 'req-7',
      label: 'proprietary',
      text: 'Quarterly numbers for Project Kestrel',
    });
    const exported = await (await ui.app.request('/api/labels/export', { headers })).text();
    expect(exported.trim().split('\n')).toHaveLength(1);

    const bad = await ui.app.request('/api/labels/import', {
      method: 'POST',
      headers,
      body: '{"text":"fine","label":"public"}\n{"text":"x","label":"maybe"}\nnot json\n',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error?.message).toContain('line 2');
    expect(await ui.store.labels.list()).toHaveLength(1);

    const good = await ui.app.request('/api/labels/import', {
      method: 'POST',
      headers,
      body: `${exported}{"text":"The weather is nice","label":"public"}\n`,
    });
    expect(await good.json()).toEqual({ imported: 2, total: 2 });
  });

  test('documents: text, Markdown, HTML and PDF are stored with their extracted text', async () => {
    const pdf = await upload('plan.pdf', minimalPdf(['Kestrel launch plan']));
    expect(pdf.status).toBe(201);
    const { document } = (await pdf.json()) as { document: { id: string; mediaType: string } };
    expect(document.mediaType).toBe('application/pdf');
    expect(await ui.store.documents.text(document.id)).toContain('Kestrel launch plan');
    expect((await upload('notes.md', '# Notes\nSecret sauce')).status).toBe(201);
    expect((await upload('page.html', '<p>Hello <b>there</b></p>')).status).toBe(201);
    const text = await (await ui.app.request(`/api/documents/${document.id}/text`, { headers })).text();
    expect(text).toContain('Kestrel');
    expect((await call('DELETE', `/api/documents/${document.id}`)).status).toBe(200);
    expect((await call('GET', '/api/documents')).body.documents).toHaveLength(2);
  });

  test('documents: too large or not the claimed type: clear error, nothing written', async () => {
    const before = await ui.store.documents.list();
    const big = await upload('big.txt', 'a'.repeat(200 * 1024));
    expect(big.status).toBe(413);
    expect(((await big.json()) as Json).error?.message).toContain('64 KiB upload limit');
    const justOver = await upload('over.txt', 'a'.repeat(64 * 1024 + 1));
    expect(justOver.status).toBe(413);
    const fake = await upload('report.pdf', 'this is not a pdf', 'application/pdf');
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as Json).error?.message).toContain('not one');
    const binary = await upload('data.txt', new Uint8Array([0, 1, 2, 0xff]));
    expect(binary.status).toBe(415);
    const exe = await upload('tool.exe', 'MZ');
    expect(exe.status).toBe(415);
    const noFile = await ui.app.request('/api/documents', { method: 'POST', headers, body: new FormData() });
    expect(noFile.status).toBe(400);
    expect(await ui.store.documents.list()).toEqual(before);
  });

  test('limits and settings: validated, written through the store', async () => {
    const bad = await call('PUT', '/api/limits', { defaultDailyTokens: -5, users: {} });
    expect(bad.status).toBe(400);
    expect(existsSync(ui.store.paths.limitsFile)).toBe(false);
    const ok = await call('PUT', '/api/limits', {
      defaultDailyTokens: 100_000,
      users: { 'ann@acme.com': null },
    });
    expect(ok.status).toBe(200);
    expect(await Bun.file(ui.store.paths.limitsFile).json()).toMatchObject({
      v: 1,
      defaultDailyTokens: 100_000,
    });
    const settings = await call('PUT', '/api/settings', {
      defaultClaudeModel: 'claude-opus-4-1',
      allowedClaudeModels: ['claude-opus-4-1'],
    });
    expect(settings.status).toBe(200);
    expect((await call('GET', '/api/settings')).body.settings).toMatchObject({
      defaultClaudeModel: 'claude-opus-4-1',
    });
  });

  test('usage: settled tokens per day, user and brain, summed over pods', async () => {
    for (const pod of ['router-0', 'router-1']) {
      const w = ui.store.usage.writer(pod, {
        fsyncIntervalMs: 0,
        now: () => Date.parse('2026-11-21T12:00:00Z'),
      });
      w.append({
        v: 1,
        time: '2026-11-21T12:00:00.000Z',
        requestId: `r-${pod}`,
        user: 'ann@acme.com',
        brain: 'local',
        kind: 'reserve',
        tokens: 500,
      });
      w.append({
        v: 1,
        time: '2026-11-21T12:00:01.000Z',
        requestId: `r-${pod}`,
        user: 'ann@acme.com',
        brain: 'local',
        kind: 'settle',
        tokens: -470,
        inputTokens: 10,
        outputTokens: 20,
      });
      w.close();
    }
    const r = await call('GET', '/api/usage?days=7&to=2026-11-23');
    // Every calendar day of the range, oldest first; days without traffic are there, empty.
    expect(r.body.from).toBe('2026-11-17');
    expect((r.body.days as { day: string }[]).map((d) => d.day)).toEqual([
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
    ]);
    expect((r.body.days as { day: string; users: object }[])[4]).toEqual({
      day: '2026-11-21',
      users: { 'ann@acme.com': { tokens: { claude: 0, local: 60 }, requests: { claude: 0, local: 2 } } },
    });
    expect((r.body.days as { users: object }[])[0]?.users).toEqual({});
    expect((await call('GET', '/api/usage?to=2026-13-45')).status).toBe(400);
  });

  test('heads: promote and roll back through the store; unknown versions are refused', async () => {
    expect((await call('POST', '/api/heads/nope/promote')).status).toBe(404);
    expect((await call('POST', '/api/heads/rollback')).status).toBe(409);
    const head = (version: string) => ({
      v: 1 as const,
      version,
      createdAt: new Date().toISOString(),
      modelId: 'm',
      dimension: 2,
      weights: [0.5, -0.5],
      bias: 0,
      metrics: { auc: 0.9 },
    });
    await ui.store.heads.save(head('h1'));
    await ui.store.heads.save(head('h2'));
    expect((await call('POST', '/api/heads/h1/promote')).body.pointer).toMatchObject({ current: 'h1' });
    const promoted = await call('POST', '/api/heads/h2/promote');
    expect(promoted.body.pointer).toMatchObject({ current: 'h2', history: ['h1'] });
    // No classifier runs in this test: the reload is reported as failed, the promotion stands.
    expect(promoted.body.reload).toMatchObject({ ok: false });
    expect((await call('POST', '/api/heads/rollback')).body.pointer).toMatchObject({ current: 'h1' });
    expect(((await call('GET', '/api/heads')).body.heads as unknown[]).length).toBe(2);
  });

  test('unknown API paths answer JSON 404', async () => {
    const r = await call('GET', '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error?.type).toBe('not_found_error');
  });
});

describe('Requests over a log larger than one scan budget', () => {
  test('a selective filter answers early with a cursor, and following it finds every match once', async () => {
    const ui = testConsole({ UI_DEV_MODE: 'true' }, { requestScanBudgetMs: 0 });
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    const base = Date.parse('2026-11-20T00:00:00Z');
    for (let i = 0; i < 3000; i++) {
      writer.append(
        auditRecord({
          id: `r-${i}`,
          time: new Date(base + i * 1000).toISOString(),
          text: i === 5 || i === 2500 ? 'needle in the log' : 'hay',
        }),
      );
    }
    writer.close();
    const found: string[] = [];
    let incomplete = 0;
    let cursor: string | null = null;
    for (let calls = 0; calls < 100; calls++) {
      const r = await ui.app.request(`/api/requests?q=needle&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await r.json()) as {
        records: { id: string }[];
        nextCursor: string | null;
        complete: boolean;
      };
      found.push(...page.records.map((x) => x.id));
      if (!page.complete) incomplete++;
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(found).toEqual(['r-2500', 'r-5']);
    expect(incomplete).toBeGreaterThan(0);
    ui.close();
  });
});

describe('API as a non-admin behind Cloudflare Access', () => {
  let ui: ReturnType<typeof testConsole>;
  let ann: Record<string, string>;
  let bob: Record<string, string>;
  beforeAll(async () => {
    const { ui: made, as } = await cloudflareConsole();
    ui = made;
    ann = await as('ann@acme.com');
    bob = await as('bob@acme.com');
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    writer.append(auditRecord({ id: 'ann-1', time: '2026-11-20T10:00:00.000Z', user: 'ann@acme.com' }));
    writer.append(auditRecord({ id: 'bob-1', time: '2026-11-20T10:01:00.000Z', user: 'bob@acme.com' }));
    writer.close();
  });

  test("sees only their own requests, and cannot label or revoke someone else's", async () => {
    const page = (await (
      await ui.app.request('/api/requests?user=bob@acme.com', { headers: ann })
    ).json()) as {
      records: { id: string }[];
    };
    expect(page.records.map((r) => r.id)).toEqual(['ann-1']);
    expect((await ui.app.request('/api/requests/bob-1', { headers: ann })).status).toBe(403);
    const label = await ui.app.request('/api/labels', {
      method: 'POST',
      headers: { ...ann, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'bob-1', label: 'public' }),
    });
    expect(label.status).toBe(403);
    expect(existsSync(ui.store.paths.labelsFile)).toBe(false);
    const bobs = await ui.store.tokens.create({ user: 'bob@acme.com', name: 'b', createdBy: 'bob@acme.com' });
    const revoke = await ui.app.request(`/api/tokens/${bobs.record.id}/revoke`, {
      method: 'POST',
      headers: ann,
    });
    expect(revoke.status).toBe(403);
    expect((await ui.store.tokens.lookup(bobs.token))?.revokedAt).toBeNull();
    const forOther = await ui.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...ann, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', user: 'bob@acme.com' }),
    });
    expect(forOther.status).toBe(403);
    expect(
      (await ui.app.request(`/api/tokens/${bobs.record.id}/revoke`, { method: 'POST', headers: bob })).status,
    ).toBe(200);
  });
});

describe('API details the console relies on', () => {
  const ui = testConsole({ UI_DEV_MODE: 'true' }, { staticDir: import.meta.dir });
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await csrfFor(ui.app);
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    const base = Date.parse('2026-11-20T10:00:00Z');
    const rows: [string, 'local' | 'claude', number, number][] = [
      ['a', 'local', 0.92, 200],
      ['b', 'local', 0.97, 200],
      ['c', 'claude', 0.02, 200],
      ['d', 'claude', 0.11, 429],
    ];
    rows.forEach(([id, route, score, status], i) => {
      writer.append(
        auditRecord({ id, route, score, status, time: new Date(base + i * 60_000).toISOString() }),
      );
    });
    writer.close();
  });
  afterAll(() => ui.close());
  const put = (path: string, body: unknown) =>
    ui.app.request(path, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('settings are checked as a whole, each problem named by its field; the threshold is stored', async () => {
    const outside = await put('/api/settings', {
      defaultClaudeModel: 'claude-opus-4-1',
      allowedClaudeModels: ['claude-sonnet-4-6'],
    });
    expect(outside.status).toBe(400);
    const body = (await outside.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields.defaultClaudeModel).toContain('not among the allowed models');
    const names = await put('/api/settings', {
      defaultClaudeModel: null,
      allowedClaudeModels: ['gpt-4o'],
    });
    expect(
      ((await names.json()) as { error: { fields: Record<string, string> } }).error.fields,
    ).toHaveProperty('allowedClaudeModels');
    expect(existsSync(ui.store.paths.settingsFile)).toBe(false);
    const threshold = await put('/api/settings', {
      defaultClaudeModel: null,
      allowedClaudeModels: [],
      classifierThreshold: 1.5,
    });
    expect(threshold.status).toBe(400);
    expect(((await threshold.json()) as Json).error?.message).toContain('classifierThreshold');
    const ok = await put('/api/settings', {
      defaultClaudeModel: 'claude-sonnet-4-6',
      allowedClaudeModels: ['claude-sonnet-4-6'],
      classifierThreshold: 0.55,
    });
    expect(ok.status).toBe(200);
    expect(await Bun.file(ui.store.paths.settingsFile).json()).toMatchObject({ classifierThreshold: 0.55 });
  });

  test('the score histogram counts the filtered requests by where they went; a 429 counts as refused', async () => {
    const r = await ui.app.request('/api/requests/histogram', { headers });
    const h = (await r.json()) as {
      bins: Record<'local' | 'claude' | 'refused', number[]>;
      counted: number;
      complete: boolean;
    };
    expect(h.counted).toBe(4);
    expect(h.complete).toBe(true);
    expect(h.bins.local[18]).toBe(1);
    expect(h.bins.local[19]).toBe(1);
    expect(h.bins.claude[0]).toBe(1);
    expect(h.bins.refused[2]).toBe(1);
    const filtered = (await (
      await ui.app.request('/api/requests/histogram?route=local', { headers })
    ).json()) as {
      counted: number;
    };
    expect(filtered.counted).toBe(2);
    const page = (await (await ui.app.request('/api/requests?route=none', { headers })).json()) as {
      records: { id: string; served: string | null }[];
    };
    expect(page.records.map((x) => [x.id, x.served])).toEqual([['d', null]]);
  });

  test('From later than To, and Min above Max score, are refused', async () => {
    const r = await ui.app.request('/api/requests?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z', {
      headers,
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Json).error?.message).toContain('From is later than To');
    const s = await ui.app.request('/api/requests/histogram?minScore=0.9&maxScore=0.1', { headers });
    expect(s.status).toBe(400);
  });

  test('promoting "current" (the pointer file) is a 404, not a crash', async () => {
    await ui.store.heads.save({
      v: 1,
      version: 'h1',
      createdAt: new Date().toISOString(),
      modelId: 'm',
      dimension: 2,
      weights: [0.5, -0.5],
      bias: 0,
      metrics: {},
    });
    await ui.store.heads.promote('h1', 'test');
    const r = await ui.app.request('/api/heads/current/promote', { method: 'POST', headers });
    expect(r.status).toBe(404);
  });

  test('headers and odd paths: frames denied, a NUL in an asset path is a 404', async () => {
    const r = await ui.app.request('/api/me', { headers });
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect((await ui.app.request('/assets/%00')).status).toBe(404);
    expect((await ui.app.request('/assets/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });

  test("a document's text downloads under the document's name", async () => {
    const form = new FormData();
    form.set('file', new File(['Kestrel notes'], 'kestrel plan.md'));
    const up = await ui.app.request('/api/documents', { method: 'POST', headers, body: form });
    const { document } = (await up.json()) as { document: { id: string } };
    const text = await ui.app.request(`/api/documents/${document.id}/text`, { headers });
    expect(text.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''kestrel%20plan.txt");
  });
});

describe('labels as a non-admin: own requests only, through the request', () => {
  test('labels their own request, not someone else’s, and cannot read or write the label list', async () => {
    const { ui, as } = await cloudflareConsole();
    const ann = await as('ann@acme.com');
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    writer.append(auditRecord({ id: 'ann-1', time: '2026-11-20T10:00:00.000Z', user: 'ann@acme.com' }));
    writer.append(auditRecord({ id: 'bob-1', time: '2026-11-20T10:01:00.000Z', user: 'bob@acme.com' }));
    writer.close();
    const label = (id: string) =>
      ui.app.request(`/api/requests/${id}/label`, {
        method: 'POST',
        headers: { ...ann, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'public', time: '2026-11-20T10:00:00.000Z' }),
      });
    expect((await label('bob-1')).status).toBe(403);
    expect((await label('ann-1')).status).toBe(201);
    expect((await ui.store.labels.list()).map((l) => l.requestId)).toEqual(['ann-1']);
    const detail = (await (await ui.app.request('/api/requests/ann-1', { headers: ann })).json()) as {
      label: { label: string };
    };
    expect(detail.label.label).toBe('public');
    expect((await ui.app.request('/api/labels', { headers: ann })).status).toBe(403);
    expect((await ui.app.request('/api/labels/export', { headers: ann })).status).toBe(403);
    ui.close();
  });
});
