import type { UmbrellaOverlay } from './values.ts';

/**
 * Per-environment overlays (values-<env>.yaml). They hold structure and non-secret config only; secret
 * material goes in the git-ignored values-<env>.secrets.yaml next to them.
 */

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A fresh object per use: the overlays are written without YAML anchors, so each key is edited alone. */
const single = () => ({ replicaCount: 1, podDisruptionBudget: { enabled: false } });

/** The storage class the staging and prod examples use; name your cluster's ReadWriteMany class. */
const RWX_CLASS = 'nfs-csi';

export const overlays: Record<Environment, { header: string; values: UmbrellaOverlay }> = {
  dev: {
    header:
      'Dev (Civo, single node): the only storage is ReadWriteOnce block storage, so every PVC-mounting ' +
      'component runs one replica, without PDB or HPA. cloudflared keeps two replicas and its PDB.',
    values: {
      deploy: { kubeContext: 'civo-split-brain-dev', apiServer: 'https://dev.k8s.example.com:6443' },
      global: {
        domain: 'split-brain-router-dev.example.com',
        storage: { accessMode: 'ReadWriteOnce', storageClassName: 'civo-volume', size: '50Gi' },
      },
      router: {
        ...single(),
        autoscaling: { enabled: false },
        config: {
          scalarlmBaseUrl: 'http://scalarlm.scalarlm-dev.svc.cluster.local:8000/v1',
          logLevel: 'debug',
        },
        networkPolicy: {
          scalarlm: {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'scalarlm-dev' } } }],
            ports: [{ protocol: 'TCP', port: 8000 }],
          },
        },
      },
      classifier: single(),
      ui: {
        ...single(),
        config: {
          googleClientId: 'dev-client-id.apps.googleusercontent.com',
          oauthRedirectUrl: 'https://split-brain-ui-dev.example.com/auth/google/callback',
          allowedDomains: 'example.com',
        },
      },
    },
  },
  staging: {
    header: 'Staging: the production shape (ReadWriteMany storage, several replicas) at a smaller scale.',
    values: {
      deploy: { kubeContext: 'split-brain-staging', apiServer: 'https://staging.k8s.example.com:6443' },
      global: {
        domain: 'split-brain-router-staging.example.com',
        storage: { accessMode: 'ReadWriteMany', storageClassName: RWX_CLASS, size: '100Gi' },
      },
      router: {
        replicaCount: 2,
        autoscaling: { minReplicas: 2, maxReplicas: 4 },
        config: { scalarlmBaseUrl: 'https://scalarlm-staging.internal.example.com/v1' },
      },
      ui: {
        config: {
          googleClientId: 'staging-client-id.apps.googleusercontent.com',
          oauthRedirectUrl: 'https://split-brain-ui-staging.example.com/auth/google/callback',
          allowedDomains: 'example.com',
        },
      },
    },
  },
  prod: {
    header: 'Production: ReadWriteMany storage, the router autoscaled, PDBs on.',
    values: {
      deploy: { kubeContext: 'split-brain-prod', apiServer: 'https://prod.k8s.example.com:6443' },
      global: {
        domain: 'split-brain-router.example.com',
        storage: { accessMode: 'ReadWriteMany', storageClassName: RWX_CLASS, size: '500Gi' },
      },
      router: {
        autoscaling: { minReplicas: 3, maxReplicas: 10 },
        config: { scalarlmBaseUrl: 'https://scalarlm.internal.example.com/v1' },
      },
      ui: {
        config: {
          googleClientId: 'prod-client-id.apps.googleusercontent.com',
          oauthRedirectUrl: 'https://split-brain-ui.example.com/auth/google/callback',
          allowedDomains: 'example.com',
          adminEmails: 'ops@example.com',
        },
      },
    },
  },
};

/**
 * Placeholder secret values used to render the committed golden manifests and in tests. They only have
 * to be non-empty; a real install passes values-<env>.secrets.yaml instead.
 */
export const placeholderSecrets: UmbrellaOverlay = {
  global: {
    secrets: {
      anthropic: { apiKey: 'placeholder-anthropic-api-key' },
      scalarlm: { apiKey: 'placeholder-scalarlm-api-key' },
      cloudflared: { tunnelToken: 'placeholder-tunnel-token' },
      google: {
        clientSecret: 'placeholder-google-client-secret',
        sessionSecret: 'placeholder-session-secret-0123456789abcdef',
      },
    },
  },
};
