import { describe, expect, test } from 'bun:test';
import { placeholderSecrets } from './model/overlays.ts';
import { find, type K8sObject, render } from './testing/render.ts';

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

  test('every workload is non-root, read-only, unprivileged, with RollingUpdate surge 1 / unavailable 0', () => {
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
      expect(d.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      });
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
    expect(c.args).toEqual(['tunnel', '--no-autoupdate', '--metrics', '0.0.0.0:2000', 'run']);
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
