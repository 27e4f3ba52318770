import { type Fields, f, type ObjectField, type Overlay, type ValueOf } from './fields.ts';

/**
 * The values model of the split-brain umbrella chart (seeds 000 and 001, SPEC section 7).
 * Everything the chart reads is declared here once, with its default and a description; values.yaml,
 * values.schema.json (umbrella and subcharts) and the README's values table are generated from it.
 */

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const ACCESS_MODES = ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;

/** Names of the Secrets the chart creates (or, with global.secrets.create=false, expects to exist). */
export const SECRET_NAMES = {
  anthropic: 'anthropic-api-key',
  scalarlm: 'scalarlm-credentials',
  cloudflared: 'cloudflared-credentials',
  google: 'google-oauth',
} as const;

const k8sObject = { type: 'object' };
const stringMap = { type: 'string' };

/** cloudflared's upstream image tag, pinned: upstream images are never taken at latest. */
export const CLOUDFLARED_TAG = '2025.7.0';

const image = (repository: string, what: string, registry?: string) =>
  f.object(`The ${what} image.`, {
    ...(registry !== undefined
      ? {
          registry: f.string(
            registry,
            'Registry of this image. This one is an upstream image, so it does not use global.image.registry.',
          ),
        }
      : {}),
    repository: f.string(
      repository,
      registry !== undefined
        ? 'Repository of the image in its registry.'
        : 'Repository joined with global.image.registry (never a full image reference).',
      { minLength: 1 },
    ),
    tag:
      registry !== undefined
        ? f.string(
            CLOUDFLARED_TAG,
            'Pinned upstream tag (never empty: upstream images are not taken at latest).',
            {
              minLength: 1,
            },
          )
        : f.string(
            '',
            'Image tag; empty means the chart appVersion, so one appVersion bump rolls every image.',
          ),
  });

const resources = (
  requestCpu: string,
  requestMemory: string,
  limitCpu: string | number,
  limitMemory: string,
) =>
  f.object('CPU and memory for each pod (requests are what the scheduler and the HPA count).', {
    requests: f.object('Guaranteed resources.', {
      cpu: f.quantity(requestCpu, 'CPU request.'),
      memory: f.quantity(requestMemory, 'Memory request.'),
    }),
    limits: f.object('Upper bounds.', {
      cpu: f.quantity(limitCpu, 'CPU limit.'),
      memory: f.quantity(limitMemory, 'Memory limit (the container is killed above it).'),
    }),
  });

const scheduling = {
  podAnnotations: f.map<string>({}, 'Extra annotations on the pods.', stringMap),
  nodeSelector: f.map<string>({}, 'Node labels the pods must land on.', stringMap),
  tolerations: f.list<unknown>(
    [],
    'Tolerations for tainted nodes (Kubernetes objects, passed through).',
    k8sObject,
  ),
  affinity: f.map<unknown>({}, 'Pod affinity rules (a Kubernetes Affinity object, passed through).'),
  terminationGracePeriodSeconds: f.integer(
    30,
    'Seconds a pod has to drain in-flight requests after SIGTERM before it is killed.',
    { minimum: 0 },
  ),
};

const securityContext = (uid: number) =>
  f.object(
    'The user the containers run as. Non-root, a read-only root filesystem, no privilege escalation, all ' +
      'capabilities dropped and the RuntimeDefault seccomp profile are always set and cannot be turned off.',
    {
      runAsUser: f.integer(uid, 'User id (must not be 0).', { minimum: 1 }),
      runAsGroup: f.integer(uid, 'Group id.', { minimum: 1 }),
      fsGroup: f.integer(uid, 'Group that owns mounted volumes, so the PVC is writable by the user.', {
        minimum: 1,
      }),
    },
  );

const pdb = (enabled: boolean, why: string) =>
  f.object(`PodDisruptionBudget. ${why}`, {
    enabled: f.boolean(enabled, 'Render a PodDisruptionBudget.'),
    minAvailable: f.integer(
      1,
      'Pods that must stay up during voluntary disruptions (must be below the replicas).',
      {
        minimum: 1,
      },
    ),
  });

