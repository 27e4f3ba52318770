/**
 * Classifier benchmark: the service (a separate process, HTTP on loopback, a head loaded) next to raw
 * ONNX Runtime session.run on the same inputs, so the service's overhead is visible.
 *
 *   bun bench/classifier.ts [--iterations 200] [--dtype q8|fp32] [--agreement 1000] [--json out.json]
 *
 * Reports single-prompt latency p50/p99 at 16, 64 and 256 tokens (markers included), batched
 * throughput (one 64-text request of 16-, 32- and 64-token prompts, and 64 concurrent single-prompt
 * clients), raw session time for the same inputs, the service's resident memory, and for q8 its
 * agreement with the fp32 model on held-out prompts. Numbers only: nothing is asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../libs/store/src/index.ts';
import {
  loadMiniLm,
  MINILM_DIMENSION,
  MINILM_MODEL_ID,
  MODEL_DTYPES,
  type ModelDtype,
} from '../apps/classifier/src/embedder.ts';
import { REPO_MODEL_DIR } from '../apps/classifier/src/start.ts';

const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string', default: '200' },
    dtype: { type: 'string', default: 'q8' },
    agreement: { type: 'string', default: '1000' },
    json: { type: 'string' },
  },
});
const iterations = Number(args.iterations);
const agreementCount = Number(args.agreement);
const dtype = args.dtype as ModelDtype;
if (!MODEL_DTYPES.includes(dtype)) throw new Error(`--dtype must be one of ${MODEL_DTYPES.join(', ')}`);
const SIZES = [16, 64, 256];
const root = resolve(import.meta.dir, '..');

const embedder = await loadMiniLm(REPO_MODEL_DIR, { dtype });
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
    CLASSIFIER_MODEL_DTYPE: dtype,
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

const report: Record<string, unknown> = { iterations, dtype };
const BATCH = 64;
const batchLengths = [16, 32, 64];
try {
  console.log(
    `classifier benchmark (${dtype}): ${iterations} iterations per size, service pid ${service.pid}`,
  );
  // Service and raw runtime are measured in separate phases, never interleaved: ONNX Runtime's threads
  // spin for a while after each call, and two processes taking turns slowed each other down by half.
  const texts = new Map(SIZES.map((tokens) => [tokens, promptOf(tokens)]));
  const serviceSingle = new Map<number, ReturnType<typeof summary>>();
  for (const [tokens, text] of texts) {
    for (let i = 0; i < 20; i++) await classify([text]);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) samples.push(await timeIt(() => classify([text])));
    serviceSingle.set(tokens, summary(samples));
  }
  const rounds = Math.max(3, Math.floor(iterations / 20));
  const batches = new Map(
    batchLengths.map((tokens) => [tokens, Array.from({ length: BATCH }, (_, i) => promptOf(tokens, i))]),
  );
  const serviceBatch = new Map<number, number>();
  for (const [tokens, prompts] of batches) {
    await classify(prompts);
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) samples.push(await timeIt(() => classify(prompts)));
    serviceBatch.set(tokens, (BATCH * 1000) / summary(samples).p50);
  }
  // 64 clients each sending one 64-token prompt at a time: dynamic batching merges them.
  const concurrentStart = performance.now();
  let sent = 0;
  await Promise.all(
    batches.get(64)!.map(async (p) => {
      for (let i = 0; i < rounds; i++) {
        await classify([p]);
        sent++;
      }
    }),
  );
  const concurrentPerSecond = (sent * 1000) / (performance.now() - concurrentStart);
  const rss = serviceRssMb();
  service.kill('SIGTERM');
  await service.exited;

  const rawSingle = new Map<number, ReturnType<typeof summary>>();
  for (const [tokens, text] of texts) {
    const feeds = embedder.rawFeeds([embedder.tokenize(text)]);
    for (let i = 0; i < 20; i++) await embedder.session.run(feeds);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) samples.push(await timeIt(() => embedder.session.run(feeds)));
    rawSingle.set(tokens, summary(samples));
  }
  const rawBatch = new Map<number, number>();
  for (const [tokens, prompts] of batches) {
    const feeds = embedder.rawFeeds(prompts.map((p) => embedder.tokenize(p)));
    await embedder.session.run(feeds);
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) samples.push(await timeIt(() => embedder.session.run(feeds)));
    rawBatch.set(tokens, (BATCH * 1000) / summary(samples).p50);
  }

  console.log('\nsingle prompt      service p50 / p99         raw session.run p50 / p99   overhead (p50)');
  for (const tokens of SIZES) {
    const svc = serviceSingle.get(tokens)!;
    const raw = rawSingle.get(tokens)!;
    report[`single_${tokens}`] = { service: svc, raw };
    console.log(
      `${String(tokens).padStart(3)} tokens         ${ms(svc.p50)} / ${ms(svc.p99)}`.padEnd(45) +
        `${ms(raw.p50)} / ${ms(raw.p99)}`.padEnd(28) +
        `${(((svc.p50 - raw.p50) / raw.p50) * 100).toFixed(0)}%`,
    );
  }
  console.log(
    `\nbatched, ${BATCH} prompts in one request   service prompts/s   raw prompts/s   service below raw`,
  );
  for (const tokens of batchLengths) {
    const svc = serviceBatch.get(tokens)!;
    const raw = rawBatch.get(tokens)!;
    report[`batched_${BATCH}x${tokens}`] = { servicePromptsPerSecond: svc, rawPromptsPerSecond: raw };
    console.log(
      `  ${tokens} tokens each`.padEnd(39) +
        `${svc.toFixed(0)}`.padStart(8) +
        `${raw.toFixed(0)}`.padStart(16) +
        `${(((raw - svc) / raw) * 100).toFixed(0)}%`.padStart(20),
    );
  }
  const raw64 = rawBatch.get(64)!;
  report.concurrentClientsPromptsPerSecond = concurrentPerSecond;
  console.log(
    `  64 concurrent clients, 64 tokens   ${concurrentPerSecond.toFixed(0).padStart(8)}` +
      `${raw64.toFixed(0)}`.padStart(16) +
      `${(((raw64 - concurrentPerSecond) / raw64) * 100).toFixed(0)}%`.padStart(20),
  );
  report.serviceRssMb = rss;
  console.log(`\nservice RSS after the run: ${rss.toFixed(0)} MB`);

  if (dtype === 'q8') {
    // Agreement with full precision on prompts the int8 scales were not calibrated on (the calibration
    // takes every tenth line; see scripts/model-fetch.ts).
    const full = await loadMiniLm(REPO_MODEL_DIR, { dtype: 'fp32' });
    const lines = (await Bun.file(join(root, 'libs/training/data/general-negatives.txt')).text())
      .split('\n')
      .filter((line, i) => line.trim() !== '' && i % 10 !== 0)
      .slice(0, agreementCount);
    const cosines: number[] = [];
    for (let i = 0; i < lines.length; i += 32) {
      const ids = lines.slice(i, i + 32).map((line) => embedder.tokenize(line));
      const [a, b] = [await embedder.embedWindows(ids), await full.embedWindows(ids)];
      a.forEach((v, j) => {
        cosines.push(v.reduce((sum, x, d) => sum + x * b[j]![d]!, 0));
      });
    }
    await full.dispose();
    const sorted = [...cosines].sort((x, y) => x - y);
    const agreement = {
      prompts: cosines.length,
      mean: cosines.reduce((x, y) => x + y, 0) / cosines.length,
      min: sorted[0]!,
      p1: percentile(sorted, 1),
    };
    report.agreementWithFp32 = agreement;
    console.log(
      `\nq8 vs fp32 on ${agreement.prompts} held-out everyday prompts: cosine mean ${agreement.mean.toFixed(4)}, ` +
        `1st percentile ${agreement.p1.toFixed(4)}, worst ${agreement.min.toFixed(4)}`,
    );
  }
  if (args.json) await Bun.write(args.json, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  service.kill('SIGTERM');
  await service.exited;
  await embedder.dispose();
  await rm(dataDir, { recursive: true, force: true });
}
