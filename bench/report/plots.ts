/** The report's plots: latency and throughput by concurrency per client dialect, memory by target. */
import type { BenchResults, LoadRow } from '../lib/results.ts';
import type { Dialect } from '../lib/workload.ts';
import { barChart, lineChart, type Series } from './svg.ts';

const dialectNames: Record<Dialect, string> = { anthropic: 'Messages API', openai: 'chat completions' };
const colors = ['#5c6770', '#1b6ac9', '#d1495b', '#2e933c', '#8f5bd6'];

function concurrencyPlots(results: BenchResults, dialect: Dialect): Record<string, string> {
  const measured = results.targets.filter((t) => t.status === 'measured');
  const mine = results.loads.filter((l) => l.dialect === dialect);
  const levels = [
    ...new Set(mine.filter((l) => l.scenario === 'nonstream').map((l) => l.load.connections)),
  ].sort((a, b) => a - b);
  const valuesOf = (target: string, scenario: string, pick: (l: LoadRow) => number): (number | null)[] =>
    levels.map((c) => {
      const row = mine.find(
        (l) => l.target === target && l.scenario === scenario && l.load.connections === c,
      );
      return row ? pick(row) : null;
    });
  const latency: Series[] = [];
  const throughput: Series[] = [];
  measured.forEach((t, i) => {
    const color = colors[i % colors.length];
    latency.push({
      label: `${t.label} p50`,
      values: valuesOf(t.id, 'nonstream', (l) => l.load.p50Ms),
      color,
    });
    latency.push({
      label: `${t.label} p99`,
      values: valuesOf(t.id, 'nonstream', (l) => l.load.p99Ms),
      color,
      dashed: true,
    });
    throughput.push({ label: t.label, values: valuesOf(t.id, 'nonstream', (l) => l.load.rps), color });
    if (mine.some((l) => l.target === t.id && l.scenario === 'cold')) {
      throughput.push({
        label: `${t.label}, cold`,
        values: valuesOf(t.id, 'cold', (l) => l.load.rps),
        color,
        dashed: true,
      });
    }
  });
  const categories = levels.map(String);
  return {
    [`latency-${dialect}.svg`]: lineChart({
      title: `Latency by concurrency (${dialectNames[dialect]}, non-streaming, zero-latency upstream)`,
      xLabel: 'concurrent connections',
      yLabel: 'ms',
      categories,
      series: latency,
      log: true,
    }),
    [`throughput-${dialect}.svg`]: lineChart({
      title: `Throughput by concurrency (${dialectNames[dialect]}, non-streaming)`,
      xLabel: 'concurrent connections',
      yLabel: 'requests per second',
      categories,
      series: throughput,
      log: true,
    }),
  };
}

export function renderPlots(results: BenchResults): Record<string, string> {
  const measured = results.targets.filter((t) => t.status === 'measured');
  const peak = (rows: LoadRow[]): number | null =>
    rows.length ? Math.max(...rows.map((l) => l.peakRssMiB)) : null;
  const memory = barChart({
    title: 'Resident memory of each gateway (process tree)',
    yLabel: 'MiB (VmRSS)',
    categories: measured.map((t) => t.label.replace(/ \d+\.\d+\.\d+$/, '')),
    series: [
      { label: 'idle', values: measured.map((t) => t.idleRssMiB ?? null) },
      {
        label: 'non-streaming load',
        values: measured.map((t) =>
          peak(results.loads.filter((l) => l.target === t.id && l.scenario === 'nonstream')),
        ),
      },
      {
        label: '256 streams',
        values: measured.map((t) =>
          peak(results.loads.filter((l) => l.target === t.id && l.scenario === 'realistic-stream')),
        ),
      },
    ],
    reference: { value: 150 / 1.048576, label: 'router target 150 MB' },
  });
  return {
    ...concurrencyPlots(results, 'anthropic'),
    ...concurrencyPlots(results, 'openai'),
    'memory.svg': memory,
  };
}
