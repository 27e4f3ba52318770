/**
 * The real stack on loopback for the router's integration tests: the upstream simulator (both brains), a
 * real classifier process (keywords kind), and the router itself, in-process or as processes sharing one data
 * folder. The only stand-in is FaultyClassifierProxy, which sits in front of the real classifier to inject
 * the faults a test asks for.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Subprocess } from 'bun';
import { loadRouterConfig, type RouterConfig } from '@split-brain/config';
import { createLogger, freePort } from '@split-brain/http';
import { openStore, type Store } from '@split-brain/store';
import { type Simulator, startSimulator } from '@split-brain/simulator';
import { createRouter, type Router } from './router.ts';

export { freePort };

const REPO = resolve(import.meta.dir, '../../..');

async function waitReady(url: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(500) });
      if (response.ok) return;
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not become ready`);
    await Bun.sleep(50);
  }
}

/**
 * A real classifier process on a fixed port, so it can be killed and restarted: the keywords kind with a
 * keyword file, or the real MiniLM kind (heads read from the data folder).
 */
export class ClassifierProcess {
  private proc: Subprocess | undefined;
  readonly url: string;
  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly readyTimeoutMs: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(dir: string, keywords: string[]): Promise<ClassifierProcess> {
    const keywordsPath = join(dir, 'keywords.txt');
    await writeFile(keywordsPath, `${keywords.join('\n')}\n`);
    const env = {
      CLASSIFIER_MODEL_KIND: 'keywords',
      CLASSIFIER_KEYWORDS_PATH: keywordsPath,
      SPLIT_BRAIN_DATA_DIR: dir,
    };
    const classifier = new ClassifierProcess(await freePort(), env, 15_000);
    await classifier.restart();
    return classifier;
  }

  /** The real MiniLM classifier over `dataDir`'s heads (loading the model takes seconds on a busy machine). */
  static async startMiniLM(dataDir: string): Promise<ClassifierProcess> {
    const env = {
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_MODEL_DIR: join(REPO, 'models/all-MiniLM-L6-v2'),
    };
    const classifier = new ClassifierProcess(await freePort(), env, 60_000);
    await classifier.restart();
    return classifier;
  }

  async restart() {
    this.kill();
    this.proc = Bun.spawn([process.execPath, join(REPO, 'apps/classifier/src/main.ts')], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...this.env },
      stdout: 'ignore',
      stderr: 'inherit',
    });
    await waitReady(`${this.url}/readyz`, this.readyTimeoutMs);
  }

  kill() {
    this.proc?.kill('SIGKILL');
    this.proc = undefined;
  }
}

export type ClassifierFault = 'none' | 'slow' | 'hang' | 'error' | 'garbage';

/** Forwards to the real classifier, or fails the way a test asks: too slow, HTTP 500, a dropped connection. */
export class FaultyClassifierProxy {
  fault: ClassifierFault = 'none';
  /** The texts of every /classify call that reached the proxy, in order (what the router asked about). */
  readonly classifyCalls: string[][] = [];
  private readonly server: ReturnType<typeof Bun.serve>;
  constructor(
    private readonly target: string,
    private readonly slowMs = 400,
  ) {
    this.server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (request) => {
        const url = new URL(request.url);
        const fault = this.fault;
        if (url.pathname === '/classify' && request.method === 'POST') {
          const body = (await request.clone().json()) as { texts: string[] };
          this.classifyCalls.push(body.texts);
        }
        if (fault === 'error') return Response.json({ error: 'injected' }, { status: 500 });
        if (fault === 'garbage')
          return new Response('{"results": [', { headers: { 'content-type': 'application/json' } });
        if (fault === 'hang') {
          await Bun.sleep(this.slowMs * 5);
          return new Response('too late', { status: 504 });
        }
        if (fault === 'slow') await Bun.sleep(this.slowMs);
        try {
          return await fetch(`${this.target}${url.pathname}`, {
            method: request.method,
            headers: request.headers,
            body: request.method === 'POST' ? await request.arrayBuffer() : undefined,
          });
        } catch {
          return new Response('classifier down', { status: 502 }); // the real one is restarting
        }
      },
    });
  }
  get url() {
    return `http://127.0.0.1:${this.server.port}`;
  }
  stop() {
    return this.server.stop(true);
  }
}

export interface Stack {
  dataDir: string;
  store: Store;
  sim: Simulator;
  classifier: ClassifierProcess;
  proxy: FaultyClassifierProxy;
  router: Router;
  routerUrl: string;
  config: RouterConfig;
  /** A fresh token for a user. */
  token(user?: string): Promise<string>;
  stop(): Promise<void>;
}

export const TEST_KEYWORDS = ['Project Falcon', 'boatyard ledger', 'Skunkworks'];

export function routerEnv(
  dataDir: string,
  simUrl: string,
  classifierUrl: string,
  extra: Record<string, string> = {},
) {
  return {
    SPLIT_BRAIN_DATA_DIR: dataDir,
    POD_NAME: 'pod-a',
    LOG_LEVEL: 'error',
    CLASSIFIER_URL: classifierUrl,
    CLASSIFIER_TIMEOUT_MS: '200',
    ANTHROPIC_API_KEY: 'sk-ant-router-secret',
    ANTHROPIC_BASE_URL: simUrl,
    SCALARLM_BASE_URL: `${simUrl}/v1`,
    TOKEN_CACHE_TTL_MS: '300',
    USAGE_REFRESH_MS: '200',
    ...extra,
  };
}

/** Simulator + classifier process + an in-process router on loopback, with a temporary data folder. */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'router-test-'));
  const sim = startSimulator({ profile: { leadingHeartbeat: true } });
  const classifier = await ClassifierProcess.start(dataDir, TEST_KEYWORDS);
  const proxy = new FaultyClassifierProxy(classifier.url);
  const config = loadRouterConfig(routerEnv(dataDir, sim.url, proxy.url, extraEnv));
  const router = await createRouter(config, {
    logger: createLogger('router', 'error'),
    validateRecords: true,
  });
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 60,
    maxRequestBodySize: config.maxBodyBytes * 2 + 1024 * 1024,
    fetch: router.app.fetch,
  });
  const store = openStore(dataDir);
  return {
    dataDir,
    store,
    sim,
    classifier,
    proxy,
    router,
    routerUrl: `http://127.0.0.1:${server.port}`,
    config,
    async token(user = 'dev@example.com') {
      return (await store.tokens.create({ user, name: 'test', createdBy: 'test' })).token;
    },
    async stop() {
      await server.stop(true);
      router.close();
      classifier.kill();
      await proxy.stop();
      await sim.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A router as its own process (main.ts), for tests that need several pods on one data folder. */
export async function spawnRouter(env: Record<string, string>): Promise<{ url: string; proc: Subprocess }> {
  const port = await freePort();
  const proc = Bun.spawn([process.execPath, join(REPO, 'apps/router/src/main.ts')], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/healthz`);
  return { url, proc };
}

/** Audit records of the stack's data folder, oldest first. */
/**
 * The stack's audit records, oldest first. Audit lines are written just after each response goes out, so
 * the router's pending lines are flushed first: a test that has its response may not have its line yet.
 */
export async function auditRecords(stack: Pick<Stack, 'store' | 'router'>) {
  stack.router.deps.audit.flush();
  const page = await stack.store.audit.page({ limit: 1000 });
  return page.records.reverse();
}
