/** Writes a run's report, raw results and plots to bench/results/<date>-<sha>/ and bench/results/latest/. */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from '../lib/results.ts';
import { renderMarkdown } from './markdown.ts';
import { formatResults } from './format.ts';
import { renderPlots } from './plots.ts';

export async function writeReport(root: string, results: BenchResults, outDir?: string): Promise<string> {
  const name = `${results.machine.date.slice(0, 10)}-${results.machine.commit}${results.quick ? '-quick' : ''}`;
  const dir = outDir ?? join(root, 'bench/results', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.md'), renderMarkdown(results));
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  for (const [file, svg] of Object.entries(renderPlots(results))) writeFileSync(join(dir, file), svg);
  formatResults(dir);
  if (!outDir && !results.quick) {
    const latest = join(root, 'bench/results/latest');
    rmSync(latest, { recursive: true, force: true });
    cpSync(dir, latest, { recursive: true });
  }
  return dir;
}
