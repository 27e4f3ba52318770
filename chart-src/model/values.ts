import { type Fields, f, type ObjectField, type Overlay, type ValueOf } from './fields.ts';

/**
 * The values model of the split-brain umbrella chart (operator guide: docs/chart.md).
 * Everything the chart reads is declared here once, with its default and a description; values.yaml,
 * values.schema.json (umbrella and subcharts) and the README's values table are generated from it.
 */

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/**
 * ReadWriteOncePod is left out on purpose: router, classifier and ui all mount the one claim, so with it all
 * but one pod could never start.
 */
const ACCESS_MODES = ['ReadWriteMany', 'ReadWriteOnce'] as const;

/** A Kubernetes resource quantity as the API server parses it (suffixes are case-sensitive: Mi, not mi). */
export const QUANTITY_PATTERN = '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$';

/** A secret value: empty (not given) or without leading or trailing whitespace (a blank one is refused). */
export const SECRET_PATTERN = '^$|^\\S(.*\\S)?$';

/** Shortest session-signing secret the chart accepts. */
export const SESSION_SECRET_MIN_LENGTH = 32;

/** Shortest audit HMAC key the chart accepts (the router refuses a shorter AUDIT_HMAC_KEY at start-up). */
export const AUDIT_KEY_MIN_LENGTH = 32;

