/**
 * The operator CLI: `bun run sb <command>` (docs/operator-cli.md).
 *
 *   build [--remote <ssh-host>] [--registry <registry>] [--dry-run]   build and push the three images at appVersion
 *   deploy <env> [--secrets <file>] [--kubeconfig <file>]            helm upgrade --install, guarded by cluster
 *   template <env> [--secrets <file>]                                 what Helm would apply
 *   diff <env> [--secrets <file>] [--kubeconfig <file>]              the running release against the local chart
 *   release <version> [--app-version <v>] [--registry oci://...] [--plain-http]
 *                                                                     bump, regenerate, package, push the chart
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { chartDir, overlayFile, RELEASE, templateArgs, toolPath } from '../chart-src/helm.ts';
import { ENVIRONMENTS, type Environment } from '../chart-src/model/overlays.ts';
import { readRelease, writeRelease } from '../chart-src/release.ts';
import { writeChart } from './gen-chart.ts';
import { writeGoldenManifests } from '../chart-src/helm.ts';

class CliError extends Error {}

interface Flags {
  positional: string[];
  options: Map<string, string | true>;
}

function parseFlags(argv: string[]): Flags {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--'))
      options.set(arg.slice(2), argv[++i]!);
    else options.set(arg.slice(2), true);
  }
  return { positional, options };
}

function option(flags: Flags, name: string): string | undefined {
  const value = flags.options.get(name);
  if (value === true) throw new CliError(`--${name} needs a value`);
  return value;
}

function environment(flags: Flags): Environment {
  const env = flags.positional[1];
  if (!ENVIRONMENTS.includes(env as Environment)) {
    throw new CliError(`name an environment: ${ENVIRONMENTS.join(', ')} (got ${env ?? 'nothing'})`);
  }
  return env as Environment;
}

interface DeployTarget {
  kubeContext: string;
  namespace: string;
  release: string;
}

function deployTarget(root: string, env: Environment): DeployTarget {
  const overlay = parse(readFileSync(overlayFile(root, env), 'utf8')) as { deploy?: Partial<DeployTarget> };
  const base = parse(readFileSync(join(chartDir(root), 'values.yaml'), 'utf8')) as { deploy: DeployTarget };
  return { ...base.deploy, ...overlay.deploy };
}

/** The kubeconfig kubectl and Helm would use: --kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config. */
function kubeconfigPath(flags: Flags): string {
  return (
    option(flags, 'kubeconfig') ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config')
  );
}

/**
 * The cluster guard (seed 004's wrong-cluster incident): the overlay names the kube context it belongs to;
 * anything else as the current context is refused before any command runs.
 */
export function checkCluster(kubeconfig: string, target: DeployTarget, env: Environment): void {
  if (!target.kubeContext) {
    throw new CliError(`values-${env}.yaml names no cluster (deploy.kubeContext); refusing to guess`);
  }
  if (!existsSync(kubeconfig)) throw new CliError(`no kubeconfig at ${kubeconfig}`);
  const config = parse(readFileSync(kubeconfig, 'utf8')) as { 'current-context'?: string };
  const current = config['current-context'] ?? '(none)';
  if (current !== target.kubeContext) {
    throw new CliError(
      `refusing to deploy ${env}: the current kube context is "${current}" but values-${env}.yaml is for ` +
        `"${target.kubeContext}". Switch with: kubectl config use-context ${target.kubeContext}`,
    );
  }
}

function secretsFile(root: string, flags: Flags, env: Environment): string[] {
  const file = option(flags, 'secrets') ?? join(chartDir(root), `values-${env}.secrets.yaml`);
  if (existsSync(file)) return [resolve(file)];
  if (option(flags, 'secrets')) throw new CliError(`no secrets file at ${file}`);
  console.error(`note: no ${file}; rendering without secret values (bring-your-own Secrets mode needs none)`);
  return [];
}

function run(command: string[], options: { env?: Record<string, string>; capture?: boolean } = {}): string {
  const proc = Bun.spawnSync(command, {
    stdout: options.capture ? 'pipe' : 'inherit',
    stderr: 'inherit',
    env: { ...process.env, ...options.env },
  });
  if (proc.exitCode !== 0)
    throw new CliError(`${command[0]} ${command[1] ?? ''} failed (exit ${proc.exitCode})`);
  return options.capture ? (proc.stdout?.toString() ?? '') : '';
}

function template(root: string, flags: Flags): string {
  const env = environment(flags);
  const args = templateArgs(root, [overlayFile(root, env), ...secretsFile(root, flags, env)]);
  return run([toolPath(root, 'helm'), ...args], { capture: true });
}

