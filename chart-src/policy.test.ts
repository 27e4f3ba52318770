import { describe, expect, test } from 'bun:test';
import type { Environment } from './model/overlays.ts';
import { render } from './testing/render.ts';

/**
 * Values that must not render. `helm lint --strict` turns `required` and `fail` into no-ops, so each case
 * is a real `helm template` that must fail with the message naming what to fix.
 */
interface PolicyCase {
  name: string;
  env?: Environment;
  secrets?: boolean;
  values: object;
  /** `--set` arguments, as an operator types them. */
  set?: string[];
  error: string;
}

const emptySecrets = { global: { secrets: { anthropic: { apiKey: '' }, cloudflared: { tunnelToken: '' } } } };

const policyCases: PolicyCase[] = [
  {
    name: 'an empty Anthropic key in create mode',
    values: { global: { secrets: { anthropic: { apiKey: '' } } } },
    error: 'global.secrets.anthropic.apiKey is required',
  },
  {
    name: 'a missing tunnel token in create mode',
    values: { global: { secrets: { cloudflared: { tunnelToken: '' } } } },
    error: 'global.secrets.cloudflared.tunnelToken is required',
  },
  {
    name: 'a Google client id without its client secret',
    values: { global: { secrets: { google: { clientSecret: '' } } } },
    error: 'global.secrets.google.clientSecret is required when ui.config.googleClientId is set',
  },
  {
    name: 'a Google client id without a session secret',
    values: { global: { secrets: { google: { sessionSecret: '' } } } },
    error: 'global.secrets.google.sessionSecret is required when ui.config.googleClientId is set',
  },
  {
    name: 'the Anthropic Secret wired to the classifier',
    values: {
      classifier: { secretEnv: { CLAUDE_KEY: { secret: 'anthropic-api-key', key: 'ANTHROPIC_API_KEY' } } },
    },
    error: 'classifier.secretEnv.CLAUDE_KEY wires the Anthropic key into the classifier',
  },
  {
    name: 'the Anthropic key variable given to the classifier from another Secret',
    values: { classifier: { secretEnv: { ANTHROPIC_API_KEY: { secret: 'elsewhere', key: 'k' } } } },
    error: 'classifier.secretEnv.ANTHROPIC_API_KEY wires the Anthropic key into the classifier',
  },
  {
    name: 'a secret variable put in a ConfigMap',
    values: { router: { extraConfig: { SCALARLM_API_KEY: 'sk-123' } } },
    error: 'router.extraConfig.SCALARLM_API_KEY is a secret',
  },
  {
    name: 'a values file that breaks the schema (wrong type)',
    values: { router: { replicaCount: 'three' } },
    error: "values don't meet the specifications of the schema",
  },
  {
    name: 'a values file that breaks the schema (misspelt key)',
    values: { router: { replicas: 2 } },
    error: "additional properties 'replicas' not allowed",
  },
  {
    name: 'a second UI replica (single writer of its PVC files)',
    values: { ui: { replicaCount: 2 } },
    error: "values don't meet the specifications of the schema",
  },
  {
    name: 'several replicas on ReadWriteOnce storage',
    env: 'dev',
    values: { classifier: { replicaCount: 2 } },
    error: 'classifier.replicaCount is 2 but global.storage.accessMode is ReadWriteOnce',
  },
  {
    name: 'router autoscaling on ReadWriteOnce storage',
    env: 'dev',
    values: { router: { autoscaling: { enabled: true } } },
    error: 'router.autoscaling.enabled needs ReadWriteMany storage',
  },
  {
    name: 'an HPA whose minimum is above its maximum',
    values: { router: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } },
    error: 'router.autoscaling.minReplicas (5) is above maxReplicas (3)',
  },
  {
    name: 'a PDB that would block every drain',
    values: { classifier: { replicaCount: 2, podDisruptionBudget: { minAvailable: 2 } } },
    error: 'classifier.podDisruptionBudget.minAvailable (2) must be below its replicas (2)',
  },
  {
    name: 'a UI with no way to sign in',
    values: { ui: { config: { googleClientId: '' } } },
    error: 'ui: no sign-in is configured',
  },
  {
    name: 'UI dev mode as a value (there is none)',
    values: { ui: { config: { devMode: true } } },
    error: "additional properties 'devMode' not allowed",
  },
  {
    name: 'UI dev mode through extraConfig',
    values: { ui: { extraConfig: { UI_DEV_MODE: 'true' } } },
    error: 'ui: UI_DEV_MODE turns sign-in off for everyone',
  },
  {
    name: 'UI dev mode through a Secret reference',
    values: { ui: { secretEnv: { UI_DEV_MODE: { secret: 'anything', key: 'devMode' } } } },
    error: 'ui: UI_DEV_MODE turns sign-in off for everyone',
  },
  {
    name: 'Cloudflare Access with a team domain but no audience',
    values: { ui: { config: { cfTeamDomain: 'https://team.cloudflareaccess.com' } } },
    error: 'ui.config.cfTeamDomain and ui.config.cfJwtAudience must be set together',
  },
  {
    name: 'an empty image registry',
    values: { global: { image: { registry: '' } } },
    error: "values don't meet the specifications of the schema",
  },
  {
    name: 'root as the container user',
    values: { router: { securityContext: { runAsUser: 0 } } },
    error: "values don't meet the specifications of the schema",
  },
  {
    name: 'an empty tunnel credentials Secret name',
    values: { cloudflared: { tunnel: { credentialsSecret: '' } } },
    error: "values don't meet the specifications of the schema",
  },
  {
    name: 'ReadWriteOncePod storage (three Deployments share the claim)',
    values: { global: { storage: { accessMode: 'ReadWriteOncePod' } } },
    error: "at '/global/storage/accessMode': value must be one of 'ReadWriteMany', 'ReadWriteOnce'",
  },
  {
    name: 'ReadWriteMany storage without a storage class',
    values: { global: { storage: { storageClassName: '' } } },
    error:
      'global.storage.accessMode is ReadWriteMany but global.storage.storageClassName is empty: the default ' +
      'class is block storage',
  },
  {
    name: 'a quantity with a lower-case binary suffix (512mi)',
    values: { router: { resources: { requests: { memory: '512mi' } } } },
    error: "at '/router/resources/requests/memory'",
  },
  {
    name: 'a quantity that is not a number',
    values: { global: { storage: { size: 'lots' } } },
    error: "at '/global/storage/size'",
  },
  {
    name: 'a whitespace-only Anthropic key',
    values: { global: { secrets: { anthropic: { apiKey: '   ' } } } },
    error: "at '/global/secrets/anthropic/apiKey'",
  },
  {
    name: 'a tunnel token pasted with a trailing newline',
    values: { global: { secrets: { cloudflared: { tunnelToken: 'eyJh\n' } } } },
    error: "at '/global/secrets/cloudflared/tunnelToken'",
  },
  {
    name: 'a session secret shorter than 32 characters',
    values: { global: { secrets: { google: { sessionSecret: 'too-short-0123456789' } } } },
    error: 'global.secrets.google.sessionSecret has 20 characters: it needs at least 32',
  },
  {
    name: 'an audit HMAC key shorter than 32 characters (the router would refuse to start)',
    values: { global: { secrets: { audit: { hmacKey: 'short-audit-key' } } } },
    error: 'global.secrets.audit.hmacKey has 15 characters: it needs at least 32',
  },
  {
    name: 'a classifier threshold above 1 given with --set',
    values: {},
    set: ['router.config.classifierThreshold=1.5'],
    error: 'router.config.classifierThreshold is 1.5: it must be from 0 to 1',
  },
  {
    name: 'a classifier threshold that is not a number given with --set',
    values: {},
    set: ['router.config.classifierThreshold=high'],
    error: "at '/router/config/classifierThreshold'",
  },
  {
    name: 'a router grace period shorter than its preStop delay plus the longest stream',
    values: { router: { terminationGracePeriodSeconds: 30 } },
    error:
      'router.terminationGracePeriodSeconds (30) must cover router.preStopSleepSeconds (10) plus ' +
      'router.config.upstreamTimeoutMs (600 s)',
  },
  {
    name: 'a UI grace period that ends before its preStop delay',
    values: { ui: { terminationGracePeriodSeconds: 5 } },
    error: 'ui.terminationGracePeriodSeconds (5) must be above its preStopSleepSeconds (5)',
  },
  {
    name: 'a cloudflared grace period shorter than its drain',
    values: { cloudflared: { terminationGracePeriodSeconds: 30 } },
    error: 'cloudflared.terminationGracePeriodSeconds (30) must be above cloudflared.drainSeconds (600)',
  },
  {
    name: 'an unknown anti-affinity mode',
    values: { classifier: { podAntiAffinity: 'always' } },
    error: "at '/classifier/podAntiAffinity'",
  },
  {
    name: 'a pinned cluster CA fingerprint that is not a sha256',
    values: { deploy: { clusterCaSha256: 'SHA256:ab:cd' } },
    error: "at '/deploy/clusterCaSha256'",
  },
  {
    name: 'a pinned API server that is not a URL',
    values: { deploy: { apiServer: 'prod-cluster' } },
    error: "at '/deploy/apiServer'",
  },
];

describe('policy: bad values fail the render with a named error', () => {
  for (const c of policyCases) {
    test(c.name, () => {
      const result = render(c.env ?? 'prod', [c.values], { secrets: c.secrets, set: c.set });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(c.error);
    });
  }

  test('control: the same overlays render when the values are sound', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) expect(render(env).code).toBe(0);
  });

  test('without any secrets file, every missing Secret value is named in one render', () => {
    const result = render('prod', [emptySecrets], { secrets: false });
    expect(result.code).not.toBe(0);
    for (const field of [
      'global.secrets.anthropic.apiKey is required',
      'global.secrets.cloudflared.tunnelToken is required',
      'global.secrets.google.clientSecret is required',
      'global.secrets.google.sessionSecret is required',
    ])
      expect(result.stderr).toContain(`  - ${field}`);
  });

  test('control: a 32-character session secret and an integer threshold given with --set render', () => {
    const result = render('prod', [{ global: { secrets: { google: { sessionSecret: 'x'.repeat(32) } } } }], {
      set: ['router.config.classifierThreshold=1'],
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('bring-your-own Secrets mode needs no secret values at all', () => {
    const result = render('prod', [{ global: { secrets: { create: false } } }], { secrets: false });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
