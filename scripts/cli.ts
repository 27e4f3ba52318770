/**
 * The operator CLI: `bun run sb <command>` (docs/operator-cli.md).
 *
 *   build [<env>] [--remote <ssh-host>] [--registry <r>] [--dry-run]  build and push the three images at appVersion;
 *                                                                     refuses a tag the registry already has
 *   deploy <env> [--secrets <file>] [--kubeconfig <file>]            helm upgrade --install, guarded by cluster
 *   template <env> [--secrets <file>]                                 what Helm would apply
 *   diff <env> [--secrets <file>] [--kubeconfig <file>]              the running release against the local chart
 *                                                                     (Secret values masked, test hooks left out)
 *   release <version> [--app-version <v>] [--registry oci://...] [--plain-http]
 *                                                                     bump, regenerate, package, push the chart
 *
 * deploy, diff, template and build also take --values <file>: an overlay of your own instead of values-<env>.yaml.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { maskSecrets } from './diff-manifests.ts';
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

export interface DeployTarget {
  kubeContext: string;
  apiServer: string;
  kubeSystemUid: string;
  clusterCaSha256: string;
  namespace: string;
  release: string;
}

interface ValuesWithDeploy {
  deploy?: Partial<DeployTarget>;
  global?: { image?: { registry?: string } };
}

function readValues(file: string): ValuesWithDeploy {
  return (parse(readFileSync(file, 'utf8')) as ValuesWithDeploy | null) ?? {};
}

/**
 * The overlay of an environment: `--values <file>` (an overlay the operator keeps and edits by hand, checked
 * against values.schema.json by every render) or the chart's generated values-<env>.yaml.
 */
function overlayOf(root: string, flags: Flags, env: Environment): string {
  const file = option(flags, 'values');
  if (file === undefined) return overlayFile(root, env);
  if (!existsSync(file)) throw new CliError(`no values file at ${file}`);
  return resolve(file);
}

function deployTarget(root: string, overlay: string): DeployTarget {
  const base = readValues(join(chartDir(root), 'values.yaml')).deploy as DeployTarget;
  return { ...base, ...readValues(overlay).deploy };
}

/** The kubeconfig kubectl and Helm would use: --kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config. */
function kubeconfigPath(flags: Flags): string {
  return (
    option(flags, 'kubeconfig') ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config')
  );
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: { name: string; cluster?: { server?: string } }[];
}

/** The API server URL a kubeconfig context points at, without a trailing slash. */
function serverOf(config: Kubeconfig, context: string): string | undefined {
  const cluster = config.contexts?.find((c) => c.name === context)?.context?.cluster;
  return config.clusters?.find((c) => c.name === cluster)?.cluster?.server?.replace(/\/+$/, '');
}

/**
 * The wrong-cluster guard (the tunnel token defines the origin, not the cluster: docs/operator-cli.md).
 * The overlay names its kube context and pins the cluster's identity: its API server URL, checked here
 * against the kubeconfig before anything runs, and/or what the chart checks itself (so plain `helm upgrade`
 * and Argo CD are guarded too): the kube-system namespace uid, by `lookup` whenever Helm renders against a
 * cluster, and the root CA's fingerprint, by a pre-install/pre-upgrade hook Job.
 */
