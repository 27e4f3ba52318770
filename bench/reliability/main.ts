/** Runs the suite, prints its checks, writes a Markdown report, and exits non-zero when a check failed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatResults } from '../report/format.ts';
import { renderReliability, soakPlot } from './report.ts';
import { fullSuite, runSuite, shortSuite } from './suite.ts';

export async function reliabilityMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { short: { type: 'boolean', default: false } } });
  const report = await runSuite(values.short ? shortSuite : fullSuite);
  const root = resolve(import.meta.dir, '../..');
  const sha = Bun.spawnSync(['git', '-C', root, 'rev-parse', '--short', 'HEAD']).stdout.toString().trim();
  const dir = join(root, 'bench/results', values.short ? 'tmp' : 'latest');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'reliability.md');
  writeFileSync(path, renderReliability(report, { date: new Date().toISOString(), commit: sha }));
  if (report.soakRss.length > 1) writeFileSync(join(dir, 'reliability-soak-rss.svg'), soakPlot(report));
  formatResults(dir);
  const failed = report.checks.filter((c) => !c.passed);
  console.log(
    `[reliability] ${report.checks.length - failed.length} passed, ${failed.length} failed in ${report.durationS.toFixed(0)} s; report: ${path}`,
  );
  process.exit(failed.length === 0 ? 0 : 1);
}