const probes = f.object('Liveness (/healthz) and readiness (/readyz) probes on the http port.', {
  initialDelaySeconds: f.integer(5, 'Delay before the first probe.', { minimum: 0 }),
  periodSeconds: f.integer(10, 'Seconds between probes.', { minimum: 1 }),
  failureThreshold: f.integer(3, 'Failures in a row before the pod is restarted (liveness) or unready.', {
    minimum: 1,
  }),
});

const extraConfig = f.map<string>(
  {},
  'Extra non-secret environment variables for this component, added to its ConfigMap. Names of secret ' +
    'variables are refused here: secrets only ever travel in Secrets.',
  stringMap,
);

const secretEnv = f.map<{ secret: string; key: string }>(
  {},
  'Extra environment variables read from existing Secrets: NAME -> {secret, key}.',
  {
    type: 'object',
    additionalProperties: false,
    required: ['secret', 'key'],
    properties: { secret: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } },
  },
);

const extraEgress = f.list<unknown>(
  [],
  'Extra NetworkPolicy egress rules (Kubernetes NetworkPolicyEgressRule objects, passed through).',
  k8sObject,
);

const publicHttpsEgress = (what: string) =>
  f.object(
    `Egress to ${what}. NetworkPolicy cannot name hosts, so this allows TCP 443 to a CIDR ` +
      '(by default the public internet, private ranges excepted); narrow it if your CNI or proxy allows.',
    {
      cidr: f.string('0.0.0.0/0', 'Destination CIDR.'),
      except: f.list<string>(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], 'CIDRs excluded.', {
        type: 'string',
      }),
    },
  );

const logLevel = (env: string) => f.string('info', 'Log level.', { enum: LOG_LEVELS, env });

const appCommon = (replicas: number) => ({
  enabled: f.boolean(true, 'Deploy this component.'),
  replicaCount: f.integer(replicas, 'Number of pods (the dev overlay runs 1: its PVC is ReadWriteOnce).', {
    minimum: 0,
  }),
});

