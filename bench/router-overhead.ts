/**
 * Router overhead against the simulator with zero added latency (issue 5's targets):
 *
 *   bun bench/router-overhead.ts [--seconds 5] [--rounds 2] [--json out.json]
 *
 * Starts the simulator, a keywords classifier and the router as separate processes, and drives them with
 * wrk (its own process). Router and direct runs alternate round by round, so CPU noise from other jobs on
 * the machine hits both; compare the ratios. Scenarios (classification cached after a warm-up request):
 * an OpenAI client routed local by a keyword (same dialect, ScalarLM side) and an Anthropic client routed
 * to Claude (same dialect). Then RSS of the router while 256 streams are open at once.
 *
 * Two kinds of load, reported apart (docs/benchmarks.md says why):
 * - closed loop (wrk, c=1 and c=32): each connection sends its next request when the last one is answered,
 *   so it measures the most each side can do; at fixed concurrency a slower server has proportionally
 *   longer latencies (Little's law), so its p99 says little about the router's added tail;
 * - open loop (bench/constant-rate.ts): the same constant request rate to both sides (by default a third of
 *   the direct side's closed-loop maximum at c=32, and a fifth of it), latency counted from when each
 *   request was due; this compares tails at equal offered load. A side that cannot keep up with the rate
 *   shows it as latencies that grow with the run (a queue), not as a lower rate.
 * Numbers only: nothing is asserted. Needs wrk (Debian package `wrk`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Subprocess } from 'bun';
import { freePort } from '../libs/http/src/index.ts';
import { openStore } from '../libs/store/src/index.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    json: { type: 'string' },
    /** Write the router's CPU profile (markdown) into this folder. */
    'cpu-prof': { type: 'string' },
    'skip-streams': { type: 'boolean', default: false },
    /** Open-loop rates as fractions of the direct side's closed-loop maximum at c=32 ('' skips them). */
    'open-fractions': { type: 'string', default: '0.2,0.3333' },
    /** Run the router from another checkout (e.g. an older commit), for before/after comparisons. */
    'router-root': { type: 'string' },
    /**
     * Also run a router from this checkout, measured in the same alternating rounds (direct, router,
     * compare), so both see the same machine: the fair before/after on a busy machine.
     */
    'compare-root': { type: 'string' },
    /**
     * Also measure a bare Hono forwarder (bench/lib/bare-forwarder.ts) in the same rounds: the cost of one
     * more process hop with no features, the yardstick for what the router's features cost.
     */
    bare: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const root = resolve(import.meta.dir, '..');
const work = await mkdtemp(join(tmpdir(), 'bench-router-'));
const procs: Subprocess[] = [];

