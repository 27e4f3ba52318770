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

export interface SplitBrainStack {
  routerUrl: string;
  classifierUrl: string;
  token: string;
  router: Service;
  classifier: Service;
  dataDir: string;
}

/** Classifier (MiniLM) + router against the simulator; also used by the reliability suite. */
export async function startSplitBrainStack(
  ctx: TargetContext,
  options: { routerEnv?: Record<string, string>; name?: string } = {},
): Promise<SplitBrainStack> {
  const dataDir = join(ctx.workDir, `${options.name ?? 'split-brain'}-data`);
  mkdirSync(dataDir, { recursive: true });
  const classifierPort = freePort();
  const classifierUrl = `http://127.0.0.1:${classifierPort}`;
  const classifier = await Service.start({
    name: 'classifier',
    cmd: ['bun', join(ctx.root, 'apps/classifier/src/main.ts')],
    cwd: ctx.root,
    env: {
      PORT: String(classifierPort),
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_MODEL_KIND: 'minilm',
      CLASSIFIER_MODEL_DIR: modelDir(ctx.root),
    },
    readyUrl: `${classifierUrl}/healthz`,
    readyTimeoutMs: 120_000,
    logPath: join(ctx.logDir, `${options.name ?? 'split-brain'}-classifier.log`),
  });
  await installAllPublicHead(dataDir, classifierUrl);
  const { token } = await openStore(dataDir).tokens.create({
    user: 'bench@example.com',
    name: 'bench',
    createdBy: 'bench',
  });
  const routerPort = freePort();
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  const router = await Service.start({
    name: 'router',
    cmd: ['bun', join(ctx.root, 'apps/router/src/main.ts')],
    cwd: ctx.root,
    env: {
      PORT: String(routerPort),
      SPLIT_BRAIN_DATA_DIR: dataDir,
      POD_NAME: options.name ?? 'bench-router',
      CLASSIFIER_URL: classifierUrl,
      SCALARLM_BASE_URL: `${ctx.simulatorUrl}/v1`,
      SCALARLM_MODEL,
      ANTHROPIC_BASE_URL: ctx.simulatorUrl,
      ANTHROPIC_API_KEY: 'sim-anthropic-key',
      ...options.routerEnv,
    },
    readyUrl: `${routerUrl}/readyz`,
    readyTimeoutMs: 60_000,
    logPath: join(ctx.logDir, `${options.name ?? 'split-brain'}-router.log`),
  });
  return { routerUrl, classifierUrl, token, router, classifier, dataDir };
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