export const routerValues = f.object(
  'The router: the OpenAI/Anthropic-compatible gateway (SPEC section 3).',
  {
    ...appCommon(3),
    image: image('router', 'router'),
    resources: resources('250m', '512Mi', 1, '1Gi'),
    autoscaling: f.object(
      'HorizontalPodAutoscaler on CPU. When on, the Deployment leaves replicas to it. Only the router scales.',
      {
        enabled: f.boolean(true, 'Render the HPA.'),
        minReplicas: f.integer(2, 'Fewest pods.', { minimum: 1 }),
        maxReplicas: f.integer(10, 'Most pods (must be at least minReplicas).', { minimum: 1 }),
        targetCPUUtilizationPercentage: f.integer(70, 'Average CPU (percent of requests) the HPA aims for.', {
          minimum: 1,
          maximum: 100,
        }),
      },
    ),
    podDisruptionBudget: pdb(true, 'Off in the dev overlay (one replica).'),
    probes,
    securityContext: securityContext(1000),
    ...scheduling,
    config: f.object('Non-secret settings, rendered into the router ConfigMap as environment variables.', {
      classifierThreshold: f.number(
        0.4,
        'Score at or above which a request goes to the local brain (ScalarLM).',
        {
          minimum: 0,
          maximum: 1,
          env: 'CLASSIFIER_THRESHOLD',
        },
      ),
      classifierTimeoutMs: f.integer(
        1500,
        'How long the router waits for the classifier before failing closed.',
        {
          minimum: 1,
          env: 'CLASSIFIER_TIMEOUT_MS',
        },
      ),
      classifierFailMode: f.string(
        'local',
        'What a request gets when the classifier cannot decide: the local brain, or a refusal. Never Claude.',
        { enum: ['local', 'refuse'], env: 'CLASSIFIER_FAIL_MODE' },
      ),
      opaqueContent: f.string(
        'local',
        'What a request holding content the classifier cannot read (images, audio, files, URLs, PDFs without text) gets: the local brain, or a 400 refusal. Never Claude.',
        { enum: ['local', 'refuse'], env: 'OPAQUE_CONTENT' },
      ),
      maxInflight: f.integer(
        256,
        'Concurrent requests per pod; beyond it new ones get 429 with Retry-After.',
        {
          minimum: 1,
          env: 'MAX_INFLIGHT',
        },
      ),
      maxBodyBytes: f.integer(8388608, 'Largest request body accepted.', {
        minimum: 1,
        env: 'MAX_BODY_BYTES',
      }),
      upstreamTimeoutMs: f.integer(600000, 'Timeout for one upstream (Claude or ScalarLM) request.', {
        minimum: 1,
        env: 'UPSTREAM_TIMEOUT_MS',
      }),
      tokenCacheTtlMs: f.integer(
        5000,
        'How long a token lookup is cached; bounds how late a revocation bites.',
        {
          minimum: 0,
          maximum: 30000,
          env: 'TOKEN_CACHE_TTL_MS',
        },
      ),
      anthropicModel: f.string(
        'claude-sonnet-4-6',
        'Seed default Claude model; the live default is admin-tunable in settings.json.',
        { minLength: 1, env: 'ANTHROPIC_MODEL' },
      ),
      anthropicBaseUrl: f.string(
        '',
        'Anthropic API base URL; empty means the SDK default (api.anthropic.com).',
        {
          env: 'ANTHROPIC_BASE_URL',
        },
      ),
      anthropicPromptCaching: f.boolean(
        true,
        'Add cache_control breakpoints to long system prompts and tool lists.',
        {
          env: 'ANTHROPIC_PROMPT_CACHING',
        },
      ),
      scalarlmBaseUrl: f.string(
        'https://scalarlm.internal.example.com/v1',
        'OpenAI-compatible base URL of the separately deployed ScalarLM (required).',
        { pattern: '^https?://', env: 'SCALARLM_BASE_URL' },
      ),
      scalarlmModel: f.string(
        'auto',
        '`auto` discovers the served model from ScalarLM /v1/models; or pin an id.',
        {
          minLength: 1,
          env: 'SCALARLM_MODEL',
        },
      ),
      classificationCache: f.boolean(true, 'Cache classifications by a hash of the text.', {
        env: 'CLASSIFICATION_CACHE',
      }),
      classificationCacheSize: f.integer(10000, 'Entries in the classification cache.', {
        minimum: 1,
        env: 'CLASSIFICATION_CACHE_SIZE',
      }),
      logLevel: logLevel('LOG_LEVEL'),
    }),
    extraConfig,
    secretEnv,
    networkPolicy: f.object('Egress allows beyond the classifier and DNS.', {
      anthropic: publicHttpsEgress('api.anthropic.com:443'),
      scalarlm: f.object(
        'Egress to ScalarLM: peers and ports (Kubernetes NetworkPolicyPeer / NetworkPolicyPort objects).',
        {
          to: f.list<unknown>([{ ipBlock: { cidr: '0.0.0.0/0' } }], 'Where ScalarLM is.', k8sObject),
          ports: f.list<unknown>([{ protocol: 'TCP', port: 443 }], 'Its ports.', k8sObject),
        },
      ),
      extraEgress,
    }),
  },
);

