import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument, visit } from 'yaml';
import { generateChart } from './generate.ts';
import { chartDir, overlayFile, placeholderSecretsFile, RENDER_KUBE_VERSION, runHelm } from './helm.ts';
import { placeholderSecrets } from './model/overlays.ts';
import { readRelease } from './release.ts';
import {
  find,
  type K8sObject,
  kubeconform,
  parseManifests,
  ROOT,
  render,
  schemaVersions,
  valuesFile,
  writeChartFiles,
} from './testing/render.ts';

const APPS = ['router', 'classifier', 'ui'] as const;
const name = (component: string) => `split-brain-${component}`;
const kinds = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

function secretValues(): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(placeholderSecrets);
  return out;
}

describe('dev overlay', () => {
  const { objects } = render('dev');

  test('the PVC is ReadWriteOnce on the Civo class', () => {
    const pvc = find(objects, 'PersistentVolumeClaim', 'split-brain-data');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(pvc.spec.storageClassName).toBe('civo-volume');
    expect(pvc.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
  });

  test('every PVC-mounting app runs one replica, with no PDB and no HPA', () => {
    for (const app of APPS) expect(find(objects, 'Deployment', name(app)).spec.replicas).toBe(1);
    expect(kinds(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(kinds(objects, 'PodDisruptionBudget').map((o) => o.metadata.name)).toEqual([name('cloudflared')]);
    expect(find(objects, 'Deployment', name('cloudflared')).spec.replicas).toBe(2);
  });
});

describe('prod overlay', () => {
  const { objects } = render('prod');

  test('the router is autoscaled on CPU and its Deployment leaves replicas to the HPA', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', name('router'));
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(find(objects, 'Deployment', name('router')).spec.replicas).toBeUndefined();
    expect(kinds(objects, 'HorizontalPodAutoscaler').length).toBe(1);
  });

  test('every workload is non-root, read-only, unprivileged; RollingUpdate surge 1 / unavailable 0 but the UI Recreate', () => {
    const pods = [
      ...kinds(objects, 'Deployment').map((d) => ({ name: d.metadata.name, spec: d.spec.template.spec })),
      ...kinds(objects, 'Pod').map((p) => ({ name: p.metadata.name, spec: p.spec })),
    ];
    expect(pods.length).toBe(5);
    for (const pod of pods) {
      expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
      expect(pod.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
    for (const d of kinds(objects, 'Deployment')) {
      // The UI is the single writer of its PVC files: never two UI pods, not even during a rollout.
      expect(d.spec.strategy).toEqual(
        d.metadata.name === name('ui')
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      );
      expect(d.spec.template.spec.serviceAccountName).toBe(`${d.metadata.name}-sa`);
    }
  });

  test('images: the global registry joined with each repository at appVersion; cloudflared pinned upstream', () => {
    const image = (component: string) =>
      find(objects, 'Deployment', name(component)).spec.template.spec.containers[0].image;
    for (const app of APPS) expect(image(app)).toBe(`ghcr.io/example/split-brain/${app}:0.1.0`);
    expect(image('cloudflared')).toMatch(/^docker\.io\/cloudflare\/cloudflared:\d{4}\.\d+\.\d+$/);
    const pinned = render('prod', [{ router: { image: { tag: 'hotfix-1' } } }]).objects;
    expect(find(pinned, 'Deployment', name('router')).spec.template.spec.containers[0].image).toEndWith(
      ':hotfix-1',
    );
  });

  test('cloudflared runs in token mode with metrics on 0.0.0.0:2000 and probes on /ready', () => {
    const c = find(objects, 'Deployment', name('cloudflared')).spec.template.spec.containers[0];
    expect(c.args).toEqual([
      'tunnel',
      '--no-autoupdate',
      '--grace-period',
      '600s',
      '--metrics',
      '0.0.0.0:2000',
      'run',
    ]);
    expect(c.env).toEqual([
      {
        name: 'TUNNEL_TOKEN',
        valueFrom: { secretKeyRef: { name: 'cloudflared-credentials', key: 'TUNNEL_TOKEN' } },
      },
    ]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'metrics' });
    expect(kinds(objects, 'ConfigMap').map((o) => o.metadata.name)).not.toContain(
      'split-brain-cloudflared-config',
    );
  });

  test('network policies: default deny plus exactly the listed allows', () => {
    const deny = find(objects, 'NetworkPolicy', name('default-deny'));
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const peers = (policy: K8sObject, direction: 'ingress' | 'egress') =>
      policy.spec[direction].flatMap((rule: { from?: unknown[]; to?: unknown[] }) =>
        (rule.from ?? rule.to ?? []).flatMap((p) => {
          const label = (p as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector
            ?.matchLabels?.['app.kubernetes.io/name'];
          return label ? [label] : [];
        }),
      );
    const policy = (c: string) => find(objects, 'NetworkPolicy', name(c));
    expect(peers(policy('router'), 'ingress')).toEqual(['cloudflared', 'test']);
    for (const c of ['router', 'classifier', 'ui', 'cloudflared']) {
      expect(policy(c).spec.egress[0].ports).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
    }
    expect(peers(policy('router'), 'egress')).toEqual(['classifier']);
    expect(peers(policy('classifier'), 'ingress')).toEqual(['router', 'ui', 'test']);
    expect(policy('classifier').spec.egress.length).toBe(1); // DNS only
    expect(peers(policy('ui'), 'egress')).toEqual(['classifier']);
    expect(peers(policy('cloudflared'), 'egress')).toEqual(['router', 'ui']);
    expect(policy('cloudflared').spec.ingress).toEqual([]);
    const edge = policy('cloudflared').spec.egress.at(-1);
    expect(edge.ports).toEqual([
      { protocol: 'TCP', port: 7844 },
      { protocol: 'UDP', port: 7844 },
    ]);
  });

  test('probes: /healthz and /readyz on the http port after 5s; Services are ClusterIP on 8080', () => {
    for (const app of APPS) {
      const c = find(objects, 'Deployment', name(app)).spec.template.spec.containers[0];
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.livenessProbe.initialDelaySeconds).toBe(5);
      const svc = find(objects, 'Service', name(app));
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    }
  });

  test('the helm test hook asks every Service for /readyz', () => {
    const pod = find(objects, 'Pod', 'split-brain-test-readiness');
    expect(pod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    const args: string[] = pod.spec.containers[0].command;
    for (const app of APPS) expect(args).toContain(`http://${name(app)}:8080/readyz`);
  });

  test('the classifier mounts only heads/, read-only, and never sees the Anthropic Secret', () => {
    const spec = find(objects, 'Deployment', name('classifier')).spec.template.spec;
    const mounts = spec.containers[0].volumeMounts.filter((m: { name: string }) => m.name === 'data');
    expect(mounts).toEqual([
      { name: 'data', mountPath: '/var/split-brain/heads', subPath: 'heads', readOnly: true },
    ]);
    expect(JSON.stringify(spec.containers)).not.toContain('anthropic');
  });
});

describe("the UI's ScalarLM question generator", () => {
  const ui = (objects: K8sObject[]) => ({
    config: find(objects, 'ConfigMap', 'split-brain-ui-config').data as Record<string, string>,
    pod: find(objects, 'Deployment', name('ui')).spec.template,
    egress: find(objects, 'NetworkPolicy', name('ui')).spec.egress as { to: unknown[]; ports: unknown[] }[],
  });
  const scalarlmTo = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'scalarlm' } } }];
  const scalarlmPorts = [{ protocol: 'TCP', port: 8000 }];
  const on = (apiKey: string) => [
    {
      global: { secrets: { scalarlm: { apiKey } } },
      ui: {
        config: { scalarlmBaseUrl: 'http://scalarlm.scalarlm.svc.cluster.local:8000/v1' },
        networkPolicy: { scalarlm: { to: scalarlmTo, ports: scalarlmPorts } },
      },
    },
  ];

  test('off by default: no ScalarLM URL, key or egress for the UI', () => {
    const { config, pod, egress } = ui(render('prod').objects);
    expect(Object.keys(config).filter((k) => k.startsWith('SCALARLM'))).toEqual([]);
    expect(JSON.stringify(pod.spec.containers[0].env ?? [])).not.toContain('SCALARLM');
    expect(JSON.stringify(egress)).not.toContain('"port":8000');
    expect(egress.some((rule) => JSON.stringify(rule.to) === JSON.stringify(scalarlmTo))).toBe(false);
  });

  test('with ui.config.scalarlmBaseUrl: the variables, the optional key and egress to ScalarLM only', () => {
    const off = ui(render('prod').objects);
    const { config, pod, egress } = ui(render('prod', on('key-one')).objects);
    expect(config.SCALARLM_BASE_URL).toBe('http://scalarlm.scalarlm.svc.cluster.local:8000/v1');
    expect(config.SCALARLM_MODEL).toBe('auto');
    const key = pod.spec.containers[0].env.find((e: { name: string }) => e.name === 'SCALARLM_API_KEY');
    expect(key.valueFrom.secretKeyRef).toEqual({
      name: 'scalarlm-credentials',
      key: 'SCALARLM_API_KEY',
      optional: true,
    });
    expect(egress).toEqual([...off.egress, { to: scalarlmTo, ports: scalarlmPorts }]);
    // A new ScalarLM key rolls the UI pod, as a new Google secret does.
    const rekeyed = ui(render('prod', on('key-two')).objects);
    expect(rekeyed.pod.metadata.annotations['checksum/secrets']).not.toBe(
      pod.metadata.annotations['checksum/secrets'],
    );
  });
});

