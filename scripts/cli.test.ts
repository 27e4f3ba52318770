import { afterAll, describe, expect, test } from 'bun:test';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
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
async function sb(args: string[], env: Record<string, string> = {}) {
  const helmHome = join(scratch, 'helm-home');
  const proc = Bun.spawn(['bun', join(ROOT, 'scripts', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_DATA_HOME: join(helmHome, 'data'),
      ...env,
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

interface Release {
  name: string;
  namespace: string;
  manifest: string;
}

/**
 * A loopback stand-in for a Kubernetes API server, with a kubeconfig whose every context points at it. It
 * answers what Helm asks before it touches anything (version, discovery, its release records, the
 * kube-system namespace) and records every request, so a test can prove nothing was written; anything
 * else gets a 404, so an install that gets past the guards fails there.
 */
function fakeCluster(currentContext: string, options: { kubeSystemUid?: string; release?: Release } = {}) {
  const requests: { method: string; path: string }[] = [];
  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      const url = new URL(request.url);
      requests.push({ method: request.method, path: url.pathname + url.search });
      if (url.pathname === '/version') return json({ major: '1', minor: '31', gitVersion: 'v1.31.0' });
      if (url.pathname === '/api') return json({ kind: 'APIVersions', versions: ['v1'] });
      if (url.pathname === '/apis') return json({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
      if (url.pathname === '/api/v1')
        return json({
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [
            {
              name: 'namespaces',
              singularName: 'namespace',
              namespaced: false,
              kind: 'Namespace',
              verbs: ['get'],
            },
            {
              name: 'secrets',
              singularName: 'secret',
              namespaced: true,
              kind: 'Secret',
              verbs: ['get', 'list'],
            },
          ],
        });
      if (url.pathname === '/api/v1/namespaces/kube-system' && options.kubeSystemUid)
        return json({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'kube-system', uid: options.kubeSystemUid },
        });
      const release = options.release;
      if (request.method === 'GET' && url.pathname.endsWith('/secrets')) {
        const wanted = `/api/v1/namespaces/${release?.namespace}/secrets`;
        const selector = url.searchParams.get('labelSelector') ?? '';
        const items =
          release && url.pathname === wanted && selector.includes(`name=${release.name}`)
            ? [helmReleaseSecret(release)]
            : [];
        return json({ apiVersion: 'v1', kind: 'SecretList', metadata: {}, items });
      }
      return json(
        { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
        404,
      );
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  const file = join(scratch, `kubeconfig-${currentContext}-${server.port}`);
  const context = (name: string) => ({ name, context: { cluster: name, user: 'tester' } });
  const cluster = (name: string) => ({ name, cluster: { server: url } });
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
  return {
    file,
    url,
    requests: () => requests.length,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    paths: () => requests.map((r) => r.path),
    stop: () => server.stop(true),
  };
}

/** How Helm 3 stores a release: a Secret whose `release` key is base64(gzip(JSON)), base64-encoded again by the API. */
function helmReleaseSecret(release: Release) {
  const record = { ...release, version: 1, info: { status: 'deployed' } };
  const encoded = Buffer.from(Bun.gzipSync(JSON.stringify(record))).toString('base64');
  return {
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v1`,
      namespace: release.namespace,
      labels: { name: release.name, owner: 'helm', status: 'deployed', version: '1' },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(encoded).toString('base64') },
  };
}

/**
 * A copy of the chart whose dev overlay's `deploy` section is changed (e.g. pinned to a fake cluster), used
 * through `sb --root`. The repository's own overlays stay untouched.
 */
function chartWithDeploy(deploy: Record<string, string>): string {
  const root = mkdtempSync(join(scratch, 'root-'));
  cpSync(join(ROOT, 'charts', 'split-brain'), join(root, 'charts', 'split-brain'), { recursive: true });
  symlinkSync(join(ROOT, '.tools'), join(root, '.tools'));
  const overlay = join(root, 'charts', 'split-brain', 'values-dev.yaml');
  const values = parse(readFileSync(overlay, 'utf8'));
  values.deploy = { ...values.deploy, ...deploy };
  writeFileSync(overlay, stringify(values));
  return root;
}

const secrets = () => ['--secrets', placeholderSecretsFile(ROOT)];

describe('sb deploy: the wrong-cluster guard', () => {
  test('refuses when the current context is not the one the overlay names, before anything runs', async () => {
    const cluster = fakeCluster('split-brain-prod');
    const result = await sb(['deploy', 'dev', '--kubeconfig', cluster.file, ...secrets()]);
    cluster.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to deploy dev: the current kube context is "split-brain-prod"');
    expect(result.stderr).toContain('"civo-split-brain-dev"');
    expect(cluster.requests()).toBe(0);
  });

  test('refuses a context of the right name that points at another API server, before anything runs', async () => {
    const cluster = fakeCluster('civo-split-brain-dev');
    const result = await sb(['deploy', 'dev', '--kubeconfig', cluster.file, ...secrets()]);
    cluster.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `kube context "civo-split-brain-dev" points at ${cluster.url}, but values-dev.yaml pins the cluster at ` +
        'https://dev.k8s.example.com:6443 (deploy.apiServer)',
    );
    expect(cluster.requests()).toBe(0);
  });

  test('refuses an overlay that pins no cluster identity', async () => {
    const cluster = fakeCluster('civo-split-brain-dev');
    const root = chartWithDeploy({ apiServer: '', kubeSystemUid: '', clusterCaSha256: '' });
    const result = await sb(['deploy', 'dev', '--root', root, '--kubeconfig', cluster.file, ...secrets()]);
    cluster.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('values-dev.yaml pins no cluster identity: set deploy.apiServer');
    expect(cluster.requests()).toBe(0);
  });

  test('control: with the right context and server it goes on to Helm, which talks to the cluster', async () => {
    const cluster = fakeCluster('civo-split-brain-dev');
    const root = chartWithDeploy({ apiServer: cluster.url });
    const result = await sb([
      'deploy',
      'dev',
      '--root',
      root,
      '--kubeconfig',
      cluster.file,
      ...secrets(),
      '--timeout',
      '5s',
    ]);
    cluster.stop();
    expect(result.stderr).not.toContain('refusing');
    expect(result.code).toBe(1); // the fake cluster cannot take the release
    expect(cluster.requests()).toBeGreaterThan(0);
  }, 60_000);

  test('refuses an unknown environment', async () => {
    const result = await sb(['deploy', 'qa']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('name an environment: dev, staging, prod');
  });
});

describe("the chart's own guard: plain helm upgrade on the wrong cluster", () => {
  const helmUpgrade = (kubeconfig: string, uid: string) =>
    Bun.spawn(
      [
        toolPath(ROOT, 'helm'),
        'upgrade',
        '--install',
        'split-brain',
        join(ROOT, 'charts', 'split-brain'),
        '-n',
        'split-brain',
        '--kubeconfig',
        kubeconfig,
        '-f',
        join(ROOT, 'charts', 'split-brain', 'values-prod.yaml'),
        '-f',
        placeholderSecretsFile(ROOT),
        '--set',
        `deploy.kubeSystemUid=${uid}`,
        '--timeout',
        '5s',
      ],
      { env: { PATH: process.env.PATH, HOME: scratch }, stdout: 'pipe', stderr: 'pipe' },
    );

  test('fails before writing anything when the kube-system uid is not the pinned one', async () => {
    const cluster = fakeCluster('split-brain-prod', { kubeSystemUid: 'uid-of-the-staging-cluster' });
    const proc = helmUpgrade(cluster.file, 'uid-of-the-prod-cluster');
    const stderr = await new Response(proc.stderr).text();
    await proc.exited;
    cluster.stop();
    expect(proc.exitCode).not.toBe(0);
    expect(stderr).toContain(
      'wrong cluster: these values pin deploy.kubeSystemUid uid-of-the-prod-cluster (the cluster of kube ' +
        'context "split-brain-prod"), but this cluster\'s kube-system namespace has uid uid-of-the-staging-cluster',
    );
    expect(cluster.paths()).toContain('/api/v1/namespaces/kube-system');
    expect(cluster.writes()).toEqual([]);
  }, 60_000);

  test('control: on the pinned cluster the render goes through (Helm then fails on the fake API)', async () => {
    const cluster = fakeCluster('split-brain-prod', { kubeSystemUid: 'uid-of-the-prod-cluster' });
    const proc = helmUpgrade(cluster.file, 'uid-of-the-prod-cluster');
    const stderr = await new Response(proc.stderr).text();
    await proc.exited;
    cluster.stop();
    expect(cluster.paths()).toContain('/api/v1/namespaces/kube-system');
    expect(stderr).not.toContain('wrong cluster');
    expect(stderr).not.toContain('execution error');
  }, 60_000);

  test('control: an offline render (helm template) skips the check', () => {
    const proc = Bun.spawnSync([
      toolPath(ROOT, 'helm'),
      'template',
      'split-brain',
      join(ROOT, 'charts', 'split-brain'),
      '--kube-version',
      '1.37.0',
      '-f',
      join(ROOT, 'charts', 'split-brain', 'values-prod.yaml'),
      '-f',
      placeholderSecretsFile(ROOT),
      '--set',
      'deploy.kubeSystemUid=uid-of-the-prod-cluster',
    ]);
    expect(proc.stderr.toString()).toBe('');
    expect(proc.exitCode).toBe(0);
  });
});

describe('sb diff', () => {
  test("masks Secret values, leaves out the test hooks, uses the overlay's release and namespace, and leaves no files behind", async () => {
    const release = { name: 'sb-dev', namespace: 'sb-ns' };
    const oldKey = 'sk-ant-OLD-secret-value-0001';
    const newKey = 'sk-ant-NEW-secret-value-0002';
    const secretsWith = (apiKey: string) => {
      const file = join(scratch, `secrets-${apiKey}.yaml`);
      const values = parse(readFileSync(placeholderSecretsFile(ROOT), 'utf8'));
      values.global.secrets.anthropic.apiKey = apiKey;
      writeFileSync(file, stringify(values));
      return file;
    };
    // What runs: the dev chart as Helm installed it (its manifest never holds hooks) with the old key.
    const running = Bun.spawnSync([
      toolPath(ROOT, 'helm'),
      'template',
      release.name,
      join(ROOT, 'charts', 'split-brain'),
      '--namespace',
      release.namespace,
      '--kube-version',
      '1.37.0',
      '--skip-tests',
      '-f',
      join(ROOT, 'charts', 'split-brain', 'values-dev.yaml'),
      '-f',
      secretsWith(oldKey),
    ]);
    expect(running.exitCode).toBe(0);
    const cluster = fakeCluster('civo-split-brain-dev', {
      release: { ...release, manifest: running.stdout.toString() },
    });
    const root = chartWithDeploy({
      apiServer: cluster.url,
      release: release.name,
      namespace: release.namespace,
    });
    const tmp = mkdtempSync(join(scratch, 'tmpdir-'));
    const result = await sb(
      ['diff', 'dev', '--root', root, '--kubeconfig', cluster.file, '--secrets', secretsWith(newKey)],
      { TMPDIR: tmp },
    );
    cluster.stop();
    expect(result.stderr).not.toContain('sb:');
    expect(result.code).toBe(0);
    expect(cluster.paths()).toContain(
      `/api/v1/namespaces/sb-ns/secrets?labelSelector=name%3Dsb-dev%2Cowner%3Dhelm`,
    );
    // Only the rotated key (and the checksum that rolls the router) differ; the values never show.
    const changed = result.stdout.split('\n').filter((l) => /^[-+] /.test(l));
    expect(changed).toContain('-  ANTHROPIC_API_KEY: (secret value, old)');
    expect(changed).toContain('+  ANTHROPIC_API_KEY: (secret value, new)');
    const others = changed.filter((l) => !l.includes('ANTHROPIC_API_KEY'));
    expect(others.map((l) => l.replace(/\s+/g, ' ').split(':')[0])).toEqual([
      '- checksum/secrets',
      '+ checksum/secrets',
    ]);
    for (const secret of [oldKey, newKey, 'placeholder-tunnel-token', 'placeholder-session-secret'])
      expect(result.stdout).not.toContain(secret);
    expect(result.stdout).not.toContain('test-readiness');
    expect(result.stdout).toContain('sb-dev-router');
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);
});

describe('sb diff before the first install', () => {
  test('shows everything as new, with a note, instead of failing', async () => {
    const cluster = fakeCluster('civo-split-brain-dev');
    const root = chartWithDeploy({ apiServer: cluster.url });
    const result = await sb(['diff', 'dev', '--root', root, '--kubeconfig', cluster.file, ...secrets()]);
    cluster.stop();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'note: no release split-brain in split-brain yet; everything shows as new',
    );
    expect(result.stdout).toContain('+kind: Deployment');
    expect(result.stdout).toContain('+  TUNNEL_TOKEN: (secret value)');
    expect(result.stdout).not.toContain('placeholder-tunnel-token');
  }, 60_000);
});

describe('an overlay the operator owns (--values)', () => {
  const ownOverlay = (edit: (values: Record<string, Record<string, unknown>>) => void) => {
    const values = parse(readFileSync(join(ROOT, 'charts', 'split-brain', 'values-prod.yaml'), 'utf8'));
    edit(values);
    const file = join(mkdtempSync(join(scratch, 'own-')), 'values-prod-eu.yaml');
    writeFileSync(file, stringify(values));
    return file;
  };

  test('is rendered as its own release and namespace, one hand edit changing one object', async () => {
    const file = ownOverlay((v) => {
      v.deploy = { ...v.deploy, release: 'sb-eu', namespace: 'sb-eu' };
      v.classifier = { podDisruptionBudget: { minAvailable: 1 }, replicaCount: 3 };
    });
    const result = await sb(['template', 'prod', '--values', file, ...secrets()]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('name: sb-eu-router');
    expect(result.stdout).toContain('namespace: sb-eu');
  });

  test('a misspelt key in it is refused with the path at fault', async () => {
    const file = ownOverlay((v) => {
      v.classifier = { podDisruptionBudget: { minAvailible: 1 } };
    });
    const result = await sb(['template', 'prod', '--values', file, ...secrets()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "at '/classifier/podDisruptionBudget': additional properties 'minAvailible'",
    );
  });

  test('the wrong-cluster guard reads it and names it', async () => {
    const cluster = fakeCluster('split-brain-prod');
    const file = ownOverlay((v) => {
      v.deploy = { ...v.deploy, kubeContext: 'eu-prod' };
    });
    const result = await sb(['deploy', 'prod', '--values', file, '--kubeconfig', cluster.file, ...secrets()]);
    cluster.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('but values-prod-eu.yaml is for "eu-prod"');
    expect(cluster.requests()).toBe(0);
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
  test('--dry-run checks the tags, then builds and pushes the three images at appVersion, on the remote host if asked', async () => {
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
    expect(lines.length).toBe(9);
    const remote = 'DOCKER_HOST=ssh://builder.example.com';
    for (const app of ['router', 'classifier', 'ui']) {
      const tag = `reg.example/sb/${app}:${appVersion}`;
      expect(lines.indexOf(`${remote} docker manifest inspect ${tag}`)).toBeLessThan(3);
      expect(lines).toContain(
        `${remote} docker build --platform linux/amd64 -f apps/${app}/Dockerfile -t ${tag} .`,
      );
      expect(lines).toContain(`${remote} docker push ${tag}`);
    }
  });

  test('the registry comes from the overlay named', async () => {
    const root = chartWithDeploy({});
    const overlay = join(root, 'charts', 'split-brain', 'values-dev.yaml');
    const values = parse(readFileSync(overlay, 'utf8'));
    values.global.image = { registry: 'registry.dev.example.com/sb' };
    writeFileSync(overlay, stringify(values));
    mkdirSync(join(root, 'chart-src'), { recursive: true });
    cpSync(join(ROOT, 'chart-src', 'release.json'), join(root, 'chart-src', 'release.json'));
    const result = await sb(['build', 'dev', '--dry-run', '--root', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `docker push registry.dev.example.com/sb/router:${readRelease(ROOT).appVersion}`,
    );
  });

  test('refuses to build when it cannot ask the registry (not logged in)', async () => {
    const bin = mkdtempSync(join(scratch, 'bin-'));
    writeFileSync(
      join(bin, 'docker'),
      '#!/bin/sh\nif [ "$1" = manifest ]; then echo "unauthorized: authentication required" >&2; exit 1; fi\n' +
        `echo "$*" >> ${join(bin, 'calls.log')}\n`,
      { mode: 0o755 },
    );
    const result = await sb(['build', '--registry', 'reg.example/sb'], {
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot tell whether reg.example/sb/router:');
    expect(result.stderr).toContain('log in to the registry (docker login)');
    expect(existsSync(join(bin, 'calls.log'))).toBe(false); // nothing built, nothing pushed
  });

  // Docker cannot run on the test machine: a stand-in `docker` on PATH answers `manifest inspect` as the
  // real client does (exit 0 for a tag the registry has, "no such manifest" otherwise) and logs every call.
  test('refuses to overwrite a tag the registry already has, before building anything', async () => {
    const { appVersion } = readRelease(ROOT);
    const bin = mkdtempSync(join(scratch, 'bin-'));
    const log = join(bin, 'calls.log');
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh\necho "$*" >> ${log}\n` +
        `if [ "$1 $2" = "manifest inspect" ]; then case "$3" in */classifier:*) echo '{}'; exit 0;; esac; ` +
        `echo "no such manifest: $3" >&2; exit 1; fi\nexit 0\n`,
      { mode: 0o755 },
    );
    const result = await sb(['build', '--registry', 'reg.example/sb'], {
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `refusing to overwrite reg.example/sb/classifier:${appVersion}: the registry already has this tag`,
    );
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.every((c) => c.startsWith('manifest inspect'))).toBe(true);
    expect(calls.length).toBe(3);
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