export function checkCluster(
  kubeconfig: string,
  target: DeployTarget,
  env: Environment,
  action: 'deploy' | 'diff',
  overlay: string,
): void {
  const source = basename(overlay);
  if (!target.kubeContext) {
    throw new CliError(`${source} names no cluster (deploy.kubeContext); refusing to guess`);
  }
  if (!target.apiServer && !target.kubeSystemUid && !target.clusterCaSha256) {
    throw new CliError(
      `${source} pins no cluster identity: set deploy.apiServer (the API server URL of ` +
        `${target.kubeContext}), deploy.kubeSystemUid or deploy.clusterCaSha256 (docs/operator-cli.md)`,
    );
  }
  if (!existsSync(kubeconfig)) throw new CliError(`no kubeconfig at ${kubeconfig}`);
  const config = (parse(readFileSync(kubeconfig, 'utf8')) as Kubeconfig | null) ?? {};
  const current = config['current-context'] ?? '(none)';
  if (current !== target.kubeContext) {
    throw new CliError(
      `refusing to ${action} ${env}: the current kube context is "${current}" but ${source} is ` +
        `for "${target.kubeContext}". Switch with: kubectl config use-context ${target.kubeContext}`,
    );
  }
  const server = serverOf(config, current);
  const pinned = target.apiServer.replace(/\/+$/, '');
  if (pinned && server !== pinned) {
    throw new CliError(
      `refusing to ${action} ${env}: kube context "${current}" points at ${server ?? 'no server'}, but ` +
        `${source} pins the cluster at ${pinned} (deploy.apiServer). A context of the right name ` +
        'for the wrong cluster is exactly the incident this guard exists for; fix the kubeconfig.',
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

/** What Helm renders for the overlay, as the overlay's release in the overlay's namespace. */
function template(root: string, flags: Flags): string {
  const env = environment(flags);
  const overlay = overlayOf(root, flags, env);
  const target = deployTarget(root, overlay);
  const values = [overlay, ...secretsFile(root, flags, env)];
  const args = templateArgs(root, values, [], target);
  return run([toolPath(root, 'helm'), ...args], { capture: true });
}

function deploy(root: string, flags: Flags): void {
  const env = environment(flags);
  const overlay = overlayOf(root, flags, env);
  const target = deployTarget(root, overlay);
  const kubeconfig = kubeconfigPath(flags);
  checkCluster(kubeconfig, target, env, 'deploy', overlay);
  const values = [overlay, ...secretsFile(root, flags, env)];
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

/** What the cluster runs for the release; empty (with a note) when it was never installed there. */
function runningManifest(helm: string, target: DeployTarget, cluster: string[]): string {
  const proc = Bun.spawnSync([helm, 'get', 'manifest', target.release, ...cluster], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const stderr = proc.stderr.toString();
  if (proc.exitCode === 0) return proc.stdout.toString();
  if (/release: not found/.test(stderr)) {
    console.error(`note: no release ${target.release} in ${target.namespace} yet; everything shows as new`);
    return '';
  }
  process.stderr.write(stderr);
  throw new CliError(`helm get manifest ${target.release} failed (exit ${proc.exitCode})`);
}

/**
 * The running release against the local chart. Both sides are rendered for the overlay's release and
 * namespace, Helm hooks (the `helm test` pod) are left out (`helm get manifest` never lists them), and Secret
 * values are masked on both sides: the diff says which keys changed, never what they hold. The two renders
 * live in a private temporary folder that is removed before the command returns.
 */
function diff(root: string, flags: Flags): void {
  const env = environment(flags);
  const target = deployTarget(root, overlayOf(root, flags, env));
  const kubeconfig = kubeconfigPath(flags);
  checkCluster(kubeconfig, target, env, 'diff', overlayOf(root, flags, env));
  const helm = toolPath(root, 'helm');
  const cluster = ['--kubeconfig', kubeconfig, '--kube-context', target.kubeContext, '-n', target.namespace];
  const live = runningManifest(helm, target, cluster);
  const local = template(root, flags);
  const masked = maskSecrets(live, local);
  const dir = mkdtempSync(join(tmpdir(), 'sb-diff-')); // mode 0700: only this user can read the renders
  try {
    const running = join(dir, `${target.release}.running.yaml`);
    const wanted = join(dir, `${target.release}.local.yaml`);
    writeFileSync(running, masked.running, { mode: 0o600 });
    writeFileSync(wanted, masked.local, { mode: 0o600 });
    const proc = Bun.spawnSync(['diff', '-u', running, wanted], { stdout: 'inherit' });
    if (proc.exitCode === 0)
      console.log(`no changes: ${target.release} on ${target.kubeContext} matches the chart`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds and pushes the three images at the chart's appVersion, to the registry the overlay names
 * (`sb build <env>`; else --registry, else values.yaml). A tag is never overwritten: images are referenced
 * by tag, so pushing a different image under a tag that is already deployed would change running pods on
 * their next restart. If the registry has any of the tags, nothing is built; bump appVersion instead.
 */
function build(root: string, flags: Flags): void {
  const { appVersion } = readRelease(root);
  const env = flags.positional[1];
  if (env !== undefined && !ENVIRONMENTS.includes(env as Environment)) {
    throw new CliError(`name an environment: ${ENVIRONMENTS.join(', ')} (got ${env})`);
  }
  const fromValues = (file: string) => readValues(file).global?.image?.registry;
  const registry =
    option(flags, 'registry') ??
    (env ? fromValues(overlayOf(root, flags, env as Environment)) : undefined) ??
    fromValues(join(chartDir(root), 'values.yaml'));
  if (!registry) throw new CliError('no registry: set global.image.registry or pass --registry');
  const remote = option(flags, 'remote');
  const dockerEnv: Record<string, string> = remote ? { DOCKER_HOST: `ssh://${remote}` } : {};
  const dryRun = flags.options.has('dry-run');
  const show = (command: string[]) =>
    console.log(`${remote ? `DOCKER_HOST=ssh://${remote} ` : ''}${command.join(' ')}`);
  const tags = ['router', 'classifier', 'ui'].map((app) => ({
    app,
    tag: `${registry}/${app}:${appVersion}`,
  }));
  const existing: string[] = [];
  for (const { tag } of tags) {
    const inspect = ['docker', 'manifest', 'inspect', tag];
    if (dryRun) {
      show(inspect);
      continue;
    }
    const proc = Bun.spawnSync(inspect, {
      stdout: 'ignore',
      stderr: 'pipe',
      env: { ...process.env, ...dockerEnv },
    });
    if (proc.exitCode === 0) existing.push(tag);
    else if (!/no such manifest|manifest unknown|not found/i.test(proc.stderr.toString())) {
      throw new CliError(
        `cannot tell whether ${tag} exists (docker manifest inspect: ${proc.stderr.toString().trim()}); ` +
          'log in to the registry (docker login) and try again',
      );
    }
  }
  if (existing.length > 0) {
    throw new CliError(
      `refusing to overwrite ${existing.join(', ')}: the registry already has ${existing.length === 1 ? 'this tag' : 'these tags'}. ` +
        'Tags are never reused; bump the appVersion (bun run sb release <version>) and build again',
    );
  }
  for (const { app, tag } of tags) {
    const commands = [
      ['docker', 'build', '--platform', 'linux/amd64', '-f', `apps/${app}/Dockerfile`, '-t', tag, '.'],
      ['docker', 'push', tag],
    ];
    for (const command of commands) {
      if (dryRun) show(command);
      else run(command, { env: dockerEnv });
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
