/**
 * `bun run dev`: the whole stack on this machine against a local data folder, the UI in dev mode.
 * Bun loads a git-ignored `.env` by itself; any backend it does not configure is served by the upstream
 * simulator, and the banner says so.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dir, '..');
const env = process.env;
const dataDir = resolve(root, env.SPLIT_BRAIN_DATA_DIR ?? '.data');
const ports = {
  router: Number(env.DEV_ROUTER_PORT ?? 8080),
  classifier: Number(env.DEV_CLASSIFIER_PORT ?? 8081),
  ui: Number(env.DEV_UI_PORT ?? 8082),
  simulator: Number(env.DEV_SIMULATOR_PORT ?? 8090),
};
mkdirSync(dataDir, { recursive: true });

const simulatorUrl = `http://127.0.0.1:${ports.simulator}`;
const scalarlmSimulated = !env.SCALARLM_BASE_URL;
const claudeSimulated = !env.ANTHROPIC_API_KEY;
const modelDir = resolve(root, env.CLASSIFIER_MODEL_DIR ?? 'models/all-MiniLM-L6-v2');
const modelKind =
  env.CLASSIFIER_MODEL_KIND ?? (existsSync(join(modelDir, 'config.json')) ? 'minilm' : 'keywords');
const classifierUrl = `http://127.0.0.1:${ports.classifier}`;

const children: Bun.Subprocess[] = [];
function start(name: string, cmd: string[], extraEnv: Record<string, string>) {
  const child = Bun.spawn(cmd, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  for (const stream of [child.stdout, child.stderr]) void prefix(name, stream);
  void child.exited.then((code) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited with code ${code}; stopping the stack`);
      stop(1);
    }
  });
  children.push(child);
}

async function prefix(name: string, stream: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let carry = '';
  const reader = stream.getReader();
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    const lines = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) console.log(`${name.padEnd(10)} | ${line}`);
  }
}

async function waitReady(name: string, url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await Bun.sleep(200);
  }
  throw new Error(`${name} did not become ready at ${url} within ${timeoutMs / 1000}s`);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  void Promise.all(children.map((c) => c.exited)).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

if (scalarlmSimulated || claudeSimulated) {
  start('simulator', ['bun', 'libs/simulator/src/main.ts', '--port', String(ports.simulator)], {});
  await waitReady('simulator', `${simulatorUrl}/v1/models`);
}
start('classifier', ['bun', 'apps/classifier/src/main.ts'], {
  PORT: String(ports.classifier),
  SPLIT_BRAIN_DATA_DIR: dataDir,
  CLASSIFIER_MODEL_KIND: modelKind,
  CLASSIFIER_MODEL_DIR: modelDir,
  CLASSIFIER_KEYWORDS_PATH: env.CLASSIFIER_KEYWORDS_PATH ?? join(root, 'scripts/dev/keywords.txt'),
});
await waitReady('classifier', `${classifierUrl}/readyz`);
start('router', ['bun', 'apps/router/src/main.ts'], {
  PORT: String(ports.router),
  SPLIT_BRAIN_DATA_DIR: dataDir,
  POD_NAME: 'dev-router',
  CLASSIFIER_URL: classifierUrl,
  SCALARLM_BASE_URL: env.SCALARLM_BASE_URL ?? `${simulatorUrl}/v1`,
  ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY ?? 'simulated',
  ...(claudeSimulated ? { ANTHROPIC_BASE_URL: simulatorUrl } : {}),
});
start('ui', ['bun', 'apps/ui/src/server/dev.ts'], {
  PORT: String(ports.ui),
  SPLIT_BRAIN_DATA_DIR: dataDir,
  CLASSIFIER_URL: classifierUrl,
  UI_DEV_MODE: 'true',
  ADMIN_EMAILS: env.ADMIN_EMAILS ?? 'dev@localhost',
  // The Training view's question generator asks the local brain (the simulator when none is configured).
  SCALARLM_BASE_URL: env.SCALARLM_BASE_URL ?? `${simulatorUrl}/v1`,
  ...(env.SCALARLM_MODEL ? { SCALARLM_MODEL: env.SCALARLM_MODEL } : {}),
  ...(env.SCALARLM_API_KEY ? { SCALARLM_API_KEY: env.SCALARLM_API_KEY } : {}),
});
await Promise.all([
  waitReady('router', `http://127.0.0.1:${ports.router}/readyz`),
  waitReady('ui', `http://127.0.0.1:${ports.ui}/healthz`),
]);

console.log(`
split-brain dev stack (data in ${dataDir})
  router      http://127.0.0.1:${ports.router}   (OpenAI: /v1/chat/completions, Anthropic: /v1/messages)
  ui          http://127.0.0.1:${ports.ui}   (dev mode: signed in as the dev user; Vite hot reload)
  classifier  ${classifierUrl}   (${modelKind === 'minilm' ? `MiniLM from ${modelDir}` : 'keywords only: no model found; run `bun run model:fetch`'})
  ScalarLM    ${scalarlmSimulated ? `SIMULATED at ${simulatorUrl}/v1 (set SCALARLM_BASE_URL in .env)` : env.SCALARLM_BASE_URL}
  Claude      ${claudeSimulated ? `SIMULATED at ${simulatorUrl} (set ANTHROPIC_API_KEY in .env)` : 'api.anthropic.com'}
Create a token: bun run token -- create --user you@example.com --name laptop
`);
