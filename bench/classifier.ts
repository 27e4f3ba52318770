/**
 * Classifier benchmark: the service (a separate process, HTTP on loopback, a head loaded) next to raw
 * ONNX Runtime session.run on the same inputs, so the service's overhead is visible.
 *
 *   bun bench/classifier.ts [--iterations 200] [--phases 3] [--dtype q8|fp32] [--agreement 1000]
 *     [--json out.json]
 *
 * Reports single-prompt latency p50/p99 at 16, 64 and 256 tokens (markers included) as the client saw
 * it and as the service timed its own handler (Server-Timing), batched throughput (one 64-text request
 * of 16-, 32- and 64-token prompts, and 64 concurrent single-prompt clients), raw session time for the
 * same inputs in a fresh process, the service's resident memory, and for q8 its agreement with the fp32
 * model on held-out prompts. Numbers only: nothing is asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../libs/http/src/index.ts';
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
    /** Alternating rounds of service and raw phases; figures are medians over them. */
    phases: { type: 'string', default: '3' },
    json: { type: 'string' },
    /** Internal: measure raw session.run only, print JSON, exit (the parent runs this as a fresh process). */
    'raw-only': { type: 'boolean', default: false },
  },
});
const iterations = Number(args.iterations);
const agreementCount = Number(args.agreement);
const phases = Number(args.phases);
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

const BATCH = 64;
const batchLengths = [16, 32, 64];
const rounds = Math.max(3, Math.floor(iterations / 20));
const texts = new Map(SIZES.map((tokens) => [tokens, promptOf(tokens)]));
const batches = new Map(
  batchLengths.map((tokens) => [tokens, Array.from({ length: BATCH }, (_, i) => promptOf(tokens, i))]),
);

interface RawFigures {
  single: [number, ReturnType<typeof summary>][];
  /** Prompts per second for one batch of BATCH prompts. */
  batch: [number, number][];
}

/** session.run on the service's exact inputs, nothing around it: the baseline for the service's overhead. */
async function measureRaw(): Promise<RawFigures> {
  const single: RawFigures['single'] = [];
  for (const [tokens, text] of texts) {
    const feeds = embedder.rawFeeds([embedder.tokenize(text)]);
    for (let i = 0; i < 20; i++) await embedder.session.run(feeds);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) samples.push(await timeIt(() => embedder.session.run(feeds)));
    single.push([tokens, summary(samples)]);
  }
  const batch: RawFigures['batch'] = [];
  for (const [tokens, prompts] of batches) {
    const feeds = embedder.rawFeeds(prompts.map((p) => embedder.tokenize(p)));
    await embedder.session.run(feeds);
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) samples.push(await timeIt(() => embedder.session.run(feeds)));
    batch.push([tokens, (BATCH * 1000) / summary(samples).p50]);
  }
  return { single, batch };
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

if (args['raw-only']) {
  console.log(JSON.stringify(await measureRaw()));
  await embedder.dispose();
  process.exit(0);
}

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
const port = freePort();
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

