import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Head } from '@split-brain/store';
import { MINILM_MODEL_ID } from './embedder.ts';
import { startTestClassifier, type TestClassifier } from './test-support.ts';

let svc: TestClassifier;
let keywordsFile: string;

/** A head that scores texts by their similarity to one anchor sentence. */
async function anchorHead(version: string, anchor: string, bias = -3): Promise<Head> {
  const res = await post('/embed', { texts: [anchor] });
  const [vector] = ((await res.json()) as { embeddings: number[][] }).embeddings;
  return {
    v: 1,
    version,
    createdAt: new Date().toISOString(),
    modelId: MINILM_MODEL_ID,
    dimension: 384,
    weights: vector!.map((x) => x * 10),
    bias,
    metrics: {},
  };
}

function post(path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${svc.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body:
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? new Blob([body as Uint8Array<ArrayBuffer>])
          : JSON.stringify(body),
    ...init,
  });
}

async function classify(texts: string[]) {
  const res = await post('/classify', { texts });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    headVersion: string | null;
    maxScore: number | null;
    keywords: string[];
    results: { score: number | null; keywords: string[]; windows: number }[];
  };
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'classifier-kw-'));
  keywordsFile = join(dir, 'keywords.txt');
  await writeFile(keywordsFile, 'Bluefin\nHM-2291\n');
  svc = await startTestClassifier({ keywordsPath: keywordsFile, headPollMs: 100 });
});
afterAll(async () => {
  await svc?.close();
  await rm(join(keywordsFile, '..'), { recursive: true, force: true });
});

