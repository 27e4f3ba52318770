/** The reliability suite's report: the checks, fault outcomes, fuzzer families and the soak's memory. */
import { lineChart } from '../report/svg.ts';
import type { SuiteReport } from './suite.ts';

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const statuses = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${status} ×${n}`)
    .join(', ');

export function renderReliability(report: SuiteReport, meta: { date: string; commit: string }): string {
  const out: string[] = [];
  out.push(
    `# split-brain reliability suite, ${meta.date.slice(0, 10)} (commit ${meta.commit}), ${report.form} form`,
  );
  out.push('');
  out.push(
    `Ran ${report.durationS.toFixed(0)} s against real processes on loopback (simulator, classifier, router).`,
  );
  out.push('');
  out.push('## Checks');
  out.push('');
  out.push(
    table(
      ['check', 'result', 'detail'],
      report.checks.map((c) => [c.name, c.passed ? 'pass' : '**FAIL**', c.detail]),
    ),
  );
  out.push('');
  out.push('## What clients got under each fault');
  out.push('');
  out.push(
    'Status codes seen by clients (mixed dialects, half streamed; a stream whose upstream failed after it ' +
      'started is still a 200 whose stream ends with an error event).',
  );
  out.push('');
  out.push(
    table(
      ['fault', 'answers'],
      Object.entries(report.faultOutcomes).map(([f, c]) => [f, statuses(c)]),
    ),
  );
  out.push('');
  out.push('## Routes taken (from the audit log)');
  out.push('');
  out.push(
    table(
      ['route (reason)', 'requests'],
      Object.entries(report.routes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => [k, String(n)]),
    ),
  );
  out.push('');
  out.push('## Fuzzer');
  out.push('');
  out.push(
    table(
      ['family', 'sent', 'wrong', 'statuses'],
      Object.entries(report.fuzzFamilies)
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([family, f]) => [family, String(f.sent), String(f.failed), statuses(f.statuses)]),
    ),
  );
  out.push('');
  if (report.soakRss.length > 1) {
    out.push('## Soak: router memory');
    out.push('');
    out.push('![router RSS during the soak](reliability-soak-rss.svg)');
    out.push('');
    const first = report.soakRss[0]!;
    const last = report.soakRss[report.soakRss.length - 1]!;
    const peak = Math.max(...report.soakRss.map((s) => s.rssMiB));
    out.push(
      `RSS ${first.rssMiB.toFixed(0)} MiB at ${first.atS.toFixed(0)} s, ${last.rssMiB.toFixed(0)} MiB at ` +
        `${last.atS.toFixed(0)} s, peak ${peak.toFixed(0)} MiB.`,
    );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function soakPlot(report: SuiteReport): string {
  const step = Math.max(1, Math.floor(report.soakRss.length / 24));
  const samples = report.soakRss.filter((_, i) => i % step === 0);
  return lineChart({
    title: 'Router RSS during the soak',
    xLabel: 'seconds into the soak',
    yLabel: 'MiB',
    categories: samples.map((s) => s.atS.toFixed(0)),
    series: [{ label: 'router RSS', values: samples.map((s) => s.rssMiB) }],
  });
}
