/**
 * The report's text: every figure is shown raw and as a ratio to the floor (the simulator called
 * directly) measured in the same run, and split-brain is set against the peers from the same run.
 */
import type { BenchResults, LoadRow, ScenarioId, TtfbRow } from '../lib/results.ts';
import { scenarioTitles } from '../lib/results.ts';
import type { Dialect } from '../lib/workload.ts';

export const dialectTitles: Record<Dialect, string> = {
  anthropic: 'Anthropic Messages API (`POST /v1/messages`)',
  openai: 'OpenAI chat completions (`POST /v1/chat/completions`)',
};

const ms = (v: number): string => (Number.isFinite(v) ? (v < 10 ? v.toFixed(3) : v.toFixed(1)) : 'n/a');
const signedMs = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${ms(v)}` : 'n/a');
const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');
const mib = (v: number | null | undefined): string =>
  v === null || v === undefined ? 'n/a' : `${v.toFixed(0)}`;
const rps = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** A Markdown table; columns from `numericFrom` on are right-aligned (numbers). */
function table(header: string[], rows: string[][], numericFrom = 1): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < numericFrom ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function findLoad(
  results: BenchResults,
  target: string,
  dialect: Dialect,
  scenario: ScenarioId,
  c: number,
): LoadRow | undefined {
  return results.loads.find(
    (l) =>
      l.target === target && l.dialect === dialect && l.scenario === scenario && l.load.connections === c,
  );
}

function label(results: BenchResults, id: string): string {
  return results.targets.find((t) => t.id === id)?.label ?? id;
}

/** Load rows of one scenario against the floor's row at the same concurrency. */
function loadTable(
  results: BenchResults,
  dialect: Dialect,
  scenario: ScenarioId,
  floorScenario: ScenarioId = scenario,
): string {
  const rows = results.loads.filter((l) => l.dialect === dialect && l.scenario === scenario);
  if (rows.length === 0) return '_Not measured in this run._';
  const body = rows.map((row) => {
    const floor = findLoad(results, 'direct', dialect, floorScenario, row.load.connections);
    const l = row.load;
    const errors = l.non2xx + l.socketErrors + l.timeouts;
    if (l.requests === 0) {
      // wrk drops unfinished requests: no latency exists, and 0 ms would read as instant.
      const none = `no response completed in ${l.durationS.toFixed(0)} s`;
      return [
        label(results, row.target),
        String(l.connections),
        '0',
        '0%',
        none,
        '',
        '',
        '',
        '',
        mib(row.peakRssMiB),
        String(errors),
      ];
    }
    return [
      label(results, row.target),
      String(l.connections),
      rps(l.rps),
      floor ? pct(l.rps / floor.load.rps) : 'n/a',
      ms(l.p50Ms),
      ms(l.p99Ms),
      floor && row.target !== 'direct' ? signedMs(l.p50Ms - floor.load.p50Ms) : '',
      floor && row.target !== 'direct' ? signedMs(l.p99Ms - floor.load.p99Ms) : '',
      floor ? ratio(l.p99Ms / floor.load.p99Ms) : 'n/a',
      mib(row.peakRssMiB),
      errors === 0 ? '0' : `**${errors}**`,
    ];
  });
  body.sort((a, b) => Number(a[1]) - Number(b[1]));
  return table(
    [
      'target',
      'conns',
      'req/s',
      'of floor req/s',
      'p50 ms',
      'p99 ms',
      'added p50 ms',
      'added p99 ms',
      'p99 / floor p99',
      'peak RSS MiB',
      'errors',
    ],
    body,
  );
}

/** What split-brain's /metrics counted in each run: shows a run was cached, cold, or failing closed. */
function routingTable(results: BenchResults, dialect: Dialect, scenario: ScenarioId): string | undefined {
  const rows = results.loads.filter((l) => l.dialect === dialect && l.scenario === scenario && l.routing);
  if (rows.length === 0) return undefined;
  return table(
    [
      'conns',
      'requests (wrk)',
      'cache hits',
      'cache misses',
      'classifier calls',
      'mean classifier ms',
      'classifier failures',
      'failed closed',
    ],
    rows.map((row) => {
      const r = row.routing!;
      return [
        String(row.load.connections),
        String(row.load.requests),
        String(r.cacheHits),
        String(r.cacheMisses),
        String(r.classifierCalls),
        r.classifierMeanMs === null ? '' : ms(r.classifierMeanMs),
        r.classifierFailures === 0 ? '0' : `**${r.classifierFailures}**`,
        r.failClosed === 0 ? '0' : `**${r.failClosed}**`,
      ];
    }),
    0,
  );
}

function ttfbTable(results: BenchResults, dialect: Dialect): string {
  const mine = results.ttfb.filter((t) => t.dialect === dialect);
  if (mine.length === 0) return '_Not measured in this run._';
  const floorOf = (row: TtfbRow): TtfbRow | undefined =>
    mine.find((f) => f.target === 'direct' && f.concurrency === row.concurrency);
  const rows = [...mine]
    .sort((a, b) => a.concurrency - b.concurrency)
    .map((row) => {
      const floor = floorOf(row);
      return [
        label(results, row.target),
        String(row.concurrency),
        String(row.streams - row.failed),
        ms(row.ttfbP50Ms),
        ms(row.ttfbP99Ms),
        floor && row.target !== 'direct' ? signedMs(row.ttfbP50Ms - floor.ttfbP50Ms) : '',
        floor && row.target !== 'direct' ? signedMs(row.ttfbP99Ms - floor.ttfbP99Ms) : '',
        ms(row.totalP50Ms),
        row.failed === 0 ? '0' : `**${row.failed}**`,
      ];
    });
  return table(
    [
      'target',
      'concurrent streams',
      'streams',
      'TTFB p50 ms',
      'TTFB p99 ms',
      'added p50',
      'added p99',
      'whole stream p50 ms',
      'failed',
    ],
    rows,
  );
}

function memoryTable(results: BenchResults): string {
  const measured = results.targets.filter((t) => t.status === 'measured');
  const rows = measured.map((t) => {
    const mine = results.loads.filter((l) => l.target === t.id);
    const peakAll = Math.max(...mine.map((l) => l.peakRssMiB));
    const streams =
      mine.find((l) => l.scenario === 'realistic-stream' && l.dialect === 'anthropic') ??
      mine.find((l) => l.scenario === 'realistic-stream');
    const helperPeak = Math.max(...mine.map((l) => l.helperPeakRssMiB ?? 0));
    return [
      t.label,
      mib(t.idleRssMiB),
      mib(peakAll),
      streams ? mib(streams.peakRssMiB) : 'n/a',
      t.helperIdleRssMiB !== null && t.helperIdleRssMiB !== undefined
        ? `${mib(t.helperIdleRssMiB)} / ${mib(helperPeak)}`
        : '',
    ];
  });
  return table(
    [
      'target',
      'idle RSS MiB',
      'peak RSS MiB (any run)',
      'peak RSS MiB, 256 streams',
      'helper (classifier) idle / peak MiB',
    ],
    rows,
  );
}

interface TargetCheck {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

/** The router's targets from its issue, checked against this run (reported, never asserted in tests). */
export function routerTargetChecks(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const sb1 = findLoad(results, 'split-brain', 'anthropic', 'nonstream', 1);
  const d1 = findLoad(results, 'direct', 'anthropic', 'nonstream', 1);
  if (sb1 && d1) {
    const added = sb1.load.p50Ms - d1.load.p50Ms;
    checks.push({
      what: 'cached classification, added p50 at 1 connection',
      target: '<= 0.25 ms',
      measured: `${ms(added)} ms`,
      met: added <= 0.25,
    });
  }
  const sb32 = findLoad(results, 'split-brain', 'anthropic', 'nonstream', 32);
  const d32 = findLoad(results, 'direct', 'anthropic', 'nonstream', 32);
  if (sb32 && d32) {
    const share = sb32.load.rps / d32.load.rps;
    checks.push({
      what: 'throughput at 32 connections, share of direct',
      target: '>= 33.3%',
      measured: pct(share),
      met: share >= 1 / 3,
    });
    const p99 = sb32.load.p99Ms / d32.load.p99Ms;
    checks.push({
      // Closed loop: at a third of direct's throughput Little's law alone makes this ~3x. The equal-rate
      // (open-loop) comparison is in bench/router-overhead.ts; see docs/benchmarks.md.
      what: 'p99 at 32 connections (closed loop), relative to direct p99',
      target: '<= 1.5x',
      measured: ratio(p99),
      met: p99 <= 1.5,
    });
  }
  const streams = results.loads.find(
    (l) => l.target === 'split-brain' && l.dialect === 'anthropic' && l.scenario === 'realistic-stream',
  );
  if (streams) {
    checks.push({
      what: `router RSS with ${streams.load.connections} concurrent streams`,
      target: '<= 150 MB',
      measured: `${(streams.peakRssMiB * 1.048576).toFixed(0)} MB (${mib(streams.peakRssMiB)} MiB)`,
      met: streams.peakRssMiB * 1.048576 <= 150,
    });
  }
  return checks;
}

function peersTable(results: BenchResults, dialect: Dialect): string {
  const peers = results.targets.filter(
    (t) => t.status === 'measured' && t.id !== 'direct' && t.id !== 'split-brain',
  );
  const sbRows = results.loads.filter(
    (l) => l.target === 'split-brain' && l.dialect === dialect && l.scenario === 'nonstream',
  );
  if (peers.length === 0 || sbRows.length === 0)
    return '_No peer and split-brain pair measured in this run._';
  const rows: string[][] = [];
  for (const sb of sbRows) {
    for (const peer of peers) {
      const p = findLoad(results, peer.id, dialect, 'nonstream', sb.load.connections);
      if (!p) continue;
      rows.push([
        peer.label,
        String(sb.load.connections),
        ratio(sb.load.rps / p.load.rps),
        ratio(p.load.p50Ms / sb.load.p50Ms),
        ratio(p.load.p99Ms / sb.load.p99Ms),
      ]);
    }
  }
  return table(
    [
      'peer',
      'conns',
      'split-brain req/s ÷ peer req/s',
      'peer p50 ÷ split-brain p50',
      'peer p99 ÷ split-brain p99',
    ],
    rows,
  );
}

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(
    `# split-brain benchmark, ${m.date.slice(0, 10)} (commit ${m.commit})${results.quick ? ' — quick run' : ''}`,
  );
  out.push('');
  out.push(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB. Bun ${m.versions.bun}, Node ${m.versions.node}, ` +
      `${m.versions.wrk}, ${m.versions.python}, kernel ${m.versions.kernel}. Run took ${results.durationS.toFixed(0)} s. ` +
      `Load average (1 min) before the run ${m.loadAverage.before.toFixed(2)}, after ${m.loadAverage.after?.toFixed(2) ?? 'n/a'}: ` +
      'figures from a busy machine are noisier, above all the p99s.',
  );
  out.push('');
  out.push(
    'Load generator: wrk, one thread, closed loop (each connection sends its next request when the last ' +
      'answer is complete), over loopback. Every target gets the same request in each client dialect (a ' +
      'conversation of about 200 tokens, `max_tokens` 64; Anthropic Messages API and OpenAI chat completions) ' +
      'and forwards it to the same upstream simulator, which runs in its own process. The **floor** is the simulator called directly; "added" latency is a ' +
      "target's percentile minus the floor's at the same number of connections. Gateway, simulator and wrk " +
      'share the 2 cores, so at saturation every gateway also competes with the simulator for CPU.',
  );
  out.push('');
  out.push(
    "Time to first byte (TTFB) of streams is measured by the harness's own probe, because wrk times only " +
      'whole responses: the time from sending the request to the first body bytes (the first SSE event), with ' +
      'that many streams open at once.',
  );
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push(
    table(
      ['target', 'status', 'settings / reason'],
      results.targets.map((t) => [
        t.label,
        t.status,
        (t.status === 'measured' ? t.settings : t.reason)?.split('\n')[0] ?? '',
      ]),
      3,
    ),
  );
  out.push('');
  const checks = routerTargetChecks(results);
  if (checks.length > 0) {
    out.push("## The router's targets (issue 5)");
    out.push('');
    out.push(
      table(
        ['what', 'target', 'measured', 'met'],
        checks.map((c) => [c.what, c.target, c.measured, c.met === null ? '' : c.met ? 'yes' : '**no**']),
      ),
    );
    out.push('');
  }
  for (const dialect of ['anthropic', 'openai'] as Dialect[]) {
    out.push(`## ${dialectTitles[dialect]}`);
    out.push('');
    const notes = results.targets
      .map((t) => [t.label, t.notes?.[dialect], t.problems?.[dialect]] as const)
      .filter(([, note, problem]) => note || problem);
    for (const [who, note, problem] of notes) {
      if (note) out.push(`- ${who}: ${note}.`);
      if (problem) out.push(`- ${who}: **${problem.split('\n')[0]}**`);
    }
    if (notes.length > 0) out.push('');
    out.push(`![latency](latency-${dialect}.svg) ![throughput](throughput-${dialect}.svg)`);
    out.push('');
    out.push('### split-brain against the peers (non-streaming, same run)');
    out.push('');
    out.push(peersTable(results, dialect));
    out.push('');
    for (const scenario of ['nonstream', 'cold', 'stream', 'realistic-stream'] as ScenarioId[]) {
      if (!results.loads.some((l) => l.dialect === dialect && l.scenario === scenario)) continue;
      out.push(`### ${scenarioTitles[scenario]}`);
      out.push('');
      if (scenario === 'cold') {
        out.push(
          'Every request carries a conversation never seen before (every turn is new), so the router cannot ' +
            'use its classification cache: each turn is embedded by MiniLM (about 200 tokens in all) ' +
            'before forwarding. Compared with the floor at the same number of connections.',
        );
        out.push('');
      }
      out.push(loadTable(results, dialect, scenario, scenario === 'cold' ? 'nonstream' : scenario));
      out.push('');
      const routing = routingTable(results, dialect, scenario);
      if (routing) {
        out.push("What split-brain's router counted during these runs (from its `/metrics`):");
        out.push('');
        out.push(routing);
        out.push('');
      }
    }
    out.push('### Time to first byte of streams (realistic upstream)');
    out.push('');
    out.push(ttfbTable(results, dialect));
    out.push('');
  }
  out.push('## Memory');
  out.push('');
  out.push('![memory](memory.svg)');
  out.push('');
  out.push(
    "Resident memory (VmRSS) summed over the gateway's process tree, sampled every 200 ms during each run " +
      "(LiteLLM's figure includes its worker processes). split-brain's classifier is a separate service and is " +
      'shown apart.',
  );
  out.push('');
  out.push(memoryTable(results));
  out.push('');
  out.push('## Classifier');
  out.push('');
  if (results.classifier.markdown) out.push(results.classifier.markdown.trim());
  else out.push(`_Not measured: ${results.classifier.reason}._`);
  out.push('');
  if (results.agent) {
    out.push('## A coding agent (Claude Code) through `bun run dev`');
    out.push('');
    out.push(results.agent.markdown?.trim() ?? `_Not measured: ${results.agent.reason}._`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
