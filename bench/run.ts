/**
 * `bun run bench [--quick] [--only direct,split-brain,portkey,litellm] [--out <dir>]`: starts the
 * simulator, then measures each target with wrk at several concurrency levels, streaming and not, on
 * a zero-latency and a realistic upstream profile, samples memory, probes time to first byte, runs the
 * classifier benchmark, and writes the report with its plots.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAgentBench } from './agent.ts';
import { runClassifierBench } from './lib/classifier-bench.ts';
import { machineInfo } from './lib/machine.ts';
import { MemorySampler } from './lib/memory.ts';
import { scrape, sumOf } from './lib/prometheus.ts';
import type { BenchResults, LoadRow, ScenarioId, TargetOutcome, TtfbRow } from './lib/results.ts';
import type { Service } from './lib/service.ts';
import {
  realisticProfile,
  type SimulatorProcess,
  startSimulatorProcess,
  zeroLatencyProfile,
} from './lib/simulator-process.ts';
import { probeTtfb } from './lib/ttfb.ts';
import { answerField, type Dialect, requestBody, streamEnd, UNIQUE_MARKER } from './lib/workload.ts';
import { type LoadRequest, runWrk } from './lib/wrk.ts';
import { writeReport } from './report/write.ts';
import { directTarget } from './targets/direct.ts';
import { litellmTarget } from './targets/litellm.ts';
import { portkeyTarget } from './targets/portkey.ts';
import { splitBrainTarget } from './targets/split-brain.ts';
import type { RunningTarget, Target, TargetContext } from './targets/target.ts';

export interface BenchPlan {
  concurrency: number[];
  streamConcurrency: number[];
  coldConcurrency: number[];
  realisticConnections: number;
  durationS: number;
  realisticDurationS: number;
  warmupS: number;
  ttfb: { concurrency: number; streams: number }[];
}

export const fullPlan: BenchPlan = {
  concurrency: [1, 8, 32, 128],
  streamConcurrency: [1, 32],
  coldConcurrency: [1, 8, 32],
  realisticConnections: 256,
  durationS: 8,
  realisticDurationS: 10,
  warmupS: 3,
  ttfb: [
    { concurrency: 1, streams: 20 },
    { concurrency: 32, streams: 160 },
  ],
};

export const quickPlan: BenchPlan = {
  concurrency: [1, 32],
  streamConcurrency: [32],
  coldConcurrency: [1, 8],
  realisticConnections: 256,
  durationS: 3,
  realisticDurationS: 4,
  warmupS: 1,
  ttfb: [
    { concurrency: 1, streams: 6 },
    { concurrency: 32, streams: 64 },
  ],
};

const log = (message: string): void => console.log(`[bench] ${message}`);

async function installTools(root: string): Promise<void> {
  for (const tool of ['wrk', 'portkey', 'litellm']) {
    const child = Bun.spawn(['bash', join(root, `bench/tools/install-${tool}.sh`)], {
      stdout: 'inherit',
      stderr: 'inherit',
    });
    const code = await child.exited;
    if (code !== 0 && tool === 'wrk') throw new Error('wrk could not be installed; the benchmark needs it');
    if (code !== 0) log(`${tool} could not be installed; it will be reported as unavailable`);
  }
  const model = join(root, 'models/all-MiniLM-L6-v2/config.json');
  if (!(await Bun.file(model).exists()) && (await Bun.file(join(root, 'scripts/model-fetch.ts')).exists())) {
    log('fetching the MiniLM model (bun run model:fetch)');
    await Bun.spawn(['bun', 'run', 'model:fetch'], { cwd: root, stdout: 'inherit', stderr: 'inherit' })
      .exited;
  }
}

/** One request through the target, checked by status and shape, before any load is sent. */
async function preflight(target: RunningTarget, dialect: Dialect, stream: boolean): Promise<void> {
  const endpoint = target.endpoints[dialect]!;
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: endpoint.headers,
    body: requestBody(dialect, { stream, unique: false }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const what = stream ? 'a stream' : 'a request';
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  if (stream ? !text.includes(streamEnd[dialect]) : !text.includes(answerField[dialect])) {
    throw new Error(`${what} got an unexpected body: ${text.slice(0, 300)}`);
  }
  target.verify?.(response, dialect);
}

function memoryRoots(services: Service[]): number[] {
  return services.map((service) => service.pid);
}

async function measure(
  running: RunningTarget,
  request: LoadRequest,
  connections: number,
  durationS: number,
): Promise<Omit<LoadRow, 'target' | 'scenario' | 'dialect'>> {
  const before = running.metricsUrl ? await scrape(running.metricsUrl) : undefined;
  const sampler = new MemorySampler(memoryRoots(running.measured));
  const helperSampler = running.helpers.length > 0 ? new MemorySampler(memoryRoots(running.helpers)) : null;
  const load = await runWrk(request, { connections, durationS, timeoutS: 30 });
  const memory = sampler.stop();
  const helper = helperSampler?.stop();
  const row = { load, peakRssMiB: memory.peakRssMiB, helperPeakRssMiB: helper ? helper.peakRssMiB : null };
  if (!running.metricsUrl || !before) return row;
  const after = await scrape(running.metricsUrl);
  const delta = (name: string, labels?: string): number =>
    sumOf(after, name, labels) - sumOf(before, name, labels);
  const calls = delta('router_classifier_duration_seconds_count');
  return {
    ...row,
    routing: {
      cacheHits: delta('router_classification_cache_total', 'result="hit"'),
      cacheMisses: delta('router_classification_cache_total', 'result="miss"'),
      classifierCalls: calls,
      classifierMeanMs: calls > 0 ? (delta('router_classifier_duration_seconds_sum') / calls) * 1000 : null,
      classifierFailures: delta('router_classifier_failures_total'),
      failClosed: delta('router_fail_closed_total'),
    },
  };
}

const dialects: Dialect[] = ['anthropic', 'openai'];

/**
 * Every scenario of one dialect against one running target. Returns what did not work (a dialect or
 * just its streaming failing is reported, and the rest still measured), or undefined.
 */
async function measureDialect(
  targetId: string,
  running: RunningTarget,
  dialect: Dialect,
  plan: BenchPlan,
  simulator: SimulatorProcess,
  loads: LoadRow[],
  ttfb: TtfbRow[],
): Promise<string | undefined> {
  const endpoint = running.endpoints[dialect]!;
  const request = (stream: boolean, unique = false): LoadRequest => ({
    url: endpoint.url,
    headers: endpoint.headers,
    body: requestBody(dialect, { stream, unique }),
    uniqueMarker: unique ? UNIQUE_MARKER : undefined,
  });
  await simulator.setProfile(zeroLatencyProfile);
  try {
    await preflight(running, dialect, false);
  } catch (error) {
    return `not measured: ${error instanceof Error ? error.message : String(error)}`;
  }
  // A gateway that cannot stream is still measured without streams; the report says why.
  const streamProblem = await preflight(running, dialect, true).then(
    () => undefined,
    (error: unknown) =>
      `streaming failed, streams not measured: ${error instanceof Error ? error.message : String(error)}`,
  );
  const record = async (scenario: ScenarioId, req: LoadRequest, c: number, d: number): Promise<void> => {
    const row = await measure(running, req, c, d);
    loads.push({ target: targetId, dialect, scenario, ...row });
    const l = row.load;
    log(
      `${targetId} ${dialect} ${scenario} c=${c}: ${l.rps.toFixed(0)} req/s, p50 ${l.p50Ms.toFixed(2)} ms, ` +
        `p99 ${l.p99Ms.toFixed(2)} ms, errors ${l.non2xx + l.socketErrors + l.timeouts}, ` +
        `rss ${row.peakRssMiB.toFixed(0)} MiB`,
    );
  };
  await runWrk(request(false), { connections: 8, durationS: plan.warmupS }); // JIT, pools, caches
  for (const c of plan.concurrency) await record('nonstream', request(false), c, plan.durationS);
  if (targetId === 'split-brain' && dialect === 'anthropic') {
    for (const c of plan.coldConcurrency) await record('cold', request(false, true), c, plan.durationS);
  }
  if (streamProblem) return streamProblem;
  for (const c of plan.streamConcurrency) await record('stream', request(true), c, plan.durationS);
  await simulator.setProfile(realisticProfile);
  try {
    await record('realistic-stream', request(true), plan.realisticConnections, plan.realisticDurationS);
    for (const probe of plan.ttfb) {
      const result = await probeTtfb(request(true), probe.concurrency, probe.streams);
      ttfb.push({ target: targetId, dialect, ...result });
      log(`${targetId} ${dialect} ttfb c=${probe.concurrency}: p50 ${result.ttfbP50Ms.toFixed(1)} ms`);
    }
  } finally {
    await simulator.setProfile(zeroLatencyProfile);
  }
  return undefined;
}

export async function runBench(options: {
  quick: boolean;
  only?: string[];
  outDir?: string;
}): Promise<string> {
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const root = resolve(import.meta.dir, '..');
  const plan = options.quick ? quickPlan : fullPlan;
  await installTools(root);
  const workDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const logDir = join(root, 'bench/results/tmp/logs');
  mkdirSync(logDir, { recursive: true });
  const simulator = await startSimulatorProcess(root, logDir);
  const ctx: TargetContext = { root, simulatorUrl: simulator.url, workDir, logDir };
  const all: Target[] = [directTarget(simulator), splitBrainTarget, portkeyTarget, litellmTarget];
  const targets = all.filter((t) => !options.only || options.only.includes(t.id));

  const outcomes: TargetOutcome[] = [];
  const loads: LoadRow[] = [];
  const ttfb: TtfbRow[] = [];
  try {
    for (const target of targets) {
      const reason = await target.unavailable(ctx);
      if (reason) {
        log(`${target.label}: unavailable (${reason})`);
        outcomes.push({ id: target.id, label: target.label, status: 'unavailable', reason });
        continue;
      }
      log(`${target.label}: starting`);
      let running: RunningTarget | undefined;
      try {
        running = await target.start(ctx);
        const idle = new MemorySampler(memoryRoots(running.measured)).stop();
        const helperIdle =
          running.helpers.length > 0 ? new MemorySampler(memoryRoots(running.helpers)).stop() : null;
        const problems: Partial<Record<Dialect, string>> = {};
        const notes: Partial<Record<Dialect, string>> = {};
        const outcome: TargetOutcome = {
          id: target.id,
          label: target.label,
          status: 'measured',
          settings: running.settings,
          idleRssMiB: idle.lastRssMiB,
          helperIdleRssMiB: helperIdle ? helperIdle.lastRssMiB : null,
          problems,
          notes,
        };
        for (const dialect of dialects) {
          const endpoint = running.endpoints[dialect];
          if (!endpoint) continue;
          if (endpoint.note) notes[dialect] = endpoint.note;
          const problem = await measureDialect(target.id, running, dialect, plan, simulator, loads, ttfb);
          if (problem) {
            log(`${target.label} (${dialect}): ${problem.split('\n')[0]}`);
            problems[dialect] = problem;
          }
        }
        outcomes.push(outcome);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${target.label}: failed (${message.split('\n')[0]})`);
        outcomes.push({ id: target.id, label: target.label, status: 'failed', reason: message });
      } finally {
        await running?.stop();
      }
    }
  } finally {
    await simulator.service.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const classifier = await runClassifierBench(root, options.quick);
  log('agent benchmark (bench/agent.ts: Claude Code through bun run dev)');
  const agent = await runAgentBench({ cli: true, runs: options.quick ? 10 : 30 });
  log(`agent: ${agent.status}${agent.reason ? ` (${agent.reason})` : ''}`);
  const results: BenchResults = {
    quick: options.quick,
    machine: { ...(await machineInfo(root)), loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 } },
    durationS: (Date.now() - started) / 1000,
    targets: outcomes,
    loads,
    ttfb,
    classifier,
    agent,
  };
  const dir = await writeReport(root, results, options.outDir);
  log(`report written to ${dir}/report.md (${results.durationS.toFixed(0)} s)`);
  return dir;
}

export async function benchMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      render: { type: 'string' },
    },
  });
  if (values.render) {
    // Re-renders a results folder (report and plots) from its results.json, e.g. after a report change.
    const results = (await Bun.file(join(values.render, 'results.json')).json()) as BenchResults;
    await writeReport(resolve(import.meta.dir, '..'), results, values.render);
    log(`re-rendered ${values.render}`);
    return;
  }
  await runBench({
    quick: values.quick ?? false,
    only: values.only?.split(',').map((s) => s.trim()),
    outDir: values.out,
  });
}
