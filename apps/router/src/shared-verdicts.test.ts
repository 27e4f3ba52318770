/**
 * Verdicts shared between router pods through the data volume: two router processes on one data folder,
 * a real MiniLM classifier (a fixed head, no training needed) behind a proxy that logs what it is asked.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { openStore, type Store } from '@split-brain/store';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { ClassifierProcess, FaultyClassifierProxy, routerEnv, spawnRouter } from './test-support.ts';

let dataDir: string;
let store: Store;
let sim: Simulator;
let classifier: ClassifierProcess;
let proxy: FaultyClassifierProxy;
const routers: { url: string; proc: Subprocess }[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'router-shared-'));
  store = openStore(dataDir);
  const weights = Array.from({ length: 384 }, (_, i) => Math.sin(i) / 10);
  await store.heads.save({
    v: 1,
    version: 'h-shared-1',
    createdAt: new Date().toISOString(),
    modelId: 'sentence-transformers/all-MiniLM-L6-v2',
    dimension: 384,
    weights,
    bias: -3,
    metrics: {},
  });
  await store.heads.promote('h-shared-1', 'test');
  sim = startSimulator();
  classifier = await ClassifierProcess.startMiniLM(dataDir);
  const classifierUrl = classifier.url;
  proxy = new FaultyClassifierProxy(classifierUrl);
  for (const pod of ['pod-a', 'pod-b'])
    routers.push(
      await spawnRouter(
        routerEnv(dataDir, sim.url, proxy.url, { POD_NAME: pod, CLASSIFIER_TIMEOUT_MS: '1500' }),
      ),
    );
}, 120_000);

afterAll(async () => {
  for (const r of routers) r.proc.kill();
  await proxy?.stop();
  classifier?.kill();
  await sim?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function ask(url: string, system: string, question: string) {
  const { token } = await store.tokens.create({
    user: `${crypto.randomUUID()}@example.com`,
    name: 't',
    createdBy: 'test',
  });
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: question },
      ],
    }),
  });
  await response.text();
  return response.headers.get('x-split-brain-route');
}

test('a system prompt classified on one pod is a cache hit on the other a moment later', async () => {
  const system = `You are a helpful coding assistant. Answer briefly. (${crypto.randomUUID()})`;
  const [a, b] = routers;
  const calls = proxy.classifyCalls.length;
  expect(await ask(a!.url, system, 'How do I reverse a list in Python?')).toBe('claude');
  expect(proxy.classifyCalls.slice(calls).flat()).toContain(system);

  await Bun.sleep(2500); // pod-b reads the shared verdicts every second
  const before = proxy.classifyCalls.length;
  expect(await ask(b!.url, system, 'How do I sort a dict by value?')).toBe('claude');
  expect(proxy.classifyCalls.slice(before)).toEqual([['How do I sort a dict by value?']]);
}, 30_000);
