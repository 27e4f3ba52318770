/**
 * split-brain's router with its real classifier (all-MiniLM-L6-v2), both with their default
 * (production) settings, on a scratch data folder. The classifier gets a head whose bias scores every
 * conversation as public, so Messages-API requests go to the simulator's Claude side in their own dialect
 * (no translation, like the peers) through the classification cache; a conversation routed local would
 * instead be remembered by session taint and skip classification, which is not what is to be measured.
 * OpenAI-dialect requests go to Claude too, translated both ways.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '@split-brain/store';
import { freePort, Service } from '../lib/service.ts';
import { SCALARLM_MODEL } from '../lib/workload.ts';
import type { Target, TargetContext } from './target.ts';

export const BENCH_HEAD_VERSION = 'bench-all-public';

const modelDir = (root: string): string => join(root, 'models/all-MiniLM-L6-v2');

/** Saves and promotes a head that scores every text near 0 (zero weights, negative bias): all public. */
async function installAllPublicHead(dataDir: string, classifierUrl: string): Promise<void> {
  const response = await fetch(`${classifierUrl}/embed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ texts: ['which model is this?'] }),
  });
  if (!response.ok)
    throw new Error(`classifier /embed answered ${response.status}: ${await response.text()}`);
  const model = (await response.json()) as { modelId: string; dimension: number };
  const store = openStore(dataDir);
  if (!(await store.heads.exists(BENCH_HEAD_VERSION))) {
    await store.heads.save({
      v: 1,
      version: BENCH_HEAD_VERSION,
      createdAt: new Date().toISOString(),
      modelId: model.modelId,
      dimension: model.dimension,
      weights: new Array<number>(model.dimension).fill(0),
      bias: -6,
      metrics: { note: 'benchmark head: scores every text public' },
    });
  }
  await store.heads.promote(BENCH_HEAD_VERSION, 'bench');
  const reload = await fetch(`${classifierUrl}/reload`, { method: 'POST' });
  if (!reload.ok) throw new Error(`classifier /reload answered ${reload.status}: ${await reload.text()}`);
}

export interface ClassifierOptions {
  /** minilm (default) or keywords (no model; for short CI runs). */
  kind?: 'minilm' | 'keywords';
  keywordsPath?: string;
  name?: string;
  /** A fixed port, to restart it where the router expects it. */
  port?: number;
}

/** The classifier service on a data folder; with MiniLM it gets the all-public benchmark head. */
export async function startClassifier(
  ctx: TargetContext,
  dataDir: string,
  options: ClassifierOptions = {},
): Promise<{ url: string; service: Service }> {
  const port = options.port ?? freePort();
  const url = `http://127.0.0.1:${port}`;
  const kind = options.kind ?? 'minilm';
  const service = await Service.start({
    name: 'classifier',
    cmd: ['bun', join(ctx.root, 'apps/classifier/src/main.ts')],
    cwd: ctx.root,
    env: {
      PORT: String(port),
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_MODEL_KIND: kind,
      CLASSIFIER_MODEL_DIR: modelDir(ctx.root),
      CLASSIFIER_KEYWORDS_PATH: options.keywordsPath,
    },
    readyUrl: `${url}/healthz`,
    readyTimeoutMs: 120_000,
    logPath: join(ctx.logDir, `${options.name ?? 'split-brain'}-classifier.log`),
  });
  if (kind === 'minilm') await installAllPublicHead(dataDir, url);
  return { url, service };
}

/** The router on a data folder, against a classifier and the simulator (both brains). */
export async function startRouter(
  ctx: TargetContext,
  dataDir: string,
  classifierUrl: string,
  options: { env?: Record<string, string>; name?: string; port?: number } = {},
): Promise<{ url: string; service: Service }> {
  const port = options.port ?? freePort();
  const url = `http://127.0.0.1:${port}`;
  const name = options.name ?? 'split-brain';
  const service = await Service.start({
    name: 'router',
    cmd: ['bun', join(ctx.root, 'apps/router/src/main.ts')],
    cwd: ctx.root,
    env: {
      PORT: String(port),
      SPLIT_BRAIN_DATA_DIR: dataDir,
      POD_NAME: `${name}-router`,
      CLASSIFIER_URL: classifierUrl,
      SCALARLM_BASE_URL: `${ctx.simulatorUrl}/v1`,
      SCALARLM_MODEL,
      ANTHROPIC_BASE_URL: ctx.simulatorUrl,
      ANTHROPIC_API_KEY: 'sim-anthropic-key',
      ...options.env,
    },
    readyUrl: `${url}/readyz`,
    readyTimeoutMs: 60_000,
    logPath: join(ctx.logDir, `${name}-router.log`),
  });
  return { url, service };
}

export interface SplitBrainStack {
  routerUrl: string;
  classifierUrl: string;
  token: string;
  router: Service;
  classifier: Service;
  dataDir: string;
}

/** Classifier + router against the simulator, with a fresh token; also used by the reliability suite. */
export async function startSplitBrainStack(
  ctx: TargetContext,
  options: { routerEnv?: Record<string, string>; name?: string; classifier?: ClassifierOptions } = {},
): Promise<SplitBrainStack> {
  const name = options.name ?? 'split-brain';
  const dataDir = join(ctx.workDir, `${name}-data`);
  mkdirSync(dataDir, { recursive: true });
  const classifier = await startClassifier(ctx, dataDir, { ...options.classifier, name });
  const { token } = await openStore(dataDir).tokens.create({
    user: 'bench@example.com',
    name,
    createdBy: 'bench',
  });
  const router = await startRouter(ctx, dataDir, classifier.url, { env: options.routerEnv, name });
  return {
    routerUrl: router.url,
    classifierUrl: classifier.url,
    token,
    router: router.service,
    classifier: classifier.service,
    dataDir,
  };
}

export const splitBrainTarget: Target = {
  id: 'split-brain',
  label: 'split-brain router',
  unavailable: async (ctx: TargetContext) => {
    if (!existsSync(join(ctx.root, 'apps/router/src/main.ts')))
      return 'the router has not landed on this branch';
    if (!existsSync(join(ctx.root, 'apps/classifier/src/main.ts'))) return 'the classifier has not landed';
    if (!existsSync(join(modelDir(ctx.root), 'config.json')))
      return 'no MiniLM model (run bun run model:fetch)';
    return undefined;
  },
  start: async (ctx) => {
    const stack = await startSplitBrainStack(ctx);
    return {
      endpoints: {
        anthropic: {
          url: `${stack.routerUrl}/v1/messages`,
          headers: {
            'content-type': 'application/json',
            'x-api-key': stack.token,
            'anthropic-version': '2023-06-01',
          },
        },
        openai: {
          url: `${stack.routerUrl}/v1/chat/completions`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
          note: 'public text: translated to the Messages API and back',
        },
      },
      measured: [stack.router],
      helpers: [stack.classifier],
      metricsUrl: `${stack.routerUrl}/metrics`,
      settings: 'router and classifier (MiniLM) with default settings; classification cache on; audit on',
      verify: (response) => {
        const route = response.headers.get('x-split-brain-route');
        if (route !== 'claude') throw new Error(`router chose route ${route}, expected claude (bench head)`);
      },
      stop: async () => {
        await stack.router.stop();
        await stack.classifier.stop();
      },
    };
  },
};
