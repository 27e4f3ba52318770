/**
 * bun run gen-chart [--check]
 * Renders chart-src/ into charts/split-brain and re-renders the golden manifests (charts/rendered/<env>.yaml)
 * with Helm. --check writes nothing and exits 1 when charts/split-brain differs from what chart-src/ yields.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { generateChart } from '../chart-src/generate.ts';
import { chartDir, writeGoldenManifests } from '../chart-src/helm.ts';
import { ENVIRONMENTS } from '../chart-src/model/overlays.ts';
import { readRelease } from '../chart-src/release.ts';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      // An operator's secrets overlay (git-ignored) is theirs: never reported as stale, never removed.
      .filter((path) => statSync(join(dir, path)).isFile() && !/\.secrets\.ya?ml$/.test(path))
      .sort()
  );
}

/** Differences between the generated files and charts/split-brain: paths changed, missing or stale. */
export function chartDrift(root: string): string[] {
  const expected = generateChart(readRelease(root));
  const dir = chartDir(root);
  const drift: string[] = [];
  for (const [path, content] of expected) {
    const file = join(dir, path);
    if (!existsSync(file)) drift.push(`missing: ${path}`);
    else if (readFileSync(file, 'utf8') !== content) drift.push(`changed: ${path}`);
  }
  for (const path of filesUnder(dir)) if (!expected.has(path)) drift.push(`stale: ${path}`);
  return drift;
}

export function writeChart(root: string): number {
  const files = generateChart(readRelease(root));
  const dir = chartDir(root);
  for (const path of filesUnder(dir)) if (!files.has(path)) rmSync(join(dir, path));
  for (const [path, content] of files) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writeFileSync(file, content);
  }
  return files.size;
}

if (import.meta.main) {
  const root = join(import.meta.dir, '..');
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const drift = chartDrift(root);
    if (drift.length > 0) {
      console.error(
        `charts/split-brain is out of date with chart-src/ (run: bun run gen-chart):\n  ${drift.join('\n  ')}`,
      );
      process.exit(1);
    }
    console.log('charts/split-brain is up to date');
  } else {
    const count = writeChart(root);
    mkdirSync(join(root, 'charts', 'rendered'), { recursive: true });
    writeGoldenManifests(root, ENVIRONMENTS);
    console.log(`wrote ${count} files under ${relative(root, chartDir(root))} and the golden manifests`);
  }
}