describe('classifier service', () => {
  test('without a head: ready, score null, keywords still reported', async () => {
    const ready = await fetch(`${svc.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ modelKind: 'minilm', headVersion: null });
    const body = await classify(['tell me about project bluefin', 'hello']);
    expect(body.headVersion).toBeNull();
    expect(body.maxScore).toBeNull();
    expect(body.results.map((r) => r.keywords)).toEqual([['Bluefin'], []]);
    expect(body.keywords).toEqual(['Bluefin']);
  });

  test('/reload answers 409 when no head is promoted', async () => {
    const res = await post('/reload', {});
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('no head');
  });

  test('a promoted head is loaded by /reload and scores texts; long texts score their best window', async () => {
    await svc.store.heads.save(await anchorHead('h1', 'the hull budget overrun of the boat project'));
    await svc.store.heads.promote('h1', 'test');
    const res = await post('/reload', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ headVersion: 'h1', changed: true });
    const filler = Array.from({ length: 80 }, (_, i) => `Line ${i} is about gardening and tomatoes.`).join(
      ' ',
    );
    const body = await classify([
      'what was the budget overrun on the hull project?',
      'how do I bake banana bread?',
      `${filler} Also, what was the budget overrun on the hull project?`,
    ]);
    expect(body.headVersion).toBe('h1');
    const [related, unrelated, long] = body.results;
    expect(related!.score!).toBeGreaterThan(unrelated!.score! + 0.2);
    expect(long!.windows).toBeGreaterThan(1);
    expect(long!.score!).toBeGreaterThan(unrelated!.score! + 0.2);
    expect(body.maxScore).toBe(Math.max(...body.results.map((r) => r.score!)));
    expect(((await (await fetch(`${svc.url}/readyz`)).json()) as { headVersion: string }).headVersion).toBe(
      'h1',
    );
  });

  test.each([
    ['truncated', (h: Head) => JSON.stringify(h).slice(0, 200), 'not valid JSON'],
    [
      'wrong dimension',
      (h: Head) => JSON.stringify({ ...h, dimension: 768, weights: [...h.weights, ...h.weights] }),
      'dimension 768',
    ],
    ['unknown format version', (h: Head) => JSON.stringify({ ...h, v: 2 }), 'at v'],
    [
      'another model',
      (h: Head) => JSON.stringify({ ...h, modelId: 'bert-base-uncased' }),
      'bert-base-uncased',
    ],
  ])('a %s head is refused with 409 and the old head keeps serving', async (name, corrupt, reason) => {
    const version = `bad-${name.replace(/\W+/g, '-')}`;
    const good = await anchorHead(version, 'anything');
    await writeFile(svc.store.paths.headFile(version), corrupt(good));
    await svc.store.heads.promote(version, 'test').catch(() => {
      // promote itself refuses unreadable heads; point at it by hand, as a foreign writer could.
    });
    await writeFile(
      svc.store.paths.headPointerFile,
      JSON.stringify({
        v: 1,
        current: version,
        history: ['h1'],
        updatedAt: new Date().toISOString(),
        updatedBy: 't',
      }),
    );
    const res = await post('/reload', {});
    expect(res.status).toBe(409);
    const error = ((await res.json()) as { error: { type: string; message: string } }).error;
    expect(error.type).toBe('head_rejected');
    expect(error.message).toContain(reason);
    expect(error.message).toContain('still serving h1');
    expect((await classify(['hello'])).headVersion).toBe('h1');
    await svc.store.heads.promote('h1', 'test');
  });

  test('each replica picks up a promoted head by polling, without /reload', async () => {
    await svc.store.heads.save(await anchorHead('h2', 'warranty claims for boats'));
    await svc.store.heads.promote('h2', 'test');
    const deadline = Date.now() + 5000;
    while ((await classify(['hi'])).headVersion !== 'h2' && Date.now() < deadline) await Bun.sleep(50);
    expect((await classify(['hi'])).headVersion).toBe('h2');
  });

  test('/reload switches heads under load without a failed request', async () => {
    await svc.store.heads.save(await anchorHead('h3', 'shift schedule at the yard'));
    let stop = false;
    const seen = new Set<string | null>();
    const statuses: number[] = [];
    const load = Array.from({ length: 6 }, async (_, worker) => {
      while (!stop) {
        const res = await post('/classify', { texts: [`worker ${worker} asks about the yard schedule`] });
        statuses.push(res.status);
        seen.add(((await res.json()) as { headVersion: string | null }).headVersion);
      }
    });
    for (const version of ['h3', 'h2', 'h3', 'h1', 'h3']) {
      await svc.store.heads.promote(version, 'test');
      expect((await post('/reload', {})).status).toBe(200);
      await Bun.sleep(30);
    }
    stop = true;
    await Promise.all(load);
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(seen.has('h3') && seen.has('h1')).toBe(true);
  });

  test.each([
    ['no texts', { texts: [] }, 400, 'non-empty array'],
    ['texts not an array', { texts: 'hi' }, 400, 'non-empty array'],
    ['an empty text', { texts: ['ok', '  '] }, 400, 'texts[1] is empty'],
    ['a non-string text', { texts: [42] }, 400, 'texts[0] is not a string'],
    ['a lone surrogate', '{"texts":["bad \\ud800 text"]}', 400, 'unpaired'],
    ['not JSON', '{"texts": [', 400, 'not valid JSON'],
    [
      'non-UTF-8 bytes',
      new Uint8Array([
        0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x73, 0x22, 0x3a, 0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d, 0x7d,
      ]),
      400,
      'not valid UTF-8',
    ],
    ['a huge text', { texts: ['word '.repeat(30_000)] }, 413, 'at most 100000'],
    ['too many texts', { texts: Array.from({ length: 300 }, () => 'x') }, 413, 'at most 256'],
  ])('refuses %s with a clear 4xx', async (_, body, status, message) => {
    for (const path of ['/classify', '/embed']) {
      const res = await post(path, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
    }
    expect((await classify(['still fine'])).results).toHaveLength(1);
  });

  test('/embed returns one normalised 384-d vector per text', async () => {
    const res = await post('/embed', { texts: ['one', 'two words'] });
    const body = (await res.json()) as { modelId: string; dimension: number; embeddings: number[][] };
    expect(body.modelId).toBe(MINILM_MODEL_ID);
    expect(body.embeddings).toHaveLength(2);
    for (const e of body.embeddings) {
      expect(e).toHaveLength(384);
      expect(Math.abs(Math.hypot(...e) - 1)).toBeLessThan(1e-5);
    }
  });

  test('answers carry Server-Timing: queue, model and total time in the handler', async () => {
    for (const path of ['/classify', '/embed']) {
      const res = await post(path, { texts: ['what is the weather like in the harbour today?'] });
      expect(res.status).toBe(200);
      const parts = Object.fromEntries(
        (res.headers.get('server-timing') ?? '').split(', ').map((part) => {
          const [name, dur] = part.split(';dur=');
          return [name, Number(dur)];
        }),
      );
      expect(Object.keys(parts)).toEqual(['queue', 'model', 'total']);
      expect(parts.model).toBeGreaterThan(0);
      expect(parts.queue).toBeGreaterThanOrEqual(0);
      expect(parts.total).toBeGreaterThanOrEqual(parts.model! + parts.queue! - 0.01);
    }
  });

  test('/metrics counts classified texts', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/classifier_texts_total\{endpoint="classify"\} \d+/);
  });
});

describe('keywords kind', () => {
  test('scores 1 on a keyword match, else 0, and has no head to reload', async () => {
    const kw = await startTestClassifier({ modelKind: 'keywords', keywordsPath: keywordsFile });
    try {
      const res = await fetch(`${kw.url}/classify`, {
        method: 'POST',
        body: JSON.stringify({ texts: ['contract hm-2291 terms', 'weather today'] }),
      });
      const body = (await res.json()) as {
        modelKind: string;
        maxScore: number;
        results: { score: number }[];
      };
      expect(body.modelKind).toBe('keywords');
      expect(body.results.map((r) => r.score)).toEqual([1, 0]);
      expect(body.maxScore).toBe(1);
      expect((await fetch(`${kw.url}/reload`, { method: 'POST' })).status).toBe(409);
      expect((await fetch(`${kw.url}/readyz`)).status).toBe(200);
    } finally {
      await kw.close();
    }
  });
});
