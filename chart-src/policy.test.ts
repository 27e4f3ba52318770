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
];

describe('policy: bad values fail the render with a named error', () => {
  for (const c of policyCases) {
    test(c.name, () => {
      const result = render(c.env ?? 'prod', [c.values], { secrets: c.secrets });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(c.error);
    });
  }

  test('control: the same overlays render when the values are sound', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) expect(render(env).code).toBe(0);
  });

  test('control: without any secrets file both required Secret values are reported missing', () => {
    const result = render('prod', [emptySecrets], { secrets: false });
    expect(result.stderr).toContain('global.secrets.anthropic.apiKey is required');
  });

  test('bring-your-own Secrets mode needs no secret values at all', () => {
    const result = render('prod', [{ global: { secrets: { create: false } } }], { secrets: false });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
