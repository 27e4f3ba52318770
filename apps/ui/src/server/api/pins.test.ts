import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { pieceHash } from '@split-brain/store';
import { auditRecord } from '../testing/audit-records.ts';
import { cloudflareConsole, csrfFor, testConsole } from '../testing/harness.ts';

const system = 'You are a coding agent. Use the tools below.';
const question = 'What is the overrun on Project Kestrel?';
const piece = (text: string, score: number | null) => ({
  hash: pieceHash(text),
  score,
  chars: text.length,
  preview: text,
});

describe('Pins API (admin)', () => {
  const ui = testConsole({ UI_DEV_MODE: 'true' });
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await csrfFor(ui.app);
    const writer = ui.store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    const now = Date.now();
    for (let i = 0; i < 6; i++) {
      writer.append(
        auditRecord({
          id: `req-${i}`,
          time: new Date(now - (6 - i) * 60_000).toISOString(),
          user: `user${i % 3}@acme.com`,
          pieces: [piece(system, 0.45), ...(i === 5 ? [piece(question, 0.9)] : [])],
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
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  test('frequent pieces: most repeated first, with score, count and distinct users', async () => {
    const { status, body } = await call('GET', '/api/pins/frequent?hours=1');
    expect(status).toBe(200);
    const pieces = body.pieces as {
      hash: string;
      count: number;
      users: number;
      maxScore: number;
      pinned: null;
    }[];
    expect(pieces.map((p) => p.hash)).toEqual([pieceHash(system), pieceHash(question)]);
    expect(pieces[0]).toMatchObject({ count: 6, users: 3, maxScore: 0.45, pinned: null });
  });

  test('pin, list, see it in the frequent list, unpin; bad input is refused by name', async () => {
    const pinned = await call('PUT', `/api/pins/${pieceHash(system)}`, {
      verdict: 'public',
      preview: system,
    });
    expect(pinned.status).toBe(200);
    expect(ui.store.pins.list().map((p) => [p.hash, p.verdict, p.createdBy])).toEqual([
      [pieceHash(system), 'public', 'dev@localhost'],
    ]);
    const frequent = await call('GET', '/api/pins/frequent?hours=1');
    expect((frequent.body.pieces as { pinned: string | null }[])[0]?.pinned).toBe('public');
    expect((await call('PUT', `/api/pins/${pieceHash(system)}`, { verdict: 'maybe' })).status).toBe(400);
    expect((await call('PUT', '/api/pins/not-a-hash', { verdict: 'public' })).status).toBe(400);
    expect((await call('GET', '/api/pins/frequent?hours=0')).status).toBe(400);
    expect((await call('DELETE', `/api/pins/${pieceHash(system)}`)).status).toBe(200);
    expect((await call('DELETE', `/api/pins/${pieceHash(system)}`)).status).toBe(404);
    expect(((await call('GET', '/api/pins')).body.pins as unknown[]).length).toBe(0);
  });
});

describe('Pins API as a non-admin', () => {
  test('is forbidden, and nothing is written', async () => {
    const { ui, as } = await cloudflareConsole();
    const ann = await as('ann@acme.com');
    expect((await ui.app.request('/api/pins/frequent', { headers: ann })).status).toBe(403);
    const put = await ui.app.request(`/api/pins/${pieceHash(system)}`, {
      method: 'PUT',
      headers: { ...ann, 'content-type': 'application/json' },
      body: JSON.stringify({ verdict: 'public' }),
    });
    expect(put.status).toBe(403);
    expect(ui.store.pins.list()).toEqual([]);
    ui.close();
  });
});