async function start(name: string, cmd: string[], env: Record<string, string>, readyUrl: string) {
  const proc = Bun.spawn(cmd, {
    env: { ...process.env, ...env },
    stdout: 'ignore',
    stderr: Bun.file(join(work, `${name}.log`)),
  });
  procs.push(proc);
  for (const until = Date.now() + 30_000; Date.now() < until; await Bun.sleep(50)) {
    try {
      if ((await fetch(readyUrl)).ok) return proc;
    } catch {}
  }
  throw new Error(`${name} did not start; see ${work}/${name}.log`);
}
const stopAll = () => {
  for (const p of procs) p.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', stopAll);
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

interface LoadResult {
  rps: number;
  /** Router runs: the router process's CPU time per request, in µs (robust to other jobs on the CPUs). */
  cpuUsPerRequest?: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** One closed-loop wrk run; latencies in ms from wrk's own histogram. */
async function wrk(url: string, headers: Record<string, string>, body: string, connections: number) {
  const script = join(work, 'request.lua');
  const lua = [
    'wrk.method = "POST"',
    `wrk.body = [==[${body}]==]`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers["${k}"] = [==[${v}]==]`),
    'done = function(s, latency, r)',
    '  local e = s.errors',
    '  io.write(string.format("WRKJSON %d %d %d %d %d\\n", s.requests, s.duration,',
    '    latency:percentile(50), latency:percentile(99), e.status + 0))',
    '  io.write(string.format("WRKERR %d\\n", e.connect + e.read + e.write + e.timeout))',
    'end',
  ].join('\n');
  await writeFile(script, lua);
  const proc = Bun.spawn(
    [
      'wrk',
      `-t${Math.min(2, connections)}`,
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '30s',
      '-s',
      script,
      url,
    ],
    { stdout: 'pipe', stderr: 'inherit' },
  );
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const m = /WRKJSON (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
  const e = /WRKERR (\d+)/.exec(out);
  if (!m) throw new Error(`wrk said: ${out}`);
  const [, requests, durationUs, p50, p99, non2xx] = m.map(Number) as number[];
  return {
    rps: requests! / (durationUs! / 1e6),
    p50: p50! / 1000,
    p99: p99! / 1000,
    non2xx: non2xx!,
    errors: Number(e?.[1] ?? 0),
  } satisfies LoadResult;
}

/** CPU time (user + system) a process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

// --- the stack ---
const simPort = freePort();
const sim = `http://127.0.0.1:${simPort}`;
await start(
  'simulator',
  ['bun', join(root, 'libs/simulator/src/main.ts'), '--port', String(simPort)],
  {},
  `${sim}/v1/health`,
);
const setProfile = (patch: Record<string, unknown>) =>
  fetch(`${sim}/_sim/profile`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
await setProfile({ recordRequests: false, latencyMs: 0, ttftMs: 0, tokensPerSecond: 0, outputTokens: 24 });

const keywords = join(work, 'keywords.txt');
await writeFile(keywords, 'Project Falcon\n');
const classifierPort = freePort();
await start(
  'classifier',
  ['bun', join(root, 'apps/classifier/src/main.ts')],
  {
    PORT: String(classifierPort),
    CLASSIFIER_MODEL_KIND: 'keywords',
    CLASSIFIER_KEYWORDS_PATH: keywords,
    SPLIT_BRAIN_DATA_DIR: work,
    LOG_LEVEL: 'error',
  },
  `http://127.0.0.1:${classifierPort}/readyz`,
);

const dataDir = join(work, 'data');
const { token } = await openStore(dataDir).tokens.create({
  user: 'bench@example.com',
  name: 'bench',
  createdBy: 'bench',
});
/** The router under test, and optionally a second one from another checkout, measured in the same rounds. */
async function startRouter(label: string, checkout: string, profile: boolean) {
  const routerPort = freePort();
  const url = `http://127.0.0.1:${routerPort}`;
  const proc = await start(
    label,
    [
      'bun',
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'] ?? '.')}`] : []),
      join(checkout, 'apps/router/src/main.ts'),
    ],
    {
      PORT: String(routerPort),
      SPLIT_BRAIN_DATA_DIR: dataDir,
      POD_NAME: label,
      LOG_LEVEL: 'error',
      CLASSIFIER_URL: `http://127.0.0.1:${classifierPort}`,
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      ANTHROPIC_BASE_URL: sim,
      SCALARLM_BASE_URL: `${sim}/v1`,
    },
    `${url}/healthz`,
  );
  return { label, url, proc };
}
const routers = [
  await startRouter('router', args['router-root'] ? resolve(args['router-root']) : root, !!args['cpu-prof']),
];
if (args['compare-root']) routers.push(await startRouter('compare', resolve(args['compare-root']), false));
if (args.bare) {
  const barePort = freePort();
  const url = `http://127.0.0.1:${barePort}`;
  const proc = await start(
    'bare',
    ['bun', join(root, 'bench/lib/bare-forwarder.ts')],
    { PORT: String(barePort), UPSTREAM: sim, UPSTREAM_KEY: 'sk-ant-bench' },
    `${url}/healthz`,
  );
  routers.push({ label: 'bare', url, proc });
}
const router = routers[0]!.proc;
const routerUrl = routers[0]!.url;

interface Scenario {
  name: string;
  path: string;
  routerHeaders: Record<string, string>;
  directHeaders: Record<string, string>;
  directPath: string;
  body: string;
}
const scenarios: Scenario[] = [
  {
    name: 'openai→local (keyword)',
    path: '/v1/chat/completions',
    routerHeaders: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    directHeaders: { 'content-type': 'application/json' },
    directPath: '/v1/chat/completions',
    body: JSON.stringify({
      model: 'Qwen/Qwen3-14B',
      max_tokens: 64,
      messages: [
        { role: 'system', content: 'You are a helpful assistant for the shipyard team.' },
        { role: 'user', content: 'Summarise the status of Project Falcon for the weekly meeting, please.' },
      ],
    }),
  },
  {
    name: 'anthropic→claude',
    path: '/v1/messages',
    routerHeaders: {
      'content-type': 'application/json',
      'x-api-key': token,
      'anthropic-version': '2023-06-01',
    },
    directHeaders: {
      'content-type': 'application/json',
      'x-api-key': 'sk-ant-bench',
      'anthropic-version': '2023-06-01',
    },
    directPath: '/v1/messages',
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      system: 'You are a helpful assistant.',
      messages: [{ role: 'user', content: 'Write a short poem about the sea and the harbour at dawn.' }],
    }),
  },
];

/** One open-loop run at `rate` requests per second; latencies in ms from the driver (see its header). */
async function constantRate(url: string, headers: Record<string, string>, body: string, rate: number) {
  const bodyFile = join(work, 'open-body.json');
  await writeFile(bodyFile, body);
  const proc = Bun.spawn(
    [
      'bun',
      join(root, 'bench/constant-rate.ts'),
      '--url',
      url,
      '--rate',
      String(Math.round(rate)),
      '--seconds',
      String(seconds),
      '--body-file',
      bodyFile,
      ...Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
    ],
    { stdout: 'pipe', stderr: 'inherit' },
  );
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return JSON.parse(out) as {
    achievedRate: number;
    non2xx: number;
    errors: number;
    unanswered: number;
    p50: number;
    p99: number;
    p999: number;
    meanSendLag: number;
  };
}

/**
 * Runs `drive` against the simulator and then each router, `rounds` times over, so CPU noise from other
 * jobs hits every side; router runs carry the router's CPU time per request (`requestsIn` a run).
 */
async function alternatingRounds<R>(
  s: Scenario,
  drive: (url: string, headers: Record<string, string>) => Promise<R>,
  requestsIn: (run: R) => number,
) {
  const direct: R[] = [];
  const routed: (R & { cpuUsPerRequest: number })[][] = routers.map(() => []);
  for (let i = 0; i < rounds; i++) {
    direct.push(await drive(`${sim}${s.directPath}`, s.directHeaders));
    for (const [k, r] of routers.entries()) {
      const cpuBefore = cpuMs(r.proc.pid);
      const run = await drive(`${r.url}${s.path}`, s.routerHeaders);
      routed[k]!.push({
        ...run,
        cpuUsPerRequest: ((cpuMs(r.proc.pid) - cpuBefore) * 1000) / requestsIn(run),
      });
    }
  }
  return { direct, routed };
}

const results: Record<string, unknown>[] = [];
const fmt = (v: number) => v.toFixed(3).padStart(8);
for (const s of scenarios) {
  // Warm-up: classification cached, connections and JIT warm.
  for (let i = 0; i < 200 * routers.length; i++) {
    const r = await fetch(`${routers[i % routers.length]!.url}${s.path}`, {
      method: 'POST',
      headers: s.routerHeaders,
      body: s.body,
    });
    if (!r.ok) throw new Error(`router answered ${r.status}: ${await r.text()}`);
    await r.arrayBuffer();
  }
  let directMaxRps = 0;
  for (const c of [1, 32]) {
    const { direct, routed } = await alternatingRounds(
      s,
      (url, headers) => wrk(url, headers, s.body, c),
      (run) => run.rps * seconds,
    );
    const best = (rs: LoadResult[]) => ({
      rps: Math.max(...rs.map((r) => r.rps)),
      p50: Math.min(...rs.map((r) => r.p50)),
      p99: Math.min(...rs.map((r) => r.p99)),
      bad: rs.reduce((a, r) => a + r.non2xx + r.errors, 0),
      cpuUsPerRequest: Math.min(...rs.map((r) => r.cpuUsPerRequest ?? Number.NaN)),
    });
    const d = best(direct);
    if (c === 32) directMaxRps = d.rps;
    for (const [k, { label }] of routers.entries()) {
      const r = best(routed[k]!);
      const row = {
        scenario: s.name,
        concurrency: c,
        router: label,
        directResult: d,
        routerResult: r,
        addedP50Ms: r.p50 - d.p50,
        throughputRatio: r.rps / d.rps,
        p99Ratio: r.p99 / d.p99,
        rounds: { direct, routed: routed[k] },
      };
      results.push(row);
      console.log(
        `${s.name.padEnd(24)} closed c=${String(c).padEnd(3)} direct p50${fmt(d.p50)} p99${fmt(d.p99)} ${d.rps.toFixed(0).padStart(6)} rps | ${label.padEnd(7)} p50${fmt(r.p50)} p99${fmt(r.p99)} ${r.rps.toFixed(0).padStart(6)} rps | added p50 ${r.p50 - d.p50 >= 0 ? '+' : ''}${(r.p50 - d.p50).toFixed(3)} ms, throughput ${(100 * row.throughputRatio).toFixed(1)}%, p99 x${row.p99Ratio.toFixed(2)}, CPU ${r.cpuUsPerRequest.toFixed(0)} µs/req${d.bad + r.bad ? ` (${d.bad + r.bad} failed)` : ''}`,
      );
    }
  }

  // Open loop: both sides get the same constant rate; best (lowest) percentiles over the rounds.
  const fractions = (args['open-fractions'] ?? '').split(',').filter(Boolean).map(Number);
  for (const fraction of directMaxRps > 0 ? fractions : []) {
    const rate = directMaxRps * fraction;
    type OpenRun = Awaited<ReturnType<typeof constantRate>> & { cpuUsPerRequest?: number };
    const { direct, routed } = await alternatingRounds(
      s,
      (url, headers) => constantRate(url, headers, s.body, rate),
      () => rate * (seconds + 1),
    );
    const best = (rs: OpenRun[]) => ({
      achievedRate: Math.min(...rs.map((r) => r.achievedRate)),
      p50: Math.min(...rs.map((r) => r.p50)),
      p99: Math.min(...rs.map((r) => r.p99)),
      p999: Math.min(...rs.map((r) => r.p999)),
      sendLagMs: Math.max(...rs.map((r) => r.meanSendLag)),
      bad: rs.reduce((a, r) => a + r.non2xx + r.errors + r.unanswered, 0),
      cpuUsPerRequest: Math.min(...rs.map((r) => r.cpuUsPerRequest ?? Number.NaN)),
    });
    const d = best(direct);
    for (const [k, { label }] of routers.entries()) {
      const r = best(routed[k]!);
      results.push({
        scenario: s.name,
        openLoopRate: rate,
        router: label,
        directResult: d,
        routerResult: r,
        p99Ratio: r.p99 / d.p99,
        rounds: { direct, routed: routed[k] },
      });
      console.log(
        `${s.name.padEnd(24)} open ${rate.toFixed(0).padStart(6)}/s direct p50${fmt(d.p50)} p99${fmt(d.p99)} p99.9${fmt(d.p999)} | ${label.padEnd(7)} p50${fmt(r.p50)} p99${fmt(r.p99)} p99.9${fmt(r.p999)} | p99 x${(r.p99 / d.p99).toFixed(2)}, CPU ${r.cpuUsPerRequest.toFixed(0)} µs/req, driver send lag ≤${r.sendLagMs.toFixed(2)} ms${d.bad + r.bad ? ` (${d.bad + r.bad} failed)` : ''}`,
      );
    }
  }
}

if (args['cpu-prof']) {
  router.kill('SIGTERM');
  await router.exited;
}

// --- RSS with 256 streams open at once: slow streams (about 8 s each) so all are in flight together ---
if (!args['skip-streams']) {
  await setProfile({ tokensPerSecond: 8, outputTokens: 64 });
  const streamBody = JSON.stringify({ ...JSON.parse(scenarios[0]!.body), stream: true, max_tokens: 64 });
  let peak = rssMb(router.pid);
  const idle = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(router.pid));
  }, 100);
  const streamsSeconds = 8;
  await writeFile(
    join(work, 'stream.lua'),
    `wrk.method = "POST"\nwrk.body = [==[${streamBody}]==]\nwrk.headers["content-type"] = "application/json"\nwrk.headers["authorization"] = "Bearer ${token}"\n`,
  );
  const streams = Bun.spawn(
    [
      'wrk',
      '-t2',
      '-c256',
      `-d${streamsSeconds}s`,
      '--timeout',
      '30s',
      '-s',
      join(work, 'stream.lua'),
      `${routerUrl}/v1/chat/completions`,
    ],
    { stdout: 'pipe', stderr: 'inherit' },
  );
  await streams.exited;
  clearInterval(sampler);
  console.log(
    `router RSS: idle ${idle.toFixed(1)} MB, peak ${peak.toFixed(1)} MB with 256 concurrent streams`,
  );
  results.push({ rssIdleMb: idle, rssPeakMb: peak, streams: 256 });
}

if (args.json) await writeFile(args.json, JSON.stringify(results, null, 2));
stopAll();
await rm(work, { recursive: true, force: true });
