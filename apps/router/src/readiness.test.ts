import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import OpenAI from 'openai';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { openStore } from '@split-brain/store';
import { freePort, routerEnv, spawnRouter } from './test-support.ts';

/**
 * A classifier outage must not take the router out of its Service (the chart's readiness probe is /readyz):
 * the router, started as its own process with nothing listening at its classifier URL, is ready, says
 * why in the body, and serves requests through the local brain.
 */
let dataDir: string;
let sim: Simulator;
let router: { url: string; proc: Subprocess };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'router-readiness-'));
  sim = startSimulator();
  const classifierDown = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  router = await spawnRouter(routerEnv(dataDir, sim.url, classifierDown));
});
afterAll(async () => {
  router.proc.kill();
  await router.proc.exited;
  await sim.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('router readiness with the classifier down', () => {
  test('/readyz is 200 and reports the classifier unreachable and the fail-closed routing', async () => {
    const response = await fetch(`${router.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      store: 'writable',
      classifier: 'unreachable',
      routing: 'fail-closed (local)',
    });
  });

  test('a request is served by the local brain, and nothing reaches Claude', async () => {
    const { token } = await openStore(dataDir).tokens.create({
      user: 'ops@example.com',
      name: 'readiness',
      createdBy: 'test',
    });
    const client = new OpenAI({ apiKey: token, baseURL: `${router.url}/v1`, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Explain how tides work in two sentences.' }],
      })
      .withResponse();
    expect(response.headers.get('x-split-brain-route')).toBe('local');
    expect(data.choices[0]?.message.content).toBeTruthy();
    const dialects = sim.requests().map((r) => r.dialect);
    expect(dialects.length).toBeGreaterThan(0);
    expect(dialects).not.toContain('anthropic');
  });

  test('control: the store not being writable still makes the router unready', async () => {
    const missing = join(dataDir, 'gone');
    const other = await spawnRouter(routerEnv(missing, sim.url, `http://127.0.0.1:${await freePort()}`));
    try {
      await rm(missing, { recursive: true, force: true });
      const response = await fetch(`${other.url}/readyz`);
      expect(response.status).toBe(503);
      expect((await response.json()).store).toBe('not writable');
    } finally {
      other.proc.kill();
      await other.proc.exited;
    }
  });
});