/** Names of the Secrets the chart creates (or, with global.secrets.create=false, expects to exist). */
export const SECRET_NAMES = {
  anthropic: 'anthropic-api-key',
  scalarlm: 'scalarlm-credentials',
  cloudflared: 'cloudflared-credentials',
  google: 'google-oauth',
  audit: 'audit-hmac-key',
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

interface SchedulingDefaults {
  /** Seconds between SIGTERM and SIGKILL. */
  grace: number;
  /** Seconds the pod keeps serving after it is marked for deletion, before SIGTERM (0: no preStop hook). */
  preStop?: number;
}

const scheduling = ({ grace, preStop }: SchedulingDefaults) => ({
  podAnnotations: f.map<string>({}, 'Extra annotations on the pods.', stringMap),
  nodeSelector: f.map<string>({}, 'Node labels the pods must land on.', stringMap),
  tolerations: f.list<unknown>(
    [],
    'Tolerations for tainted nodes (Kubernetes objects, passed through).',
    k8sObject,
  ),
  affinity: f.map<unknown>(
    {},
    'Extra affinity rules (a Kubernetes Affinity object), merged with the anti-affinity below and, on ' +
      'ReadWriteOnce storage, the co-location rule (docs/chart.md#scheduling).',
  ),
  podAntiAffinity: f.string(
    'soft',
    "Keep this component's pods on different nodes: `soft` prefers it, `hard` requires it, `none` does not " +
      'ask. Not applied on ReadWriteOnce storage, where every PVC-mounting pod must share one node.',
    { enum: ['soft', 'hard', 'none'] },
  ),
  topologySpread: f.object("Spread this component's pods across zones (a topologySpreadConstraint).", {
    enabled: f.boolean(true, 'Render the constraint.'),
    topologyKey: f.string('topology.kubernetes.io/zone', 'Node label that names the failure domain.', {
      minLength: 1,
    }),
    maxSkew: f.integer(1, 'Most pods one domain may have above another.', { minimum: 1 }),
    whenUnsatisfiable: f.string(
      'ScheduleAnyway',
      '`ScheduleAnyway` (a preference) or `DoNotSchedule` (a rule).',
      { enum: ['ScheduleAnyway', 'DoNotSchedule'] },
    ),
  }),
  priorityClassName: f.string('', 'PriorityClass of the pods; empty: the cluster default.'),
  terminationGracePeriodSeconds: f.integer(
    grace,
    'Seconds a pod has after SIGTERM to finish in-flight requests before it is killed.',
    { minimum: 0 },
  ),
  ...(preStop === undefined
    ? {}
    : {
        preStopSleepSeconds: f.integer(
          preStop,
          'Seconds a terminating pod keeps serving before SIGTERM, while Services and the tunnel stop ' +
            'sending it new requests (0: no preStop hook).',
          { minimum: 0 },
        ),
      }),
});

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

const probeFields = (timeout: number) => ({
  initialDelaySeconds: f.integer(5, 'Delay before the first liveness and readiness probe.', { minimum: 0 }),
  periodSeconds: f.integer(10, 'Seconds between probes.', { minimum: 1 }),
  timeoutSeconds: f.integer(timeout, 'Seconds one probe may take before it counts as failed.', {
    minimum: 1,
  }),
  failureThreshold: f.integer(3, 'Failures in a row before the pod is restarted (liveness) or unready.', {
    minimum: 1,
  }),
  startup: f.object(
    'Startup probe on the liveness path: liveness and readiness wait until it passes once, so a slow start ' +
      'is not taken for a hung process.',
    {
      periodSeconds: f.integer(5, 'Seconds between startup probes.', { minimum: 1 }),
      failureThreshold: f.integer(24, 'Failures before the pod is restarted (24 x 5 s = 2 minutes).', {
        minimum: 1,
      }),
    },
  ),
});

const probes = (timeout: number) =>
  f.object(
    'Startup and liveness (/healthz) and readiness (/readyz) probes on the http port (docs/chart.md#probes).',
    probeFields(timeout),
  );

const extraConfig = f.map<string>(
  {},
  'Extra non-secret environment variables for this component, added to its ConfigMap. Names of secret ' +
    'variables are refused here: secrets only ever travel in Secrets. UI_DEV_MODE is refused here and in ' +
    'secretEnv: the UI never runs without sign-in in a cluster.',
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
  'The router: the OpenAI/Anthropic-compatible gateway (docs/router.md).',
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
    probes: probes(3),
    securityContext: securityContext(1000),
    // A stream may last upstreamTimeoutMs (600 s): the grace period covers it plus the preStop delay.
    ...scheduling({ grace: 630, preStop: 10 }),
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
      classifierTimeoutPerKbMs: f.integer(
        80,
        "Added to classifierTimeoutMs per 1024 characters not yet classified, so an agent's long first " +
          'request gets time for its work while a short one still fails closed fast (docs/router.md#classifier-timeout).',
        { minimum: 0, maximum: 10000, env: 'CLASSIFIER_TIMEOUT_PER_KB_MS' },
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
      upstreamTimeoutMs: f.integer(
        600000,
        'Timeout for one upstream (Claude or ScalarLM) request; also how long a terminating pod lets ' +
          'streams finish, so terminationGracePeriodSeconds must cover it plus preStopSleepSeconds.',
        {
          minimum: 1,
          env: 'UPSTREAM_TIMEOUT_MS',
        },
      ),
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
        'Default Claude model until an admin picks another in the console (settings.json).',
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
      scalarlmMaxTokens: f.integer(
        4096,
        'Cap on max_tokens of a local request when ScalarLM /v1/models reports no max_model_len ' +
          '(docs/router.md#client-manners).',
        { minimum: 1, env: 'SCALARLM_MAX_TOKENS' },
      ),
      classificationCache: f.boolean(true, 'Cache classifications by a hash of the text.', {
        env: 'CLASSIFICATION_CACHE',
      }),
      classificationCacheSize: f.integer(10000, 'Entries in the classification cache.', {
        minimum: 1,
        env: 'CLASSIFICATION_CACHE_SIZE',
      }),
      classificationCacheTtlMs: f.integer(
        600000,
        'How long a cached classification lives (docs/router.md#routing-rules, "Classification cache").',
        { minimum: 1, env: 'CLASSIFICATION_CACHE_TTL_MS' },
      ),
      classificationCacheShared: f.boolean(
        true,
        'Share cached verdicts (hashes and scores, never text) with the other router pods through the data ' +
          "volume, so an agent's prompt is classified once per deployment (docs/router.md#routing-rules, " +
          '"Shared between pods").',
        { env: 'CLASSIFICATION_CACHE_SHARED' },
      ),
      usageRefreshMs: f.integer(
        1000,
        "How often each pod re-reads the other pods' usage ledgers; bounds how far pods can overrun a " +
          'daily token limit together (docs/router.md#limits-and-quotas).',
        { minimum: 1, env: 'USAGE_REFRESH_MS' },
      ),
      sessionTaintTtlMs: f.integer(
        86400000,
        'How long a conversation that went local stays pinned to the local brain (docs/router.md#session-taint).',
        { minimum: 1, env: 'SESSION_TAINT_TTL_MS' },
      ),
      auditRetentionDays: f.integer(
        0,
        'Audit days kept (today counts); older days are removed behind a signed checkpoint. 0 keeps every day.',
        { minimum: 0, env: 'AUDIT_RETENTION_DAYS' },
      ),
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
  'The classifier: MiniLM embeddings + trained head; no egress, never holds the Anthropic key (docs/classifier.md).',
  {
    ...appCommon(2),
    image: image('classifier', 'classifier (the model is baked in)'),
    resources: resources('500m', '1Gi', 2, '2Gi'),
    podDisruptionBudget: pdb(true, 'Off in the dev overlay (one replica).'),
    probes: probes(2),
    securityContext: securityContext(1000),
    ...scheduling({ grace: 30, preStop: 5 }),
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

export const uiValues = f.object('The operator console (docs/ui.md).', {
  ...appCommon(1),
  replicaCount: f.integer(
    1,
    'Number of pods. At most 1: the UI is the single writer of labels, limits, settings and its session ' +
      'database on the PVC; it is also rolled out with Recreate, never two pods at once (docs/chart.md).',
    { minimum: 0, maximum: 1 },
  ),
  image: image('ui', 'UI'),
  resources: resources('250m', '512Mi', 1, '1Gi'),
  podDisruptionBudget: pdb(false, 'Off by default: the UI runs a single pod, which a PDB would pin forever.'),
  probes: probes(2),
  securityContext: securityContext(1000),
  ...scheduling({ grace: 30, preStop: 5 }),
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
    scalarlmBaseUrl: f.string(
      '',
      "OpenAI-compatible base URL of ScalarLM for the console's question generator; empty: generation off, " +
        'questions are imported instead (docs/training.md#generated-questions). When set, also set ' +
        'ui.networkPolicy.scalarlm; the key comes from global.secrets.scalarlm.',
      { pattern: '^$|^https?://', env: 'SCALARLM_BASE_URL' },
    ),
    scalarlmModel: f.string(
      'auto',
      'Model the question generator asks: `auto` discovers it from ScalarLM /v1/models; or pin an id ' +
        '(docs/training.md#generated-questions).',
      { minLength: 1, env: 'SCALARLM_MODEL', envWhen: 'scalarlmBaseUrl' },
    ),
    logLevel: logLevel('LOG_LEVEL'),
  }),
  extraConfig,
  secretEnv,
  networkPolicy: f.object(
    'Egress beyond the classifier and DNS: to the identity providers when Google sign-in or Cloudflare ' +
      'Access is on (token exchange, JWKS), to ScalarLM when config.scalarlmBaseUrl is set.',
    {
      identityProviders: publicHttpsEgress('Google OAuth and Cloudflare Access'),
      scalarlm: f.object(
        'Egress to ScalarLM, only when config.scalarlmBaseUrl is set: peers and ports (Kubernetes ' +
          'NetworkPolicyPeer / NetworkPolicyPort objects), as for the router.',
        {
          to: f.list<unknown>([{ ipBlock: { cidr: '0.0.0.0/0' } }], 'Where ScalarLM is.', k8sObject),
          ports: f.list<unknown>([{ protocol: 'TCP', port: 443 }], 'Its ports.', k8sObject),
        },
      ),
      extraEgress,
    },
  ),
});

export const cloudflaredValues = f.object(
  'cloudflared in token mode: the only way in from outside (docs/chart.md#cloudflare-tunnel). No ConfigMap: ingress rules live in ' +
    'the Cloudflare dashboard.',
  {
    enabled: f.boolean(true, 'Deploy cloudflared.'),
    replicaCount: f.integer(2, 'Replicas; two so a pod restart does not drop the tunnel.', { minimum: 1 }),
    image: image('cloudflare/cloudflared', 'upstream cloudflared', 'docker.io'),
    resources: resources('100m', '128Mi', '500m', '256Mi'),
    podDisruptionBudget: pdb(true, 'Kept in every environment.'),
    probes: f.object('Startup, liveness and readiness on /ready of the metrics port (2000).', probeFields(2)),
    securityContext: securityContext(65532),
    ...scheduling({ grace: 630 }),
    drainSeconds: f.integer(
      600,
      'cloudflared --grace-period: how long a terminating replica lets in-flight requests (streams) finish. ' +
        'terminationGracePeriodSeconds must be above it.',
      { minimum: 0 },
    ),
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

const secretValue = (description: string) => f.string('', description, { pattern: SECRET_PATTERN });

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
    pullSecrets: f.list<string>(
      [],
      'Names of image pull Secrets, given to every pod (cloudflared and the helm test pod included).',
      { type: 'string', minLength: 1 },
    ),
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
      'ReadWriteMany lets PVC-mounting components scale (it needs an RWX storage class). ReadWriteOnce means ' +
        'one node: every PVC-mounting pod runs one replica and is scheduled next to the others ' +
        '(docs/chart.md#storage).',
      { enum: ACCESS_MODES },
    ),
    storageClassName: f.string(
      '',
      'Storage class. Required with ReadWriteMany (the default class is block storage on most clouds); ' +
        'empty with ReadWriteOnce: the cluster default.',
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
          'fixed names (anthropic-api-key, cloudflared-credentials, scalarlm-credentials, google-oauth, audit-hmac-key).',
      ),
      anthropic: f.object('Secret anthropic-api-key (key ANTHROPIC_API_KEY), for the router only.', {
        apiKey: secretValue('Anthropic API key (required in create mode when the router is enabled).'),
      }),
      scalarlm: f.object('Secret scalarlm-credentials (key SCALARLM_API_KEY), rendered only when set.', {
        apiKey: secretValue('ScalarLM API key; optional (ScalarLM without auth is valid).'),
      }),
      audit: f.object(
        'Secret audit-hmac-key (key AUDIT_HMAC_KEY), for the router only; rendered only when set.',
        {
          hmacKey: secretValue(
            'Makes the audit hash chain an HMAC (at least 32 characters, e.g. openssl rand -hex 32); optional.',
          ),
        },
      ),
      cloudflared: f.object('Secret cloudflared-credentials (key TUNNEL_TOKEN).', {
        tunnelToken: secretValue(
          'Tunnel token from the Cloudflare dashboard (required in create mode when cloudflared is enabled).',
        ),
      }),
      google: f.object(
        'Secret google-oauth (keys clientSecret, sessionSecret), when ui Google sign-in is on.',
        {
          clientSecret: secretValue('Google OAuth client secret.'),
          sessionSecret: secretValue(
            `Secret that signs UI sessions: at least ${SESSION_SECRET_MIN_LENGTH} random characters ` +
              '(e.g. `openssl rand -base64 48`).',
          ),
        },
      ),
    },
  ),
  networkPolicy: f.object('Default-deny NetworkPolicies with the allows listed in docs/chart.md.', {
    enabled: f.boolean(true, 'Render the default-deny policy and the per-component allows.'),
    metricsScrapers: f.list<unknown>(
      [],
      "Who may scrape /metrics (NetworkPolicyPeer objects, e.g. the Prometheus pods' namespace and labels): " +
        'each component then admits them on its metrics port (8080; cloudflared 2000).',
      k8sObject,
    ),
    dns: f.list<unknown>(
      [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      'Where cluster DNS runs (NetworkPolicyPeer objects); every pod may reach it on port 53.',
      k8sObject,
    ),
  }),
});

