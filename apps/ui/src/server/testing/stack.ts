import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Subprocess } from 'bun';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { freePort } from '@split-brain/http';

export { freePort };

const REPO = resolve(import.meta.dir, '../../../../..');

async function waitReady(url: string, child: Subprocess, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not become ready`);
    await Bun.sleep(100);
  }
}

/**
 * The services the console works with, for browser tests: the upstream simulator (both brains), a real
 * classifier process (MiniLM, the model from `bun run model:fetch`) and a real router process, all on
 * loopback and sharing one data folder with the console.
 */
export async function startServiceStack(dataDir: string) {
  const children: Subprocess[] = [];
  const sim: Simulator = startSimulator({});
  const spawn = (entry: string, env: Record<string, string>) => {
    const child = Bun.spawn(['bun', join(REPO, entry)], {
      cwd: REPO,
      env: { ...process.env, SPLIT_BRAIN_DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env },
      stdout: 'ignore',
      stderr: 'inherit',
    });
    children.push(child);
    return child;
  };
  try {
    mkdirSync(dataDir, { recursive: true });
    const keywordsPath = join(dataDir, 'keywords.txt');
    writeFileSync(keywordsPath, 'Skunkworks\n');
    const classifierPort = await freePort();
    const classifierUrl = `http://127.0.0.1:${classifierPort}`;
    const classifier = spawn('apps/classifier/src/main.ts', {
      PORT: String(classifierPort),
      CLASSIFIER_MODEL_KIND: 'minilm',
      CLASSIFIER_MODEL_DIR: join(REPO, 'models/all-MiniLM-L6-v2'),
      CLASSIFIER_KEYWORDS_PATH: keywordsPath,
      CLASSIFIER_HEAD_POLL_MS: '300',
    });
    await waitReady(`${classifierUrl}/readyz`, classifier);
    const routerPort = await freePort();
    const routerUrl = `http://127.0.0.1:${routerPort}`;
    const router = spawn('apps/router/src/main.ts', {
      PORT: String(routerPort),
      POD_NAME: 'router-browser-test',
      CLASSIFIER_URL: classifierUrl,
      SCALARLM_BASE_URL: `${sim.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-simulated',
      ANTHROPIC_BASE_URL: sim.url,
    });
    await waitReady(`${routerUrl}/readyz`, router);
    return {
      sim,
      classifierUrl,
      routerUrl,
      async stop() {
        for (const c of children) c.kill('SIGTERM');
        await Promise.all(children.map((c) => c.exited));
        await sim.stop();
      },
    };
  } catch (error) {
    for (const c of children) c.kill('SIGKILL');
    await sim.stop();
    throw error;
  }
}
