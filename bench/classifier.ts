/**
 * Classifier benchmark: the service (a separate process, HTTP on loopback, a head loaded) next to raw
 * ONNX Runtime session.run on the same inputs, so the service's overhead is visible.
 *
 *   bun bench/classifier.ts [--iterations 200] [--json out.json]
 *
 * Reports single-prompt latency p50/p99 at 16, 64 and 256 tokens (markers included), batched
 * throughput (concurrent single-prompt clients, and one 64-text request), raw session time for the
 * same batches, and the service's resident memory. Numbers only: nothing is asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../libs/store/src/index.ts';
import { loadMiniLm, MINILM_DIMENSION, MINILM_MODEL_ID } from '../apps/classifier/src/embedder.ts';
import { REPO_MODEL_DIR } from '../apps/classifier/src/start.ts';

const { values: args } = parseArgs({
  options: { iterations: { type: 'string', default: '200' }, json: { type: 'string' } },
});
const iterations = Number(args.iterations);
const root = resolve(import.meta.dir, '..');

const embedder = await loadMiniLm(REPO_MODEL_DIR);
const WORDS =
  'the ship left the harbour at dawn and the crew checked every rope before the long trip north'.split(' ');

/** A text of exactly `tokens` word pieces including [CLS] and [SEP]. */
function promptOf(tokens: number, salt = 0): string {
  const words: string[] = [];
  let i = salt;
  while (embedder.tokenize(words.join(' ')).length < tokens - 2) words.push(WORDS[i++ % WORDS.length]!);
  while (embedder.tokenize(words.join(' ')).length > tokens - 2) words.pop();
  return words.join(' ');
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const ms = (v: number) => `${v.toFixed(2)} ms`;

// --- the service, in its own process, with a head ---
const dataDir = await mkdtemp(join(tmpdir(), 'bench-classifier-'));
const store = openStore(dataDir);
await store.heads.save({
  v: 1,
  version: 'bench',
  createdAt: new Date().toISOString(),
  modelId: MINILM_MODEL_ID,
  dimension: MINILM_DIMENSION,
  weights: Array.from({ length: MINILM_DIMENSION }, (_, i) => Math.sin(i)),
  bias: 0,
  metrics: {},
});
await store.heads.promote('bench', 'bench');
const port = 20000 + Math.floor(Math.random() * 20000);
const service = Bun.spawn(['bun', join(root, 'apps/classifier/src/main.ts')], {
  env: {
    ...process.env,
    PORT: String(port),
    SPLIT_BRAIN_DATA_DIR: dataDir,
    CLASSIFIER_MODEL_DIR: REPO_MODEL_DIR,
    LOG_LEVEL: 'warn',
  },
  stdout: 'ignore',
  stderr: 'inherit',
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; i < 300; i++) {
  const ok = await fetch(`${url}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await Bun.sleep(100);
}

async function classify(texts: string[]): Promise<void> {
  const res = await fetch(`${url}/classify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ texts }),
  });
  if (!res.ok) throw new Error(`classify: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

function serviceRssMb(): number {
  const status = require('node:fs').readFileSync(`/proc/${service.pid}/status`, 'utf8') as string;
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const report: Record<string, unknown> = { iterations };
try {
  console.log(`classifier benchmark: ${iterations} iterations per size, service pid ${service.pid}\n`);
  console.log('single prompt      service p50 / p99         raw session.run p50 / p99   overhead (p50)');
  for (const tokens of [16, 64, 256]) {
    const text = promptOf(tokens);
    const ids = embedder.tokenize(text);
    const feeds = embedder.rawFeeds([ids]);
    for (let i = 0; i < 20; i++) {
      await classify([text]);
      await embedder.session.run(feeds);
    }
    const svc: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < iterations; i++) {
      svc.push(await timeIt(() => classify([text])));
      raw.push(await timeIt(() => embedder.session.run(feeds)));
    }
    const s = summary(svc);
    const r = summary(raw);
    report[`single_${tokens}`] = { service: s, raw: r };
    console.log(
      `${String(tokens).padStart(3)} tokens         ${ms(s.p50)} / ${ms(s.p99)}`.padEnd(45) +
        `${ms(r.p50)} / ${ms(r.p99)}`.padEnd(28) +
        `${(((s.p50 - r.p50) / r.p50) * 100).toFixed(0)}%`,
    );
  }

  const batchSize = 64;
  const prompts = Array.from({ length: batchSize }, (_, i) => promptOf(64, i));
  const rawFeeds = embedder.rawFeeds(prompts.map((p) => embedder.tokenize(p)));
  await embedder.session.run(rawFeeds);
  const rounds = Math.max(3, Math.floor(iterations / 20));

  const rawBatch: number[] = [];
  for (let i = 0; i < rounds; i++) rawBatch.push(await timeIt(() => embedder.session.run(rawFeeds)));
  const rawPerSecond = (batchSize * 1000) / summary(rawBatch).p50;

  const oneRequest: number[] = [];
  for (let i = 0; i < rounds; i++) oneRequest.push(await timeIt(() => classify(prompts)));
  const requestPerSecond = (batchSize * 1000) / summary(oneRequest).p50;

  // 64 clients each sending one prompt at a time: dynamic batching merges them.
  const concurrentStart = performance.now();
  let sent = 0;
  await Promise.all(
    prompts.map(async (p) => {
      for (let i = 0; i < rounds; i++) {
        await classify([p]);
        sent++;
      }
    }),
  );
  const concurrentPerSecond = (sent * 1000) / (performance.now() - concurrentStart);
  report.batched_64x64 = {
    rawSessionMsP50: summary(rawBatch).p50,
    rawPromptsPerSecond: rawPerSecond,
    oneRequestPromptsPerSecond: requestPerSecond,
    concurrentClientsPromptsPerSecond: concurrentPerSecond,
  };
  console.log(`\nbatched, ${batchSize} prompts of 64 tokens`);
  console.log(
    `  raw session.run, one batch      ${ms(summary(rawBatch).p50)} → ${rawPerSecond.toFixed(0)} prompts/s`,
  );
  console.log(
    `  service, one 64-text request    ${ms(summary(oneRequest).p50)} → ${requestPerSecond.toFixed(0)} prompts/s (${(((rawPerSecond - requestPerSecond) / rawPerSecond) * 100).toFixed(0)}% below raw)`,
  );
  console.log(
    `  service, 64 concurrent clients  ${concurrentPerSecond.toFixed(0)} prompts/s (${(((rawPerSecond - concurrentPerSecond) / rawPerSecond) * 100).toFixed(0)}% below raw)`,
  );
  const rss = serviceRssMb();
  report.serviceRssMb = rss;
  console.log(`\nservice RSS after the run: ${rss.toFixed(0)} MB`);
  if (args.json) await Bun.write(args.json, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  service.kill('SIGTERM');
  await service.exited;
  await embedder.dispose();
  await rm(dataDir, { recursive: true, force: true });
}