describe('secrets', () => {
  test('create: false renders no Secret objects, and the pods still reference the fixed names', () => {
    const { objects } = render('prod', [{ global: { secrets: { create: false } } }], { secrets: false });
    expect(kinds(objects, 'Secret')).toEqual([]);
    const env = find(objects, 'Deployment', name('router')).spec.template.spec.containers[0].env;
    expect(
      env.find((e: { name: string }) => e.name === 'ANTHROPIC_API_KEY').valueFrom.secretKeyRef.name,
    ).toBe('anthropic-api-key');
  });

  test('create mode renders the four Secrets, scalarlm-credentials only when its key is set', () => {
    expect(kinds(render('prod').objects, 'Secret').map((s) => s.metadata.name)).toEqual([
      'anthropic-api-key',
      'scalarlm-credentials',
      'cloudflared-credentials',
      'google-oauth',
    ]);
    const without = render('prod', [{ global: { secrets: { scalarlm: { apiKey: '' } } } }]).objects;
    expect(kinds(without, 'Secret').map((s) => s.metadata.name)).not.toContain('scalarlm-credentials');
  });

  test('the audit key: a Secret only when set, read by the router alone (optional), never by the classifier or ui', () => {
    const key = 'audit-key-'.repeat(4);
    const { objects } = render('prod', [{ global: { secrets: { audit: { hmacKey: key } } } }]);
    const secret = find(objects, 'Secret', 'audit-hmac-key');
    expect(secret.stringData).toEqual({ AUDIT_HMAC_KEY: key });
    const ref = (component: string) =>
      JSON.stringify(find(objects, 'Deployment', name(component)).spec.template.spec).includes(
        'audit-hmac-key',
      );
    expect([ref('router'), ref('classifier'), ref('ui')]).toEqual([true, false, false]);
    const env = find(objects, 'Deployment', name('router')).spec.template.spec.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === 'AUDIT_HMAC_KEY').valueFrom.secretKeyRef).toEqual({
      name: 'audit-hmac-key',
      key: 'AUDIT_HMAC_KEY',
      optional: true,
    });
    expect(kinds(render('prod').objects, 'Secret').map((s) => s.metadata.name)).not.toContain(
      'audit-hmac-key',
    );
    // A new key rolls the router (and only the router).
    const rotated = render('prod', [{ global: { secrets: { audit: { hmacKey: `${key}-2` } } } }]).objects;
    const checksum = (objs: K8sObject[], component: string) =>
      find(objs, 'Deployment', name(component)).spec.template.metadata.annotations['checksum/secrets'];
    expect(checksum(rotated, 'router')).not.toBe(checksum(objects, 'router'));
    expect(checksum(rotated, 'ui')).toBe(checksum(objects, 'ui'));
  });

  for (const env of ['dev', 'staging', 'prod'] as const) {
    test(`no secret value appears outside a Secret (${env})`, () => {
      const { objects } = render(env);
      const values = secretValues();
      expect(values.length).toBe(5);
      for (const o of objects.filter((x) => x.kind !== 'Secret')) {
        const text = JSON.stringify(o);
        for (const v of values) expect(text).not.toContain(v);
      }
      for (const c of kinds(objects, 'Deployment').flatMap((d) => d.spec.template.spec.containers)) {
        for (const e of c.env ?? []) expect(e.value === undefined || e.name === 'POD_NAME').toBe(true);
      }
    });
  }
});