export const umbrellaValues = f.object('split-brain umbrella chart values.', {
  global: globalValues,
  deploy: f.object(
    'Which cluster this overlay belongs to: the wrong-cluster guards (docs/operator-cli.md).',
    {
      kubeContext: f.string(
        '',
        'The kube context this overlay must be deployed to; `sb deploy` refuses any other current context.',
      ),
      apiServer: f.string(
        '',
        'The API server URL of that cluster; `sb deploy` and `sb diff` refuse a context that points elsewhere.',
        { pattern: '^$|^https?://' },
      ),
      kubeSystemUid: f.string(
        '',
        "The uid of the cluster's kube-system namespace (kubectl get ns kube-system -o " +
          "jsonpath='{.metadata.uid}'). When set, every install or upgrade, plain Helm included, fails on " +
          'another cluster; offline renders (helm template, Argo CD) skip the check.',
      ),
      clusterCaSha256: f.string(
        '',
        "sha256 of the cluster's root CA as every namespace sees it (kubectl get configmap kube-root-ca.crt " +
          "-o jsonpath='{.data.ca\\.crt}' | sha256sum). When set, a pre-install/pre-upgrade hook Job (an Argo " +
          'CD PreSync hook) fails on any other cluster before anything else is applied: the guard that also ' +
          'holds under Argo CD, which does not run lookup.',
        { pattern: '^$|^[0-9a-f]{64}$' },
      ),
      namespace: f.string('split-brain', 'Namespace the CLI installs into.', { minLength: 1 }),
      release: f.string('split-brain', 'Release name the CLI uses.', { minLength: 1 }),
    },
  ),
  namespace: f.object('The namespace object itself.', {
    create: f.boolean(
      false,
      'Render the release namespace with Pod Security "restricted" labels. Leave false when using ' +
        '`helm install --create-namespace` or when the namespace is managed elsewhere.',
    ),
  }),
  tests: f.object('The `helm test` hook: a pod that checks every Service answers its readiness probe.', {
    enabled: f.boolean(true, 'Render the test pod.'),
    nodeSelector: f.map<string>(
      {},
      "Node labels the chart's hook pods (this test pod, the cluster check) must land on.",
      stringMap,
    ),
    tolerations: f.list<unknown>([], "Tolerations of the chart's hook pods (Kubernetes objects).", k8sObject),
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
