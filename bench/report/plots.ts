/** The report's three plots: latency by concurrency, throughput by concurrency, memory by target. */
import type { BenchResults } from '../lib/results.ts';
import { barChart, lineChart, type Series } from './svg.ts';

export function renderPlots(results: BenchResults): Record<string, string> {
  const measured = results.targets.filter((t) => t.status === 'measured');
  const levels = [
    ...new Set(results.loads.filter((l) => l.scenario === 'nonstream').map((l) => l.load.connections)),
  ].sort((a, b) => a - b);
  const categories = levels.map(String);
  const valuesOf = (target: string, scenario: string, pick: (l: BenchResults['loads'][number]) => number) =>
    levels.map((c) => {
      const row = results.loads.find(
        (l) => l.target === target && l.scenario === scenario && l.load.connections === c,
      );
      return row ? pick(row) : null;
    });
  const latency: Series[] = [];
  const throughput: Series[] = [];
  measured.forEach((t, i) => {
    const color = ['#5c6770', '#1b6ac9', '#d1495b', '#2e933c', '#8f5bd6'][i % 5];
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
    if (t.id === 'split-brain') {
      throughput.push({
        label: 'split-brain, cold',
        values: valuesOf(t.id, 'cold', (l) => l.load.rps),
        color,
        dashed: true,
      });
    }
  });
  const memory = barChart({
    title: 'Peak resident memory of each gateway',
    yLabel: 'MiB (VmRSS, process tree)',
    categories: measured.map((t) => t.label.replace(/ \d+\.\d+\.\d+$/, '')),
    series: [
      { label: 'idle', values: measured.map((t) => t.idleRssMiB ?? null) },
      {
        label: 'non-streaming load',
        values: measured.map((t) => {
          const rows = results.loads.filter((l) => l.target === t.id && l.scenario === 'nonstream');
          return rows.length ? Math.max(...rows.map((l) => l.peakRssMiB)) : null;
        }),
      },
      {
        label: '256 streams',
        values: measured.map(
          (t) =>
            results.loads.find((l) => l.target === t.id && l.scenario === 'realistic-stream')?.peakRssMiB ??
            null,
        ),
      },
    ],
    reference: { value: 150 / 1.048576, label: 'router target 150 MB' },
  });
  return {
    'latency.svg': lineChart({
      title: 'Latency by concurrency (non-streaming, zero-latency upstream)',
      xLabel: 'concurrent connections',
      yLabel: 'ms',
      categories,
      series: latency,
      log: true,
    }),
    'throughput.svg': lineChart({
      title: 'Throughput by concurrency (non-streaming, zero-latency upstream)',
      xLabel: 'concurrent connections',
      yLabel: 'requests per second',
      categories,
      series: throughput,
      log: true,
    }),
    'memory.svg': memory,
  };
}