describe('checksum annotations', () => {
  const annotations = (objects: K8sObject[], component: string) =>
    find(objects, 'Deployment', name(component)).spec.template.metadata.annotations;

  test('a config change rolls only the pods that read it; a chart version bump alone rolls nothing', () => {
    const base = render('prod').objects;
    const changed = render('prod', [{ router: { config: { classifierThreshold: 0.5 } } }]).objects;
    expect(annotations(changed, 'router')['checksum/config']).not.toBe(
      annotations(base, 'router')['checksum/config'],
    );
    expect(annotations(changed, 'ui')['checksum/config']).toBe(annotations(base, 'ui')['checksum/config']);
  });

  test('a rotated secret rolls the pods that read it', () => {
    const base = render('prod').objects;
    const rotated = render('prod', [{ global: { secrets: { anthropic: { apiKey: 'rotated' } } } }]).objects;
    expect(annotations(rotated, 'router')['checksum/secrets']).not.toBe(
      annotations(base, 'router')['checksum/secrets'],
    );
    expect(annotations(rotated, 'ui')['checksum/secrets']).toBe(annotations(base, 'ui')['checksum/secrets']);
  });

  test('classifier keywords are mounted from their own ConfigMap and roll the classifier', () => {
    const { objects } = render('prod', [{ classifier: { config: { keywords: ['project atlas', 'Zeus'] } } }]);
    expect(find(objects, 'ConfigMap', 'split-brain-classifier-keywords').data['keywords.txt']).toBe(
      'project atlas\nZeus\n',
    );
    expect(find(objects, 'ConfigMap', 'split-brain-classifier-config').data.CLASSIFIER_KEYWORDS_PATH).toBe(
      '/etc/split-brain/keywords/keywords.txt',
    );
    expect(annotations(objects, 'classifier')['checksum/keywords']).not.toBe(
      annotations(render('prod').objects, 'classifier')['checksum/keywords'],
    );
  });
});

