import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Environment, placeholderSecrets } from './model/overlays.ts';

/**
 * How the project runs Helm: one place for the chart path, the release name and namespace used for
 * rendering, the Kubernetes version passed with --kube-version, and the project-local binaries.
 */

export const RELEASE = 'split-brain';
export const NAMESPACE = 'split-brain';
/** Rendering is pinned to one Kubernetes version so the golden manifests do not move with the Helm build. */
export const RENDER_KUBE_VERSION = '1.37.0';

export function chartDir(root: string): string {
  return join(root, 'charts', 'split-brain');
}

export function overlayFile(root: string, env: Environment): string {
  return join(chartDir(root), `values-${env}.yaml`);
}

export function goldenFile(root: string, env: Environment): string {
  return join(root, 'charts', 'rendered', `${env}.yaml`);
}

/** The placeholder secrets values file the golden renders use (committed: it holds no real secret). */
export function placeholderSecretsFile(root: string): string {
  return join(root, 'charts', 'rendered', 'placeholder-secrets.values.yaml');
}

export function placeholderSecretsYaml(): string {
  return `# Placeholder secret values for rendering the golden manifests; never real secrets.\n${stringify(placeholderSecrets)}`;
}

export function toolPath(root: string, tool: 'helm' | 'kubeconform'): string {
  const local = join(root, '.tools', 'bin', tool);
  return existsSync(local) ? local : tool;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runHelm(root: string, args: string[], input?: string): HelmResult {
  const proc = Bun.spawnSync([toolPath(root, 'helm'), ...args], {
    cwd: root,
    stdin: input === undefined ? 'ignore' : new TextEncoder().encode(input),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  return { code: proc.exitCode ?? 1, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

/** `helm template` arguments for an overlay plus extra values files (release and namespace default to ours). */
export function templateArgs(
  root: string,
  valueFiles: string[],
  extra: string[] = [],
  target: { release: string; namespace: string } = { release: RELEASE, namespace: NAMESPACE },
): string[] {
  return [
    'template',
    target.release,
    chartDir(root),
    '--namespace',
    target.namespace,
    '--kube-version',
    RENDER_KUBE_VERSION,
    ...valueFiles.flatMap((file) => ['-f', file]),
    ...extra,
  ];
}

/** Renders every overlay with the placeholder secrets into charts/rendered/<env>.yaml. */
export function writeGoldenManifests(root: string, environments: readonly Environment[]): void {
  writeFileSync(placeholderSecretsFile(root), placeholderSecretsYaml());
  for (const env of environments) {
    const result = runHelm(root, templateArgs(root, [overlayFile(root, env), placeholderSecretsFile(root)]));
    if (result.code !== 0) throw new Error(`helm template (${env}) failed:\n${result.stderr}`);
    writeFileSync(goldenFile(root, env), result.stdout);
  }
}