export const classifierValues = f.object(
  'The classifier: MiniLM embeddings + trained head; no egress, never holds the Anthropic key (SPEC section 4).',
  {
    ...appCommon(2),
    image: image('classifier', 'classifier (the model is baked in)'),
    resources: resources('500m', '1Gi', 2, '2Gi'),
    podDisruptionBudget: pdb(true, 'Off in the dev overlay (one replica).'),
    probes,
    securityContext: securityContext(1000),
    ...scheduling,
    config: f.object('Non-secret settings, rendered into the classifier ConfigMap.', {
      modelKind: f.string('minilm', '`minilm` (embeddings + head) or `keywords` (keyword list only).', {
        enum: ['minilm', 'keywords'],
        env: 'CLASSIFIER_MODEL_KIND',
      }),
      modelDir: f.string('/models/all-MiniLM-L6-v2', 'Where the image keeps the model.', {
        minLength: 1,
        env: 'CLASSIFIER_MODEL_DIR',
      }),
      keywordsPath: f.string(
        '',
        'Path of a keyword list inside the container (one term per line). Ignored when `keywords` is set: ' +
          'the chart then mounts a ConfigMap with the list and points the classifier at it.',
        { env: 'CLASSIFIER_KEYWORDS_PATH' },
      ),
      keywords: f.list<string>([], 'Keyword list (terms or phrases) mounted from a ConfigMap.', {
        type: 'string',
        minLength: 1,
      }),
      headPollMs: f.integer(2000, 'How often each replica checks for a newly promoted head.', {
        minimum: 1,
        env: 'CLASSIFIER_HEAD_POLL_MS',
      }),
      batchMaxTokens: f.integer(
        2048,
        'Most padded tokens (texts x longest) in one model call; bounds memory.',
        {
          minimum: 1,
          env: 'CLASSIFIER_BATCH_MAX_TOKENS',
        },
      ),
      modelDtype: f.string('q8', '`q8`: the int8 model (about twice as fast); `fp32`: full precision.', {
        enum: ['q8', 'fp32'],
        env: 'CLASSIFIER_MODEL_DTYPE',
      }),
      threads: f.integer(
        2,
        "ONNX Runtime threads per model call. Keep it at the CPU limit: the runtime counts the node's cores, " +
          "not the container's share (0 = one per node core).",
        { minimum: 0, maximum: 256, env: 'CLASSIFIER_THREADS' },
      ),
      batchWaitMs: f.number(
        0,
        'Longest wait for other requests to batch with once the model is idle (0: none).',
        {
          minimum: 0,
          maximum: 100,
          env: 'CLASSIFIER_BATCH_WAIT_MS',
        },
      ),
      logLevel: logLevel('LOG_LEVEL'),
    }),
    extraConfig,
    secretEnv,
    networkPolicy: f.object('The classifier has no egress beyond DNS.', { extraEgress }),
  },
);

export const uiValues = f.object('The operator console (SPEC section 5).', {
  ...appCommon(1),
  replicaCount: f.integer(
    1,
    'Number of pods. At most 1: the UI is the single writer of labels, limits, settings and its session ' +
      'database on the PVC.',
    { minimum: 0, maximum: 1 },
  ),
  image: image('ui', 'UI'),
  resources: resources('250m', '512Mi', 1, '1Gi'),
  podDisruptionBudget: pdb(false, 'Off by default: the UI runs a single pod, which a PDB would pin forever.'),
  probes,
  securityContext: securityContext(1000),
  ...scheduling,
  config: f.object('Non-secret settings, rendered into the ui ConfigMap.', {
    cfTeamDomain: f.string(
      '',
      'Cloudflare Access team domain (https://<team>.cloudflareaccess.com); optional.',
      {
        env: 'CF_TEAM_DOMAIN',
      },
    ),
    cfJwtAudience: f.string('', 'Cloudflare Access application audience tag (set with cfTeamDomain).', {
      env: 'CF_JWT_AUDIENCE',
    }),
    devMode: f.boolean(
      false,
      'A fixed dev user and no sign-in. Local only: refused unless allowDevMode is true.',
      {
        env: 'UI_DEV_MODE',
      },
    ),
    allowDevMode: f.boolean(
      false,
      'Acknowledge that devMode turns sign-in off for everyone who reaches the UI.',
    ),
    googleClientId: f.string(
      '',
      'Google OAuth client id. Google sign-in is on when it is set; needs global.secrets.google.*.',
      { env: 'GOOGLE_CLIENT_ID' },
    ),
    oauthRedirectUrl: f.string('', 'OAuth callback URL (https://<ui host>/auth/google/callback).', {
      env: 'OAUTH_REDIRECT_URL',
    }),
    allowedDomains: f.string('', 'Comma-separated email domains allowed to sign in.', {
      env: 'ALLOWED_DOMAINS',
    }),
    allowedEmails: f.string('', 'Comma-separated emails allowed to sign in (besides allowedDomains).', {
      env: 'ALLOWED_EMAILS',
    }),
    adminEmails: f.string('', 'Comma-separated emails with admin rights (usage, limits, settings).', {
      env: 'ADMIN_EMAILS',
    }),
    sessionMaxAgeDays: f.integer(30, 'How long a sign-in session lasts.', {
      minimum: 1,
      env: 'SESSION_MAX_AGE_DAYS',
    }),
    logLevel: logLevel('LOG_LEVEL'),
  }),
  extraConfig,
  secretEnv,
  networkPolicy: f.object(
    'Egress beyond the classifier and DNS. Used only when Google sign-in or Cloudflare Access is on (token ' +
      'exchange, JWKS).',
    {
      identityProviders: publicHttpsEgress('Google OAuth and Cloudflare Access'),
      extraEgress,
    },
  ),
});