const podSpecs = (objects: K8sObject[]) => [
  ...kinds(objects, 'Deployment').map((d) => ({ name: d.metadata.name, spec: d.spec.template.spec })),
  ...kinds(objects, 'Job').map((j) => ({ name: j.metadata.name, spec: j.spec.template.spec })),
  ...kinds(objects, 'Pod').map((p) => ({ name: p.metadata.name, spec: p.spec })),
];
const CA_SHA256 = 'ab'.repeat(32);
const DATA_LABEL = 'split-brain/mounts-data';

describe('storage access modes and scheduling', () => {
  test('ReadWriteOnce (dev): every PVC-mounting pod requires the node of the others; cloudflared does not', () => {
    const { objects } = render('dev');
    for (const app of APPS) {
      const template = find(objects, 'Deployment', name(app)).spec.template;
      expect(template.metadata.labels[DATA_LABEL]).toBe('true');
      expect(template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        {
          labelSelector: {
            matchLabels: { 'app.kubernetes.io/instance': 'split-brain', [DATA_LABEL]: 'true' },
          },
          topologyKey: 'kubernetes.io/hostname',
        },
      ]);
      // Anti-affinity would fight the co-location, so it is left out on ReadWriteOnce.
      expect(template.spec.affinity.podAntiAffinity).toBeUndefined();
    }
    const tunnel = find(objects, 'Deployment', name('cloudflared')).spec.template;
    expect(tunnel.metadata.labels[DATA_LABEL]).toBeUndefined();
    expect(tunnel.spec.affinity.podAffinity).toBeUndefined();
  });

  test('ReadWriteMany (prod): no co-location; soft anti-affinity and zone spread by default, hard on request', () => {
    const { objects } = render('prod');
    for (const component of [...APPS, 'cloudflared']) {
      const spec = find(objects, 'Deployment', name(component)).spec.template.spec;
      expect(spec.affinity.podAffinity).toBeUndefined();
      const preferred = spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
      expect(preferred[0].podAffinityTerm.labelSelector.matchLabels['app.kubernetes.io/name']).toBe(
        component,
      );
      expect(spec.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: {
            matchLabels: { 'app.kubernetes.io/name': component, 'app.kubernetes.io/instance': 'split-brain' },
          },
          matchLabelKeys: ['pod-template-hash'],
        },
      ]);
    }
    const hard = render('prod', [
      {
        router: {
          podAntiAffinity: 'hard',
          affinity: {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
          },
          priorityClassName: 'split-brain-critical',
        },
      },
    ]).objects;
    const spec = find(hard, 'Deployment', name('router')).spec.template.spec;
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.length).toBe(1);
    expect(spec.affinity.nodeAffinity).toBeDefined(); // the operator's own rules are kept
    expect(spec.priorityClassName).toBe('split-brain-critical');
  });

  test('pull secrets, node selector and tolerations reach every pod, cloudflared and the test pod included', () => {
    const toleration = { key: 'dedicated', operator: 'Equal', value: 'llm', effect: 'NoSchedule' };
    const scheduling = { nodeSelector: { pool: 'llm' }, tolerations: [toleration] };
    const { objects } = render('prod', [
      {
        global: { image: { pullSecrets: ['regcred'] } },
        router: scheduling,
        classifier: scheduling,
        ui: scheduling,
        cloudflared: scheduling,
        tests: scheduling,
        deploy: { clusterCaSha256: CA_SHA256 },
      },
    ]);
    const pods = podSpecs(objects);
    expect(pods.length).toBe(6); // four Deployments, the cluster-check Job, the helm test pod
    for (const pod of pods) {
      expect(pod.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
      expect(pod.spec.nodeSelector).toEqual({ pool: 'llm' });
      expect(pod.spec.tolerations).toEqual([toleration]);
    }
  });
});