/** One /classify call; returns the service's own Server-Timing figures (ms) for the call. */
async function classify(texts: string[]): Promise<{ total: number; model: number }> {
  const res = await fetch(`${url}/classify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ texts }),
  });
  if (!res.ok) throw new Error(`classify: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  const timing = res.headers.get('server-timing') ?? '';
  const dur = (name: string) => Number(new RegExp(`${name};dur=([0-9.]+)`).exec(timing)?.[1] ?? Number.NaN);
  return { total: dur('total'), model: dur('model') };
}

function serviceRssMb(): number {
  const status = require('node:fs').readFileSync(`/proc/${service.pid}/status`, 'utf8') as string;
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const report: Record<string, unknown> = { iterations, dtype };
try {
  console.log(
    `classifier benchmark (${dtype}): ${iterations} iterations per size, ${phases} alternating phases, service pid ${service.pid}`,
  );
  // Service and raw runtime are measured in separate phases, never interleaved call by call: ONNX Runtime's
  // threads spin for a while after each call, and two processes taking turns slowed each other down by
  // half. The phases alternate for --phases rounds and each figure is the median of its rounds, because
  // this VM's speed drifts by up to 1.5x over a minute and a single phase of each can land on either side.
  type Summary = ReturnType<typeof summary>;
  const serviceRounds = new Map<number, Summary[]>(SIZES.map((t) => [t, []]));
  /** The same calls as the service saw them (Server-Timing): the whole handler, and its model call. */
  const inServiceRounds = new Map<number, { total: Summary; model: Summary }[]>(SIZES.map((t) => [t, []]));
  const serviceBatchRounds = new Map<number, number[]>(batchLengths.map((t) => [t, []]));
  const rawRounds: RawFigures[] = [];
  for (let phase = 0; phase < phases; phase++) {
    for (const [tokens, text] of texts) {
      for (let i = 0; i < 20; i++) await classify([text]);
      const samples: number[] = [];
      const totals: number[] = [];
      const models: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const started = performance.now();
        const timing = await classify([text]);
        samples.push(performance.now() - started);
        totals.push(timing.total);
        models.push(timing.model);
      }
      serviceRounds.get(tokens)!.push(summary(samples));
      inServiceRounds.get(tokens)!.push({ total: summary(totals), model: summary(models) });
    }
    for (const [tokens, prompts] of batches) {
      await classify(prompts);
      const samples: number[] = [];
      for (let i = 0; i < rounds; i++) samples.push(await timeIt(() => classify(prompts)));
      serviceBatchRounds.get(tokens)!.push((BATCH * 1000) / summary(samples).p50);
    }
    // Raw ONNX Runtime in a fresh process of its own: measured in this one, after hundreds of HTTP calls,
    // the same session.run came out up to 1.5x slower than in a quiet process.
    const rawProc = Bun.spawn(
      ['bun', import.meta.path, '--raw-only', '--iterations', String(iterations), '--dtype', dtype],
      { stdout: 'pipe', stderr: 'inherit' },
    );
    rawRounds.push(JSON.parse(await new Response(rawProc.stdout).text()) as RawFigures);
    await rawProc.exited;
    // Each round's p50s, so drift of the machine between rounds is visible.
    const raw = new Map(rawRounds.at(-1)!.single);
    console.log(
      `round ${phase + 1}: p50 client / in service / raw  ` +
        SIZES.map((t) =>
          [serviceRounds.get(t)!.at(-1)!.p50, inServiceRounds.get(t)!.at(-1)!.total.p50, raw.get(t)!.p50]
            .map((v) => v.toFixed(2))
            .join(' / '),
        )
          .map((figures, i) => `${SIZES[i]} tok ${figures} ms`)
          .join(', '),
    );
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

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const medianSummary = (list: Summary[]): Summary => ({
    p50: median(list.map((x) => x.p50)),
    p99: median(list.map((x) => x.p99)),
    mean: median(list.map((x) => x.mean)),
  });
  const serviceSingle = new Map(SIZES.map((t) => [t, medianSummary(serviceRounds.get(t)!)]));
  const inService = new Map(
    SIZES.map((t) => {
      const list = inServiceRounds.get(t)!;
      return [
        t,
        { total: medianSummary(list.map((x) => x.total)), model: medianSummary(list.map((x) => x.model)) },
      ];
    }),
  );
  const serviceBatch = new Map(batchLengths.map((t) => [t, median(serviceBatchRounds.get(t)!)]));
  const rawSingle = new Map(
    SIZES.map((t) => [t, medianSummary(rawRounds.map((r) => new Map(r.single).get(t)!))]),
  );
  const rawBatch = new Map(
    batchLengths.map((t) => [t, median(rawRounds.map((r) => new Map(r.batch).get(t)!))]),
  );

  // Three views of one prompt: the client's (HTTP on loopback included), the service's own (its handler,
  // from Server-Timing), and raw session.run. An overhead is the p50 over raw's p50 in the same round,
  // median over rounds: the machine's drift between rounds then cancels out.
  const overhead = (tokens: number, pick: (round: number) => number) =>
    median(rawRounds.map((r, round) => pick(round) / new Map(r.single).get(tokens)!.p50 - 1));
  const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
  console.log(
    '\nsingle prompt   client p50 / p99      in service p50 (model)   raw session.run p50 / p99   ' +
      'overhead: client / in service',
  );
  for (const tokens of SIZES) {
    const svc = serviceSingle.get(tokens)!;
    const own = inService.get(tokens)!;
    const raw = rawSingle.get(tokens)!;
    const clientOverhead = overhead(tokens, (round) => serviceRounds.get(tokens)![round]!.p50);
    const inServiceOverhead = overhead(tokens, (round) => inServiceRounds.get(tokens)![round]!.total.p50);
    report[`single_${tokens}`] = { service: svc, inService: own, raw, clientOverhead, inServiceOverhead };
    console.log(
      `${String(tokens).padStart(3)} tokens      ${ms(svc.p50)} / ${ms(svc.p99)}`.padEnd(38) +
        `${ms(own.total.p50)} (${ms(own.model.p50)})`.padEnd(25) +
        `${ms(raw.p50)} / ${ms(raw.p99)}`.padEnd(28) +
        `${pct(clientOverhead)} / ${pct(inServiceOverhead)}`,
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

  if (dtype === 'q8' && agreementCount > 0) {
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
