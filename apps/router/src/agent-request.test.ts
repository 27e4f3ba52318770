/**
 * A coding agent's first request (system blocks + 25 tool definitions, ~70 KB, written for the tests) through
 * the router and the real MiniLM classifier, everything at its default settings, with the dev stack's demo
 * head. Heavy (trains the demo head, embeds ~90 windows): run it under `flock /tmp/sb-heavy.lock`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRouterConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import { openStore, type Store } from '@split-brain/store';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { ensureDemoHead } from '../../../scripts/dev/demo-head.ts';
import { AGENT_TOOL_COUNT, agentFirstRequest, agentFollowUp } from './fixtures/agent-request.ts';
import { createRouter, type Router } from './router.ts';
import { auditRecords, ClassifierProcess, FaultyClassifierProxy, routerEnv } from './test-support.ts';

const _REPO = resolve(import.meta.dir, '../../..');
let dataDir: string;
let store: Store;
let sim: Simulator;
let classifier: ClassifierProcess;
let proxy: FaultyClassifierProxy;
let router: Router;
let server: ReturnType<typeof Bun.serve>;
let token: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'router-agent-'));
  store = openStore(dataDir);
  sim = startSimulator();
  classifier = await ClassifierProcess.startMiniLM(dataDir);
  const classifierUrl = classifier.url;
  await ensureDemoHead(store, classifierUrl);
  expect((await fetch(`${classifierUrl}/reload`, { method: 'POST' })).status).toBe(200);
  proxy = new FaultyClassifierProxy(classifierUrl);
  // The router's defaults: no timeout or cache override, only the test's loopback wiring.
  const { CLASSIFIER_TIMEOUT_MS: _, ...env } = routerEnv(dataDir, sim.url, proxy.url);
  router = await createRouter(loadRouterConfig(env), {
    logger: createLogger('router', 'error'),
    validateRecords: true,
  });
  server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: router.app.fetch });
  token = (await store.tokens.create({ user: 'agent@example.com', name: 'agent', createdBy: 'test' })).token;
}, 300_000);

afterAll(async () => {
  await server?.stop(true);
  router?.close();
  await proxy?.stop();
  classifier?.kill();
  await sim?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function send(body: unknown) {
  const response = await fetch(`http://127.0.0.1:${server.port}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      'x-api-key': token,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'x-claude-code-session-id': 'test-session-1',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text };
}

describe('an agent-sized first request with default settings and the real MiniLM', () => {
  const first = agentFirstRequest();

  test('is classified (not a timeout) and, being ordinary developer-tool text, goes to Claude', async () => {
    expect(first.tools).toHaveLength(AGENT_TOOL_COUNT);
    expect(JSON.stringify(first).length).toBeGreaterThan(65_000);
    const { response } = await send(first);
    expect(response.status).toBe(200);
    const record = (await auditRecords({ store, router })).at(-1);
    expect(record?.reason).toBe('below-threshold');
    expect(record?.score).toBeLessThan(0.4);
    expect(response.headers.get('x-split-brain-route')).toBe('claude');
    expect(record?.pieces?.length).toBeGreaterThanOrEqual(AGENT_TOOL_COUNT + 2);
  }, 120_000);

  test('the follow-up is served from the cache: only its new turns reach the classifier', async () => {
    const calls = proxy.classifyCalls.length;
    const next = agentFollowUp(first, 'Hello! I can read, search and edit code in this project.');
    const { response } = await send(next);
    expect(response.headers.get('x-split-brain-route')).toBe('claude');
    const made = proxy.classifyCalls.slice(calls);
    // Only the new turns (and any short structural value new to this request) cross the network: none of
    // the system blocks or tool definitions is sent again.
    const sent = made.flat();
    expect(sent).toContain('Hello! I can read, search and edit code in this project.');
    expect(sent).toContain('Thanks. Which file should I look at first?');
    expect(sent.filter((t) => t.length > 200)).toEqual([]);
    // And the same request again needs no classifier call at all.
    await send(next);
    expect(proxy.classifyCalls.length).toBe(calls + made.length);
    expect((await auditRecords({ store, router })).at(-1)?.reason).toBe('below-threshold');
  }, 60_000);
});