describe('rollouts that do not cut streams', () => {
  const { objects } = render('prod');

  test('every app pod keeps serving through a preStop delay; the grace periods cover a 600 s stream', () => {
    for (const app of APPS) {
      const spec = find(objects, 'Deployment', name(app)).spec.template.spec;
      expect(spec.containers[0].lifecycle.preStop.exec.command.slice(0, 2)).toEqual(['bun', '-e']);
    }
    const router = find(objects, 'Deployment', name('router')).spec.template.spec;
    expect(router.containers[0].lifecycle.preStop.exec.command[2]).toBe('setTimeout(() => {}, 10000)');
    expect(router.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(600 + 10);
    const tunnel = find(objects, 'Deployment', name('cloudflared')).spec.template.spec;
    expect(tunnel.terminationGracePeriodSeconds).toBeGreaterThan(600);
  });

  test('startup probes hold off liveness; every probe has a timeout from values', () => {
    for (const component of [...APPS, 'cloudflared']) {
      const c = find(objects, 'Deployment', name(component)).spec.template.spec.containers[0];
      expect(c.startupProbe.httpGet.path).toBe(c.livenessProbe.httpGet.path);
      expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBe(120);
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe])
        expect(probe.timeoutSeconds).toBeGreaterThanOrEqual(2);
    }
    const slower = render('prod', [{ router: { probes: { timeoutSeconds: 7 } } }]).objects;
    const router = find(slower, 'Deployment', name('router')).spec.template.spec.containers[0];
    expect(router.readinessProbe.timeoutSeconds).toBe(7);
  });
});

