import { afterAll, describe, expect, test } from 'bun:test';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { placeholderSecretsFile, toolPath } from '../chart-src/helm.ts';
import { readRelease } from '../chart-src/release.ts';
import { freePort } from '../libs/http/src/index.ts';

const ROOT = join(import.meta.dir, '..');
const scratch = mkdtempSync(join(tmpdir(), 'sb-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs the CLI as an operator would, with Helm's state folders kept inside the test's scratch folder.
 * Asynchronous, so loopback servers in this process keep answering while it runs.
 */
async function sb(args: string[]) {
  const helmHome = join(scratch, 'helm-home');
  const proc = Bun.spawn(['bun', join(ROOT, 'scripts', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, stdout, stderr };
}

/** A kubeconfig whose every context points at a loopback server that counts the requests it gets. */
function fakeCluster(currentContext: string) {
  let requests = 0;
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch() {
      requests++;
      return new Response('not a Kubernetes API', { status: 500 });
    },
  });
  const file = join(scratch, `kubeconfig-${currentContext}`);
  const context = (name: string) => ({ name, context: { cluster: name, user: 'tester' } });
  const cluster = (name: string) => ({ name, cluster: { server: `http://127.0.0.1:${server.port}` } });
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': currentContext,
      contexts: [context('civo-split-brain-dev'), context('split-brain-prod')],
      clusters: [cluster('civo-split-brain-dev'), cluster('split-brain-prod')],
      users: [{ name: 'tester', user: { token: 'test' } }],
    }),
  );
  return { file, requests: () => requests, stop: () => server.stop(true) };
}

describe('sb deploy: the cluster guard', () => {
  test('refuses when the current context is not the one the overlay names, before anything runs', async () => {
    const cluster = fakeCluster('split-brain-prod');
    const result = await sb([
      'deploy',
      'dev',
      '--kubeconfig',
      cluster.file,
      '--secrets',
      placeholderSecretsFile(ROOT),
    ]);
    cluster.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to deploy dev: the current kube context is "split-brain-prod"');
    expect(result.stderr).toContain('"civo-split-brain-dev"');
    expect(cluster.requests()).toBe(0);
  });

  test('control: with the right context it goes on to Helm, which talks to the cluster', async () => {
    const cluster = fakeCluster('civo-split-brain-dev');
    const result = await sb([
      'deploy',
      'dev',
      '--kubeconfig',
      cluster.file,
      '--secrets',
      placeholderSecretsFile(ROOT),
      '--timeout',
      '5s',
    ]);
    cluster.stop();
    expect(result.stderr).not.toContain('refusing');
    expect(result.code).toBe(1); // the fake cluster is not a Kubernetes API
    expect(cluster.requests()).toBeGreaterThan(0);
  }, 60_000);

  test('refuses an unknown environment', async () => {
    const result = await sb(['deploy', 'qa']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('name an environment: dev, staging, prod');
  });
});

describe('sb template', () => {
  test('prints exactly what helm template prints for the overlay', async () => {
    const secrets = placeholderSecretsFile(ROOT);
    const viaCli = await sb(['template', 'staging', '--secrets', secrets]);
    const direct = Bun.spawnSync([
      toolPath(ROOT, 'helm'),
      'template',
      'split-brain',
      join(ROOT, 'charts', 'split-brain'),
      '--namespace',
      'split-brain',
      '--kube-version',
      '1.37.0',
      '-f',
      join(ROOT, 'charts', 'split-brain', 'values-staging.yaml'),
      '-f',
      secrets,
    ]);
    expect(direct.exitCode).toBe(0);
    expect(viaCli.code).toBe(0);
    expect(viaCli.stdout).toBe(direct.stdout.toString());
  });
});

describe('sb build', () => {
  test('--dry-run builds and pushes the three images at the chart appVersion, on the remote host if asked', async () => {
    const { appVersion } = readRelease(ROOT);
    const result = await sb([
      'build',
      '--dry-run',
      '--remote',
      'builder.example.com',
      '--registry',
      'reg.example/sb',
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBe(6);
    for (const app of ['router', 'classifier', 'ui']) {
      expect(lines).toContain(
        `DOCKER_HOST=ssh://builder.example.com docker build --platform linux/amd64 -f apps/${app}/Dockerfile ` +
          `-t reg.example/sb/${app}:${appVersion} .`,
      );
      expect(lines).toContain(
        `DOCKER_HOST=ssh://builder.example.com docker push reg.example/sb/${app}:${appVersion}`,
      );
    }
  });
});

describe('sb release', () => {
  test('bumps the one version source, regenerates, packages and pushes the chart to an OCI registry', async () => {
    const port = await freePort();
    const registryDir = join(scratch, 'registry');
    mkdirSync(registryDir, { recursive: true });
    const config = join(scratch, 'registry.yml');
    writeFileSync(
      config,
      stringify({
        version: 0.1,
        log: { level: 'error' },
        storage: { filesystem: { rootdirectory: registryDir } },
        http: { addr: `127.0.0.1:${port}` },
      }),
    );
    const registry = Bun.spawn([join(ROOT, '.tools', 'bin', 'registry'), 'serve', config], {
      stdout: 'ignore',
      stderr: 'ignore',
    });
    try {
      for (let i = 0; i < 50; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/v2/`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) break;
        await Bun.sleep(100);
      }
      // A copy of the version source: the release must not touch the repository's own.
      const root = join(scratch, 'repo');
      mkdirSync(join(root, 'chart-src'), { recursive: true });
      cpSync(join(ROOT, 'chart-src', 'release.json'), join(root, 'chart-src', 'release.json'));
      const result = await sb([
        'release',
        '7.1.0',
        '--root',
        root,
        '--registry',
        `oci://127.0.0.1:${port}/charts`,
        '--plain-http',
      ]);
      expect(result.stderr).not.toContain('sb:');
      expect(result.code).toBe(0);
      expect(readRelease(root)).toMatchObject({ version: '7.1.0', appVersion: '7.1.0' });
      expect(readFileSync(join(root, 'charts', 'split-brain', 'Chart.yaml'), 'utf8')).toContain(
        'version: "7.1.0"',
      );
      expect(readFileSync(join(root, 'charts', 'rendered', 'prod.yaml'), 'utf8')).toContain('/router:7.1.0');

      const tags = await fetch(`http://127.0.0.1:${port}/v2/charts/split-brain/tags/list`).then((r) =>
        r.json(),
      );
      expect(tags).toEqual({ name: 'charts/split-brain', tags: ['7.1.0'] });
      const pulled = join(scratch, 'pulled');
      const pull = Bun.spawnSync(
        [
          toolPath(ROOT, 'helm'),
          'show',
          'chart',
          `oci://127.0.0.1:${port}/charts/split-brain`,
          '--version',
          '7.1.0',
          '--plain-http',
        ],
        { env: { PATH: process.env.PATH, HOME: scratch, HELM_CACHE_HOME: pulled, HELM_CONFIG_HOME: pulled } },
      );
      expect(pull.stdout.toString()).toContain('appVersion: 7.1.0');
    } finally {
      registry.kill();
    }
  }, 120_000);
});
