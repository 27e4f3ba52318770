/**
 * Daily limits enforced by two router processes (two pods) sharing one data folder, as in a cluster.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { openStore, type Store } from '@split-brain/store';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { ClassifierProcess, routerEnv, spawnRouter, TEST_KEYWORDS } from './test-support.ts';
import { estimateTokens } from './token-estimate.ts';

let dir: string;
let sim: Simulator;
let classifier: ClassifierProcess;
let store: Store;
const pods: { url: string; proc: Subprocess }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'router-quota-'));
  sim = startSimulator();
  classifier = await ClassifierProcess.start(dir, TEST_KEYWORDS);
  store = openStore(dir);
  for (const pod of ['pod-a', 'pod-b']) {
    // A long refresh interval: only the near-limit re-read keeps the pods in step.
    pods.push(
      await spawnRouter(
        routerEnv(dir, sim.url, classifier.url, { POD_NAME: pod, USAGE_REFRESH_MS: '60000' }),
      ),
    );
  }
}, 30_000);
afterAll(async () => {
  for (const pod of pods) pod.proc.kill();
  classifier.kill();
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

const MAX_TOKENS = 100;
const body = (n: number) =>
  JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: MAX_TOKENS,
    messages: [{ role: 'user', content: `question ${n}` }],
  });
const reservationOf = (n: number) => estimateTokens(body(n)) + MAX_TOKENS;

async function ask(url: string, token: string, n: number) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': token },
    body: body(n),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { error?: { type: string; message: string } },
  };
}

async function setLimit(user: string, tokens: number) {
  const limits = store.limits.get();
  await store.limits.write({ ...limits, v: 1, users: { ...(await currentUsers()), [user]: tokens } });
  await Bun.sleep(1500); // the pods re-check limits.json every second
}
async function currentUsers() {
  await store.limits.refresh();
  return store.limits.get().users;
}
async function charged(user: string) {
  const day = new Date().toISOString().slice(0, 10);
  const entries = (await store.usage.readDay(day)).filter((e) => e.user === user);
  return {
    total: entries.reduce((n, e) => n + e.tokens, 0),
    settled: entries.filter((e) => e.kind === 'settle').length,
  };
}

test('alternating between pods, a user stops exactly at the limit: no overrun', async () => {
  const user = 'seq@example.com';
  const token = (await store.tokens.create({ user, name: 't', createdBy: 'test' })).token;
  const limit = 1500;
  await setLimit(user, limit);
  const statuses: number[] = [];
  for (let n = 0; n < 60; n++) {
    const result = await ask(pods[n % 2]!.url, token, n);
    statuses.push(result.status);
    if (result.status === 429) {
      expect(result.body.error?.type).toBe('rate_limit_error');
      expect(result.body.error?.message).toContain('daily token limit');
      expect(Number(result.retryAfter)).toBeGreaterThan(0);
    }
    if (statuses.slice(-2).every((s) => s === 429) && statuses.length > 2) break;
  }
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
  expect(statuses.at(-1)).toBe(429);
  const { total } = await charged(user);
  expect(total).toBeLessThanOrEqual(limit);
  // And what is left could not hold another request.
  expect(limit - total).toBeLessThan(reservationOf(99) + 1);
}, 60_000);

test('concurrent bursts at both pods overrun by at most one burst of reservations (the documented bound)', async () => {
  const user = 'burst@example.com';
  const token = (await store.tokens.create({ user, name: 't', createdBy: 'test' })).token;
  const limit = 2000;
  await setLimit(user, limit);
  const perPod = 10;
  const results = await Promise.all(
    pods.flatMap((pod, p) =>
      Array.from({ length: perPod }, (_, i) => ask(pod.url, token, 1000 + p * perPod + i)),
    ),
  );
  const admitted = results.filter((r) => r.status === 200).length;
  expect(admitted).toBeGreaterThan(0);
  expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  const { total } = await charged(user);
  // Worst case: one pod admits a full burst it could not yet see the other pod reserve.
  expect(total).toBeLessThanOrEqual(limit + (pods.length - 1) * perPod * reservationOf(1999));
  // Later requests, once both pods have read each other's ledgers, are refused outright.
  const after = await Promise.all(pods.map((pod, p) => ask(pod.url, token, 3000 + p)));
  if (total + reservationOf(3000) > limit) expect(after.map((r) => r.status)).toEqual([429, 429]);
}, 60_000);