describe('chart version', () => {
  test('a chart version bump changes no pod template (restarts nothing); an appVersion bump changes them all', () => {
    const release = readRelease(ROOT);
    const templates = (chart: string) =>
      Object.fromEntries(
        kinds(render('prod', [], { chart }).objects, 'Deployment').map((d) => [
          d.metadata.name,
          d.spec.template,
        ]),
      );
    const current = templates(writeChartFiles(generateChart(release)));
    const bumped = writeChartFiles(generateChart({ ...release, version: '99.0.0' }));
    expect(Object.keys(current).length).toBe(4);
    expect(templates(bumped)).toEqual(current);
    // Control: the bump is really there, on the objects themselves.
    const deployment = find(render('prod', [], { chart: bumped }).objects, 'Deployment', name('router'));
    expect(deployment.metadata.labels?.['helm.sh/chart']).toBe('router-99.0.0');
    const app = templates(writeChartFiles(generateChart({ ...release, appVersion: '99.0.0' })));
    for (const [deploymentName, template] of Object.entries(app)) {
      if (deploymentName !== name('cloudflared')) expect(template).not.toEqual(current[deploymentName]);
    }
  });
});

describe('values an operator sets', () => {
  test('the classifier threshold can be set with --set (a decimal string) and reaches the ConfigMap', () => {
    const { objects, stderr } = render('prod', [], { set: ['router.config.classifierThreshold=0.5'] });
    expect(stderr).toBe('');
    expect(find(objects, 'ConfigMap', 'split-brain-router-config').data.CLASSIFIER_THRESHOLD).toBe('0.5');
  });

  test('metrics scrapers are admitted on each metrics port, and only when listed', () => {
    const scraper = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const { objects } = render('prod', [{ global: { networkPolicy: { metricsScrapers: [scraper] } } }]);
    for (const [component, port] of [
      ...APPS.map((a) => [a, 8080] as const),
      ['cloudflared', 2000] as const,
    ]) {
      const ingress = find(objects, 'NetworkPolicy', name(component)).spec.ingress;
      expect(ingress.at(-1)).toEqual({ from: [scraper], ports: [{ protocol: 'TCP', port }] });
    }
    const plain = render('prod').objects;
    expect(find(plain, 'NetworkPolicy', name('cloudflared')).spec.ingress).toEqual([]);
    expect(find(plain, 'NetworkPolicy', name('router')).spec.ingress.length).toBe(1);
  });

  test('the overlays are plain YAML an operator can edit key by key: no anchors, no aliases', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const text = readFileSync(overlayFile(ROOT, env), 'utf8');
      const doc = parseDocument(text);
      let aliases = 0;
      visit(doc, {
        Alias() {
          aliases++;
        },
      });
      expect(aliases).toBe(0);
      expect(text).not.toMatch(/(^|\s)&[A-Za-z0-9]/m);
    }
  });

  test('values comments point at docs/ pages, never at the spec or seed documents operators do not have', () => {
    for (const file of [
      'values.yaml',
      'README.md',
      'charts/router/values.yaml',
      'charts/cloudflared/Chart.yaml',
    ]) {
      const text = readFileSync(join(chartDir(ROOT), file), 'utf8');
      expect(text).not.toMatch(/SPEC section|\bseeds?\b/i);
    }
    expect(readFileSync(join(chartDir(ROOT), 'values.yaml'), 'utf8')).toContain('docs/chart.md');
  });
});

