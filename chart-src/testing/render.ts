import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { overlayFile, placeholderSecretsFile, runHelm, templateArgs, toolPath } from '../helm.ts';
import type { Environment } from '../model/overlays.ts';

/** Test support: render the generated chart with Helm and read the manifests back as objects. */

export const ROOT = join(import.meta.dir, '..', '..');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are walked generically in tests
  [key: string]: any;
}

export interface Rendered {
  code: number;
  stdout: string;
  stderr: string;
  objects: K8sObject[];
}

const scratch = mkdtempSync(join(tmpdir(), 'sb-chart-test-'));
let counter = 0;

/** Writes generated chart files (paths relative to the chart) into a fresh folder; returns the chart's path. */
export function writeChartFiles(files: Map<string, string>): string {
  const dir = join(scratch, `chart-${counter++}`, 'split-brain');
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Writes a values object to a temporary file and returns its path. */
export function valuesFile(values: object): string {
  const file = join(scratch, `values-${counter++}.yaml`);
  writeFileSync(file, stringify(values));
  return file;
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/**
 * `helm template` of an overlay (with placeholder secrets unless `secrets: false`), plus extra values
 * objects applied last.
 */
export function render(
  env: Environment,
  overrides: object[] = [],
  options: { secrets?: boolean; kubeVersion?: string; set?: string[]; chart?: string } = {},
): Rendered {
  const files = [overlayFile(ROOT, env)];
  if (options.secrets !== false) files.push(placeholderSecretsFile(ROOT));
  files.push(...overrides.map(valuesFile));
  const args = templateArgs(
    ROOT,
    files,
    (options.set ?? []).flatMap((s) => ['--set', s]),
  );
  if (options.chart) args.splice(2, 1, options.chart);
  if (options.kubeVersion) args.splice(args.indexOf('--kube-version') + 1, 1, options.kubeVersion);
  const result = runHelm(ROOT, args);
  return { ...result, objects: result.code === 0 ? parseManifests(result.stdout) : [] };
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return found;
}

/** Kubernetes versions the offline schemas were installed for (scripts/tools/install-k8s-schemas.sh). */
export function schemaVersions(): string[] {
  return readdirSync(join(ROOT, '.tools', 'k8s-schemas'))
    .filter((d) => d.endsWith('-standalone-strict'))
    .map((d) => d.replace(/^v/, '').replace(/-standalone-strict$/, ''))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

export function kubeconform(manifests: string, kubeVersion: string): { code: number; output: string } {
  const proc = Bun.spawnSync(
    [
      toolPath(ROOT, 'kubeconform'),
      '-strict',
      '-summary',
      '-kubernetes-version',
      kubeVersion,
      '-schema-location',
      join(ROOT, '.tools', 'k8s-schemas'),
      '-',
    ],
    { stdin: new TextEncoder().encode(manifests), stdout: 'pipe', stderr: 'pipe' },
  );
  return { code: proc.exitCode ?? 1, output: proc.stdout.toString() + proc.stderr.toString() };
}