export const cloudflaredValues = f.object(
  'cloudflared in token mode: the only way in from outside (seed 004). No ConfigMap: ingress rules live in ' +
    'the Cloudflare dashboard.',
  {
    enabled: f.boolean(true, 'Deploy cloudflared.'),
    replicaCount: f.integer(2, 'Replicas; two so a pod restart does not drop the tunnel.', { minimum: 1 }),
    image: image('cloudflare/cloudflared', 'upstream cloudflared', 'docker.io'),
    resources: resources('100m', '128Mi', '500m', '256Mi'),
    podDisruptionBudget: pdb(true, 'Kept in every environment.'),
    probes: f.object('Liveness and readiness on /ready of the metrics port (2000).', {
      initialDelaySeconds: f.integer(5, 'Delay before the first probe.', { minimum: 0 }),
      periodSeconds: f.integer(10, 'Seconds between probes.', { minimum: 1 }),
      failureThreshold: f.integer(3, 'Failures in a row before restart / unready.', { minimum: 1 }),
    }),
    securityContext: securityContext(65532),
    ...scheduling,
    tunnel: f.object('Tunnel identity.', {
      credentialsSecret: f.string(
        SECRET_NAMES.cloudflared,
        'Secret holding TUNNEL_TOKEN (created by the umbrella from global.secrets.cloudflared.tunnelToken).',
        { minLength: 1 },
      ),
    }),
    networkPolicy: f.object(
      'Egress to the Cloudflare edge (region1/region2.argotunnel.com, *.cloudflare.com).',
      {
        edge: f.object(
          'NetworkPolicy cannot name hosts: the edge is allowed by CIDR on port 7844 (TCP and UDP).',
          {
            cidr: f.string('0.0.0.0/0', 'Destination CIDR.'),
            port: f.integer(7844, 'Edge port.', { minimum: 1, maximum: 65535 }),
          },
        ),
        extraEgress,
      },
    ),
  },
);

const secretValue = (description: string) => f.string('', description);

