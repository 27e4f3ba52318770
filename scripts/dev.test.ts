import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../libs/http/src/index.ts';
import { openStore } from '../libs/store/src/index.ts';

/** The dev launcher's newcomer path: what it refuses before starting anything, and its token command. */
const DEV = resolve(import.meta.dir, 'dev.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'sb-dev-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function dev(args: string[], env: Record<string, string>) {
  const child = Bun.spawn([process.execPath, DEV, ...args], {
    env: { ...process.env, SPLIT_BRAIN_DATA_DIR: dataDir, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { out, err, code };
}

test('a taken port stops the launcher before it starts anything, naming the port and its variable', async () => {
  const holder = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('another stack') });
  try {
    const { err, code } = await dev([], { DEV_ROUTER_PORT: String(holder.port) });
    expect(code).toBe(1);
    expect(err).toContain(`port ${holder.port} (router) is taken`);
    expect(err).toContain('DEV_ROUTER_PORT');
  } finally {
    await holder.stop(true);
  }
});

test('`dev token create` writes the token where the dev stack reads', async () => {
  const { out, code } = await dev(['token', 'create', '--user', 'you@example.com', '--name', 'laptop'], {});
  expect(code).toBe(0);
  const token = out.trim();
  expect(token).toStartWith('sbk_');
  const tokens = await openStore(dataDir).tokens.list({ user: 'you@example.com' });
  expect(tokens.map((t) => t.name)).toEqual(['laptop']);
  expect((await dev(['nonsense'], {})).code).toBe(2);
});

test('the whole stack comes up, and the console can generate questions with the same local brain as the router', async () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'sb-dev-stack-'));
  const ports = {
    DEV_ROUTER_PORT: String(await freePort()),
    DEV_CLASSIFIER_PORT: String(await freePort()),
    DEV_UI_PORT: String(await freePort()),
    DEV_SIMULATOR_PORT: String(await freePort()),
  };
  const child = Bun.spawn([process.execPath, DEV], {
    env: { ...process.env, SPLIT_BRAIN_DATA_DIR: stackDir, ...ports },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  try {
    let out = '';
    const reader = child.stdout.getReader();
    const deadline = Date.now() + 170_000;
    while (!out.includes('split-brain dev stack') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    expect(out).toContain('split-brain dev stack');
    expect(out).toContain(`ScalarLM    SIMULATED at http://127.0.0.1:${ports.DEV_SIMULATOR_PORT}/v1`);
    const res = await fetch(`http://127.0.0.1:${ports.DEV_UI_PORT}/api/training/questions`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { generationAvailable: boolean }).generationAvailable).toBe(true);
  } finally {
    child.kill('SIGTERM');
    await child.exited;
    rmSync(stackDir, { recursive: true, force: true });
  }
}, 200_000);
