/**
 * Reports are committed, and the repository's formatter (Biome) also formats Markdown and checks SVG:
 * run it over a results folder once written, so `bun run lint` stays green after a benchmark.
 */
import { resolve } from 'node:path';

export function formatResults(dir: string): void {
  const root = resolve(import.meta.dir, '../..');
  const result = Bun.spawnSync(['bunx', 'biome', 'format', '--write', dir], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  if (result.exitCode !== 0)
    console.warn(`[bench] biome could not format ${dir}: ${result.stderr.toString().slice(0, 300)}`);
}
