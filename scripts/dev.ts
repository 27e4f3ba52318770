/**
 * `bun run dev`: the whole stack on this machine against a local data folder, the UI in dev mode.
 * Bun loads a git-ignored `.env` by itself; any backend it does not configure is served by the upstream
 * simulator, and the banner says so. Services listen on HOST (127.0.0.1 unless `.env` says otherwise).
 *
 * `bun run dev token ...`, `... pin ...` and `... audit ...` run those CLIs against the dev stack's data
 * folder (what `./scripts/dev.sh token ...` does from a fresh shell, with Bun installed first).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { openStore } from '../libs/store/src/index.ts';
import { DEMO_HEAD_PREFIX, ensureDemoHead } from './dev/demo-head.ts';

const root = resolve(import.meta.dir, '..');
const env = process.env;
const dataDir = resolve(root, env.SPLIT_BRAIN_DATA_DIR ?? '.data');
const host = env.HOST ?? '127.0.0.1';

const TOOLS: Record<string, string> = {
  token: 'apps/router/src/token-cli.ts',
  pin: 'apps/router/src/pin-cli.ts',
  audit: 'apps/router/src/audit-cli.ts',
};
const [subcommand, ...subArgs] = process.argv.slice(2);
if (subcommand) {
  const tool = TOOLS[subcommand];
  if (!tool) {
    console.error(`unknown command "${subcommand}": use \`bun run dev\` alone, or with token, pin or audit`);
    process.exit(2);
  }
  mkdirSync(dataDir, { recursive: true });
  const child = Bun.spawn([process.execPath, join(root, tool), ...subArgs.filter((a) => a !== '--')], {
    cwd: root,
    env: { ...env, SPLIT_BRAIN_DATA_DIR: dataDir },
    stdio: ['inherit', 'inherit', 'inherit'],
  });
  process.exit(await child.exited);
}

/** Each port with the variable that moves it, so a clash can be fixed without reading this file. */
const ports = {
  router: { port: Number(env.DEV_ROUTER_PORT ?? 8080), variable: 'DEV_ROUTER_PORT' },
  classifier: { port: Number(env.DEV_CLASSIFIER_PORT ?? 8081), variable: 'DEV_CLASSIFIER_PORT' },
  ui: { port: Number(env.DEV_UI_PORT ?? 8082), variable: 'DEV_UI_PORT' },
  simulator: { port: Number(env.DEV_SIMULATOR_PORT ?? 8090), variable: 'DEV_SIMULATOR_PORT' },
};
const scalarlmSimulated = !env.SCALARLM_BASE_URL;
const claudeSimulated = !env.ANTHROPIC_API_KEY;
const simulated = scalarlmSimulated || claudeSimulated;

/** Refuses to start when a port is taken: another stack answering there would look ready and take our traffic. */
async function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => done(true)));
  });
}
const wanted = Object.entries(ports).filter(([name]) => name !== 'simulator' || simulated);
const taken: string[] = [];
for (const [name, { port, variable }] of wanted) {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    taken.push(`${variable}=${port} is not a port number`);
  else if (!(await portFree(port)))
    taken.push(`port ${port} (${name}) is taken on ${host}: stop what holds it, or set ${variable} in .env`);
}
if (taken.length > 0) {
  console.error(`[dev] cannot start:\n  ${taken.join('\n  ')}`);
  process.exit(1);
}
mkdirSync(dataDir, { recursive: true });

const url = (name: keyof typeof ports) =>
  `http://${host.includes(':') ? `[${host}]` : host}:${ports[name].port}`;
const simulatorUrl = url('simulator');
const modelDir = resolve(root, env.CLASSIFIER_MODEL_DIR ?? 'models/all-MiniLM-L6-v2');
const modelKind =
  env.CLASSIFIER_MODEL_KIND ?? (existsSync(join(modelDir, 'config.json')) ? 'minilm' : 'keywords');
const classifierUrl = url('classifier');