export const globalValues = f.object('Values every subchart sees.', {
  image: f.object('Where the first-party images come from.', {
    registry: f.string(
      'ghcr.io/example/split-brain',
      'Registry joined with each component image.repository.',
      {
        minLength: 1,
      },
    ),
    pullPolicy: f.string('IfNotPresent', 'Image pull policy.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    pullSecrets: f.list<string>([], 'Names of image pull Secrets.', { type: 'string', minLength: 1 }),
  }),
  domain: f.string(
    'router.example.com',
    'Public hostname of the router (mapped in the Cloudflare dashboard).',
  ),
  storage: f.object('The one shared PVC that holds all durable state (audit, tokens, heads, usage...).', {
    create: f.boolean(true, 'Create the PVC; false uses an existing claim named pvcName.'),
    pvcName: f.string('split-brain-data', 'Name of the PVC.', { minLength: 1 }),
    accessMode: f.string(
      'ReadWriteMany',
      'ReadWriteMany lets PVC-mounting components scale; with ReadWriteOnce they must run one replica each.',
      { enum: ACCESS_MODES },
    ),
    storageClassName: f.string(
      '',
      'Storage class (an RWX class, or a block class for RWO); empty: the default.',
    ),
    size: f.quantity('500Gi', 'Size; the audit log dominates: size for traffic and retention.'),
  }),
  secrets: f.object(
    'Secrets the subcharts consume. Material belongs in a git-ignored values-<env>.secrets.yaml, never in a ' +
      'committed file.',
    {
      create: f.boolean(
        true,
        'true: the chart renders the Secrets from the values below. false: bring your own Secrets with the ' +
          'fixed names (anthropic-api-key, cloudflared-credentials, scalarlm-credentials, google-oauth).',
      ),
      anthropic: f.object('Secret anthropic-api-key (key ANTHROPIC_API_KEY), for the router only.', {
        apiKey: secretValue('Anthropic API key (required in create mode when the router is enabled).'),
      }),
      scalarlm: f.object('Secret scalarlm-credentials (key SCALARLM_API_KEY), rendered only when set.', {
        apiKey: secretValue('ScalarLM API key; optional (ScalarLM without auth is valid).'),
      }),
      cloudflared: f.object('Secret cloudflared-credentials (key TUNNEL_TOKEN).', {
        tunnelToken: secretValue(
          'Tunnel token from the Cloudflare dashboard (required in create mode when cloudflared is enabled).',
        ),
      }),
      google: f.object(
        'Secret google-oauth (keys clientSecret, sessionSecret), when ui Google sign-in is on.',
        {
          clientSecret: secretValue('Google OAuth client secret.'),
          sessionSecret: secretValue('Secret that signs UI sessions (at least 32 random characters).'),
        },
      ),
    },
  ),
  networkPolicy: f.object('Default-deny NetworkPolicies with the allows listed in docs/chart.md.', {
    enabled: f.boolean(true, 'Render the default-deny policy and the per-component allows.'),
    dns: f.list<unknown>(
      [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      'Where cluster DNS runs (NetworkPolicyPeer objects); every pod may reach it on port 53.',
      k8sObject,
    ),
  }),
});

export const umbrellaValues = f.object('split-brain umbrella chart values.', {
  global: globalValues,
  deploy: f.object('Read by the operator CLI (`bun run sb deploy <env>`), not by the templates.', {
    kubeContext: f.string(
      '',
      'The kube context this overlay must be deployed to; `deploy` refuses any other current context.',
    ),
    namespace: f.string('split-brain', 'Namespace the CLI installs into.', { minLength: 1 }),
    release: f.string('split-brain', 'Release name the CLI uses.', { minLength: 1 }),
  }),
  namespace: f.object('The namespace object itself.', {
    create: f.boolean(
      false,
      'Render the release namespace with Pod Security "restricted" labels. Leave false when using ' +
        '`helm install --create-namespace` or when the namespace is managed elsewhere.',
    ),
  }),
  tests: f.object('The `helm test` hook: a pod that checks every Service answers its readiness probe.', {
    enabled: f.boolean(true, 'Render the test pod.'),
    image: f.object('Image of the test pod (it needs Bun; the router image has it).', {
      repository: f.string('router', 'Repository joined with global.image.registry.', { minLength: 1 }),
      tag: f.string('', 'Tag; empty means the chart appVersion.'),
    }),
  }),
  router: routerValues,
  classifier: classifierValues,
  ui: uiValues,
  cloudflared: cloudflaredValues,
});

export type UmbrellaValues = ValueOf<typeof umbrellaValues>;
export type UmbrellaOverlay = Overlay<typeof umbrellaValues>;

export const componentValues = {
  router: routerValues,
  classifier: classifierValues,
  ui: uiValues,
  cloudflared: cloudflaredValues,
} satisfies Record<string, ObjectField<Fields>>;

export type ComponentName = keyof typeof componentValues;