describe('subcharts', () => {
  test('each subchart renders on its own with its section of the prod overlay', () => {
    const prod = parse(readFileSync(overlayFile(ROOT, 'prod'), 'utf8'));
    for (const component of [...APPS, 'cloudflared']) {
      const file = valuesFile({ ...(prod[component] ?? {}) });
      const result = runHelm(ROOT, [
        'template',
        'split-brain',
        join(chartDir(ROOT), 'charts', component),
        '--kube-version',
        RENDER_KUBE_VERSION,
        '-f',
        file,
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(parseManifests(result.stdout).some((o) => o.kind === 'Deployment')).toBe(true);
    }
  });

  // The overlays are umbrella values (router:, ui:, deploy: ...), which --with-subcharts would hand to each
  // subchart as its own; the subcharts are linted with their defaults plus the shared globals.
  test('helm lint --with-subcharts --strict passes', () => {
    const result = runHelm(ROOT, [
      'lint',
      '--strict',
      '--with-subcharts',
      '--kube-version',
      RENDER_KUBE_VERSION,
      chartDir(ROOT),
      '-f',
      placeholderSecretsFile(ROOT),
    ]);
    expect(result.stdout + result.stderr).toContain('5 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });
});

describe('the cluster-check hook (the wrong-cluster guard that also holds under Argo CD)', () => {
  const job = (objects: K8sObject[]) =>
    kinds(objects, 'Job').find((j) => j.metadata.name === name('cluster-check'));

  test('is rendered only when deploy.clusterCaSha256 pins the cluster, as a pre-install/pre-upgrade hook', () => {
    expect(job(render('prod').objects)).toBeUndefined();
    const { objects } = render('prod', [{ deploy: { clusterCaSha256: CA_SHA256 } }]);
    const check = job(objects)!;
    expect(check.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(check.spec.template.spec.volumes).toContainEqual({
      name: 'cluster-ca',
      configMap: { name: 'kube-root-ca.crt' },
    });
    expect(check.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('its script passes on the pinned CA and fails, naming both fingerprints, on another', () => {
    const ca = valuesFile({ pem: '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----' });
    const sha = new Bun.CryptoHasher('sha256').update(readFileSync(ca)).digest('hex');
    const run = (pinned: string) => {
      const check = job(render('prod', [{ deploy: { clusterCaSha256: pinned } }]).objects)!;
      const [bun, flag, script, , expected, context] = check.spec.template.spec.containers[0].command;
      expect([bun, flag]).toEqual(['bun', '-e']);
      return Bun.spawnSync([process.execPath, '-e', script, ca, expected, context]);
    };
    const pass = run(sha);
    expect(pass.stderr.toString()).toBe('');
    expect(pass.exitCode).toBe(0);
    const fail = run(CA_SHA256);
    expect(fail.exitCode).toBe(1);
    expect(fail.stderr.toString()).toContain(
      `wrong cluster: these values pin deploy.clusterCaSha256 ${CA_SHA256} (the cluster of kube context ` +
        `split-brain-prod), but this cluster's root CA has sha256 ${sha}`,
    );
  });

  test('passes kubeconform -strict on the oldest and newest Kubernetes versions', () => {
    for (const version of [schemaVersions()[0]!, schemaVersions().at(-1)!]) {
      const rendered = render('prod', [{ deploy: { clusterCaSha256: CA_SHA256 } }], { kubeVersion: version });
      const result = kubeconform(rendered.stdout, version);
      expect(result.output).toContain('Invalid: 0, Errors: 0');
      expect(result.code).toBe(0);
    }
  });
});
