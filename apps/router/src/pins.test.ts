import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Subprocess } from 'bun';
import { frequentPieces, openStore, pieceHash, type Store } from '@split-brain/store';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { ClassifierProcess, routerEnv, spawnRouter } from './test-support.ts';

/** Pins on a shared data folder, seen by two router processes (two pods), set through the pin CLI. */
const PIN_CLI = resolve(import.meta.dir, 'pin-cli.ts');
let dataDir: string;
let store: Store;
let sim: Simulator;
let classifier: ClassifierProcess;
const routers: { url: string; proc: Subprocess }[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'router-pins-'));
  store = openStore(dataDir);
  sim = startSimulator();
  classifier = await ClassifierProcess.start(dataDir, ['Project Falcon', 'Skunkworks']);
  for (const pod of ['pod-a', 'pod-b'])
    routers.push(
      await spawnRouter(
        routerEnv(dataDir, sim.url, classifier.url, { POD_NAME: pod, CLASSIFIER_TIMEOUT_MS: '2000' }),
      ),
    );
});
afterAll(async () => {
  for (const r of routers) r.proc.kill();
  classifier?.kill();
  await sim?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function route(url: string, messages: { role: string; content: string }[]) {
  const { token } = await store.tokens.create({
    user: `${crypto.randomUUID()}@example.com`,
    name: 't',
    createdBy: 'test',
  });
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', messages }),
  });
  await response.text();
  return response.headers.get('x-split-brain-route');
}

async function pinCli(...args: string[]) {
  const proc = Bun.spawn([process.execPath, PIN_CLI, ...args], {
    env: { ...process.env, SPLIT_BRAIN_DATA_DIR: dataDir },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { out, err, code };
}

/** Polls until every router routes the messages as expected (pins are followed by a 1 s poll). */
async function eventually(messages: { role: string; content: string }[], expected: string) {
  const until = Date.now() + 8000;
  for (;;) {
    const seen = await Promise.all(routers.map((r) => route(r.url, messages)));
    if (seen.every((s) => s === expected)) return seen;
    if (Date.now() > until) return seen;
    await Bun.sleep(250);
  }
}

describe('pins across two router processes sharing a data folder', () => {
  const system = 'Internal assistant. Project Falcon style guide applies to every answer.';

  test('a piece pinned public is not classified again on either pod; the rest of the request still is', async () => {
    const opening = [
      { role: 'system', content: system },
      { role: 'user', content: 'Suggest a title for a blog post about tomatoes.' },
    ];
    expect(await Promise.all(routers.map((r) => route(r.url, opening)))).toEqual(['local', 'local']);

    const pinned = await pinCli('add', 'public', '--text', system, '--note', 'our shared system prompt');
    expect(pinned.code).toBe(0);
    expect(pinned.out).toContain(pieceHash(system));
    expect(await eventually(opening, 'claude')).toEqual(['claude', 'claude']);

    // The user's own turn is still classified: a keyword there sends it local.
    const withKeyword = [
      { role: 'system', content: system },
      { role: 'user', content: 'What is Skunkworks doing this week?' },
    ];
    expect(await Promise.all(routers.map((r) => route(r.url, withKeyword)))).toEqual(['local', 'local']);
  });

  test('a piece pinned proprietary sends the request local on either pod, and the audit says why', async () => {
    const question = 'What is the weather like in Lisbon in May?';
    const messages = [{ role: 'user', content: question }];
    expect(await Promise.all(routers.map((r) => route(r.url, messages)))).toEqual(['claude', 'claude']);
    expect((await pinCli('add', 'proprietary', pieceHash(question))).code).toBe(0);
    expect(await eventually(messages, 'local')).toEqual(['local', 'local']);

    await Bun.sleep(300); // audit lines are written just after each response
    const { records } = await store.audit.page({ limit: 1000 });
    const pods = new Set(records.filter((r) => r.reason === 'pinned-proprietary').map((r) => r.pod));
    expect([...pods].sort()).toEqual(['pod-a', 'pod-b']);
    expect(records.some((r) => r.reason === 'pinned-public')).toBe(true);
    const rows = frequentPieces(records, (h) => store.pins.verdictFor(h));
    const row = rows.find((r) => r.hash === pieceHash(question));
    expect(row?.users).toBe(row?.count);
    expect(row?.preview).toBe(question);

    const listed = await pinCli('list');
    expect(listed.out).toContain(pieceHash(system));
    expect((await pinCli('remove', pieceHash(question))).code).toBe(0);
    expect(await eventually(messages, 'claude')).toEqual(['claude', 'claude']);
    expect((await pinCli('add', 'maybe', 'x')).code).toBe(2);
  });
});