const children = new Map<string, Bun.Subprocess>();
function start(name: string, cmd: string[], extraEnv: Record<string, string>) {
  const child = Bun.spawn(cmd, {
    cwd: root,
    env: { ...env, HOST: host, ...extraEnv },
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
  children.set(name, child);
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

/**
 * Waits until our own child answers: it must still be running, and (for the services) its /healthz must
 * name the service, so a stranger on the port can never pass for it.
 */
async function waitReady(name: string, readyUrl: string, service?: string, timeoutMs = 120_000) {
  const child = children.get(name);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child?.exitCode !== null && child?.exitCode !== undefined)
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const identity = service
        ? ((await (await fetch(`${new URL(readyUrl).origin}/healthz`)).json()) as { service?: string })
        : undefined;
      if ((!service || identity?.service === service) && (await fetch(readyUrl)).ok) return;
    } catch {}
    await Bun.sleep(200);
  }
  throw new Error(`${name} did not become ready at ${readyUrl} within ${timeoutMs / 1000}s`);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children.values()) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  void Promise.all([...children.values()].map((c) => c.exited)).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  if (simulated) {
    start(
      'simulator',
      ['bun', 'libs/simulator/src/main.ts', '--port', String(ports.simulator.port), '--host', host],
      {},
    );
    await waitReady('simulator', `${simulatorUrl}/v1/models`);
  }
  start('classifier', ['bun', 'apps/classifier/src/main.ts'], {
    PORT: String(ports.classifier.port),
    SPLIT_BRAIN_DATA_DIR: dataDir,
    CLASSIFIER_MODEL_KIND: modelKind,
    CLASSIFIER_MODEL_DIR: modelDir,
    CLASSIFIER_KEYWORDS_PATH: env.CLASSIFIER_KEYWORDS_PATH ?? join(root, 'scripts/dev/keywords.txt'),
  });
  await waitReady('classifier', `${classifierUrl}/readyz`, 'classifier');
  const headNote = modelKind === 'minilm' ? await demoHead() : 'none (keywords kind: keywords decide alone)';
  const scalarlmUrl = env.SCALARLM_BASE_URL ?? `${simulatorUrl}/v1`;
  start('router', ['bun', 'apps/router/src/main.ts'], {
    PORT: String(ports.router.port),
    SPLIT_BRAIN_DATA_DIR: dataDir,
    POD_NAME: 'dev-router',
    CLASSIFIER_URL: classifierUrl,
    SCALARLM_BASE_URL: scalarlmUrl,
    ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY ?? 'simulated',
    ...(claudeSimulated ? { ANTHROPIC_BASE_URL: simulatorUrl } : {}),
  });
  start('ui', ['bun', 'apps/ui/src/server/dev.ts'], {
    PORT: String(ports.ui.port),
    SPLIT_BRAIN_DATA_DIR: dataDir,
    CLASSIFIER_URL: classifierUrl,
    UI_DEV_MODE: 'true',
    ADMIN_EMAILS: env.ADMIN_EMAILS ?? 'dev@localhost',
    // The Training view generates questions with the same local brain the router uses.
    SCALARLM_BASE_URL: scalarlmUrl,
  });
  await Promise.all([
    waitReady('router', `${url('router')}/readyz`, 'router'),
    waitReady('ui', `${url('ui')}/healthz`, 'ui'),
  ]);
  console.log(banner(headNote));
} catch (error) {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}; stopping the stack`);
  stop(1);
}

/** Trains and promotes the demo head on first start; says which head is in force either way. */
async function demoHead(): Promise<string> {
  const store = openStore(dataDir);
  const pointer = await store.heads.pointer();
  if (pointer && !pointer.current.startsWith(DEMO_HEAD_PREFIX)) return `${pointer.current} (yours)`;
  if (!pointer) {
    console.log(
      '[dev] no classifier head yet: training the demo head from scripts/dev/demo-corpus (about a minute)',
    );
    try {
      await ensureDemoHead(store, classifierUrl, (m) => console.log(`[dev] ${m}`));
      await fetch(`${classifierUrl}/reload`, { method: 'POST' });
    } catch (error) {
      // The stack is still useful without it: requests fail closed to the local brain (reason no-head).
      return `NONE: the demo head could not be trained (${error instanceof Error ? error.message : String(error)});
              every request goes local until a head is trained in the console's Training view`;
    }
  }
  const current = (await store.heads.pointer())?.current ?? 'none';
  return `${current}, a DEMO head trained from scripts/dev/demo-corpus (a fictional company): "hello" goes to
              Claude, "What is the Project Nightjar budget?" goes local. Train a real one from your own documents
              in the console's Training view (${url('ui')}/training); see docs/training.md`;
}

function banner(headNote: string): string {
  const fromShell = env.SPLIT_BRAIN_DEV_SH === '1';
  const run = fromShell ? './scripts/dev.sh' : 'bun run dev';
  return `
split-brain dev stack (data in ${dataDir})
  router      ${url('router')}   (OpenAI: /v1/chat/completions, Anthropic: /v1/messages)
  ui          ${url('ui')}   (dev mode: signed in as the dev user; Vite hot reload)
  classifier  ${classifierUrl}   (${modelKind === 'minilm' ? `MiniLM from ${modelDir}` : 'keywords only: no model found; run `bun run model:fetch`'})
  head        ${headNote}
  ScalarLM    ${scalarlmSimulated ? `SIMULATED at ${simulatorUrl}/v1 (set SCALARLM_BASE_URL in .env)` : env.SCALARLM_BASE_URL}
  Claude      ${claudeSimulated ? `SIMULATED at ${simulatorUrl} (set ANTHROPIC_API_KEY in .env)` : 'api.anthropic.com'}
Create a token (in another shell, from this folder):
  ${run} token create --user you@example.com --name laptop
Then see README.md's quick start and docs/clients.md (Claude Code, SDKs, llm, curl).${fromShell ? `\nBun is in .tools: \`source scripts/tools/env.sh\` puts it on PATH in your shell.` : ''}
`;
}