function deploy(root: string, flags: Flags): void {
  const env = environment(flags);
  const target = deployTarget(root, env);
  const kubeconfig = kubeconfigPath(flags);
  checkCluster(kubeconfig, target, env);
  const values = [overlayFile(root, env), ...secretsFile(root, flags, env)];
  // --kube-context pins Helm to the context just checked, even if the current one changes meanwhile.
  run([
    toolPath(root, 'helm'),
    'upgrade',
    '--install',
    target.release,
    chartDir(root),
    '--namespace',
    target.namespace,
    '--create-namespace',
    '--kubeconfig',
    kubeconfig,
    '--kube-context',
    target.kubeContext,
    ...values.flatMap((f) => ['-f', f]),
    '--wait',
    '--timeout',
    option(flags, 'timeout') ?? '10m',
  ]);
  console.log(`${target.release} is rolled out on ${target.kubeContext} (${target.namespace})`);
}

function diff(root: string, flags: Flags): void {
  const env = environment(flags);
  const target = deployTarget(root, env);
  const kubeconfig = kubeconfigPath(flags);
  checkCluster(kubeconfig, target, env);
  const helm = toolPath(root, 'helm');
  const cluster = ['--kubeconfig', kubeconfig, '--kube-context', target.kubeContext, '-n', target.namespace];
  const live = run([helm, 'get', 'manifest', target.release, ...cluster], { capture: true });
  const local = template(root, flags);
  const dir = join(tmpdir(), `sb-diff-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'running.yaml'), live);
  writeFileSync(join(dir, 'local.yaml'), local);
  const proc = Bun.spawnSync(['diff', '-u', join(dir, 'running.yaml'), join(dir, 'local.yaml')], {
    stdout: 'inherit',
  });
  if (proc.exitCode === 0)
    console.log(`no changes: ${target.release} on ${target.kubeContext} matches the chart`);
}

function build(root: string, flags: Flags): void {
  const { appVersion } = readRelease(root);
  const values = parse(readFileSync(join(chartDir(root), 'values.yaml'), 'utf8')) as {
    global: { image: { registry: string } };
  };
  const registry = option(flags, 'registry') ?? values.global.image.registry;
  const remote = option(flags, 'remote');
  const env: Record<string, string> = remote ? { DOCKER_HOST: `ssh://${remote}` } : {};
  for (const app of ['router', 'classifier', 'ui']) {
    const tag = `${registry}/${app}:${appVersion}`;
    const commands = [
      ['docker', 'build', '--platform', 'linux/amd64', '-f', `apps/${app}/Dockerfile`, '-t', tag, '.'],
      ['docker', 'push', tag],
    ];
    for (const command of commands) {
      if (flags.options.has('dry-run'))
        console.log(`${remote ? `DOCKER_HOST=ssh://${remote} ` : ''}${command.join(' ')}`);
      else run(command, { env });
    }
  }
}

function release(root: string, flags: Flags): void {
  const version = flags.positional[1];
  if (!version) throw new CliError('name the version: sb release 1.4.0');
  const current = readRelease(root);
  const registry = option(flags, 'registry') ?? current.chartRegistry;
  writeRelease(root, { ...current, version, appVersion: option(flags, 'app-version') ?? version });
  writeChart(root);
  mkdirSync(join(root, 'charts', 'rendered'), { recursive: true });
  writeGoldenManifests(root, ENVIRONMENTS);
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  const helm = toolPath(root, 'helm');
  run([helm, 'package', chartDir(root), '--destination', dist], { capture: true });
  const archive = join(dist, `${RELEASE}-${version}.tgz`);
  const plain = flags.options.has('plain-http') ? ['--plain-http'] : [];
  run([helm, 'push', archive, registry, ...plain]);
  console.log(`released chart ${version} to ${registry}/${RELEASE}`);
}

export function main(argv: string[]): number {
  const flags = parseFlags(argv);
  const root = resolve(option(flags, 'root') ?? join(import.meta.dir, '..'));
  try {
    switch (flags.positional[0]) {
      case 'build':
        build(root, flags);
        break;
      case 'deploy':
        deploy(root, flags);
        break;
      case 'template':
        process.stdout.write(template(root, flags));
        break;
      case 'diff':
        diff(root, flags);
        break;
      case 'release':
        release(root, flags);
        break;
      default:
        console.error(
          readFileSync(import.meta.path, 'utf8')
            .split('*/')[0]!
            .replace('/**', '')
            .replaceAll(' * ', ''),
        );
        return 2;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`sb: ${error.message}`);
    return 1;
  }
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));
