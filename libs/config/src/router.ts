import { hostname } from 'node:os';
import { z } from 'zod';
import {
  boolFlag,
  httpUrl,
  listenHost,
  optionalString,
  optionalUrl,
  port,
  positiveInt,
  requiredString,
} from './env-schema.ts';
import { type EnvSource, parseEnv } from './load.ts';

/** The router's environment (SPEC section 3), keyed by variable name. The chart's contract test reads it. */
export const routerEnvSchema = z.object({
  PORT: port(8080),
  HOST: listenHost,
  SPLIT_BRAIN_DATA_DIR: z.string().min(1).default('/var/split-brain'),
  POD_NAME: optionalString,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CLASSIFIER_URL: httpUrl,
  CLASSIFIER_THRESHOLD: z.coerce.number().min(0).max(1).default(0.4),
  CLASSIFIER_TIMEOUT_MS: positiveInt(1500),
  /**
   * Added to CLASSIFIER_TIMEOUT_MS per 1024 characters of text not yet classified, so an agent's 70 KB first
   * request gets time in proportion to its work while a short prompt still fails closed after the base.
   */
  CLASSIFIER_TIMEOUT_PER_KB_MS: z.coerce.number().int().min(0).max(10_000).default(80),
  /** What a request gets when the classifier cannot decide: the local brain, or a refusal. Never Claude. */
  CLASSIFIER_FAIL_MODE: z.enum(['local', 'refuse']).default('local'),
  MAX_INFLIGHT: positiveInt(256),
  MAX_BODY_BYTES: positiveInt(8 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: positiveInt(600_000),
  TOKEN_CACHE_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(5000),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
  ANTHROPIC_API_KEY: requiredString('the Anthropic API key (from the anthropic-api-key Secret)'),
  ANTHROPIC_BASE_URL: optionalUrl,
  SCALARLM_BASE_URL: httpUrl,
  SCALARLM_MODEL: z.string().min(1).default('auto'),
  SCALARLM_API_KEY: optionalString,
  /** The most output tokens a local request may ask for when ScalarLM's /v1/models reports no max_model_len. */
  SCALARLM_MAX_TOKENS: positiveInt(4096),
  CLASSIFICATION_CACHE: boolFlag(true),
  CLASSIFICATION_CACHE_SIZE: positiveInt(10_000),
  CLASSIFICATION_CACHE_TTL_MS: positiveInt(600_000),
  /** Share cached verdicts with the other router pods through the data volume (verdicts/<head>/<pod>.jsonl). */
  CLASSIFICATION_CACHE_SHARED: boolFlag(true),
  ANTHROPIC_PROMPT_CACHING: boolFlag(true),
  /** How often each pod re-reads the other pods' usage ledgers (users near their limit re-read at once). */
  USAGE_REFRESH_MS: positiveInt(1000),
  /** How long a conversation that went local stays pinned to the local brain (session taint). */
  SESSION_TAINT_TTL_MS: positiveInt(24 * 3600 * 1000),
  /**
   * What a request holding content the classifier cannot read (images, audio, files by id, URLs, PDFs
   * without a text layer) gets: the local brain, or a 400 refusal. Never Claude.
   */
  OPAQUE_CONTENT: z.enum(['local', 'refuse']).default('local'),
  /** Makes the audit hash chain an HMAC (docs/store.md). From a Secret only; never logged. */
  AUDIT_HMAC_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'AUDIT_HMAC_KEY must be at least 32 characters (e.g. openssl rand -hex 32), or unset',
  }),
  /** Audit day folders older than this many days (today counts as one) are removed, behind a checkpoint; 0 keeps all. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).optional(),
});

export type RouterEnv = z.output<typeof routerEnvSchema>;

export interface RouterConfig {
  port: number;
  host: string;
  dataDir: string;
  podName: string;
  logLevel: RouterEnv['LOG_LEVEL'];
  classifier: {
    url: string;
    threshold: number;
    timeoutMs: number;
    timeoutPerKbMs: number;
    failMode: 'local' | 'refuse';
  };
  maxInflight: number;
  maxBodyBytes: number;
  upstreamTimeoutMs: number;
  opaqueContent: 'local' | 'refuse';
  tokenCacheTtlMs: number;
  anthropic: { model: string; apiKey: string; baseUrl: string | undefined; promptCaching: boolean };
  scalarlm: { baseUrl: string; model: string; apiKey: string | undefined; maxTokens: number };
  classificationCache: { enabled: boolean; size: number; ttlMs: number; shared: boolean };
  usageRefreshMs: number;
  sessionTaintTtlMs: number;
  /** hmacKey: AUDIT_HMAC_KEY; retentionDays: undefined keeps every day. */
  audit: AuditConfig;
}

export interface AuditConfig {
  hmacKey: string | undefined;
  retentionDays: number | undefined;
}

export function loadRouterConfig(env: EnvSource): RouterConfig {
  const e = parseEnv('router', routerEnvSchema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.SPLIT_BRAIN_DATA_DIR,
    podName: e.POD_NAME ?? hostname(),
    logLevel: e.LOG_LEVEL,
    classifier: {
      url: e.CLASSIFIER_URL.replace(/\/+$/, ''),
      threshold: e.CLASSIFIER_THRESHOLD,
      timeoutMs: e.CLASSIFIER_TIMEOUT_MS,
      timeoutPerKbMs: e.CLASSIFIER_TIMEOUT_PER_KB_MS,
      failMode: e.CLASSIFIER_FAIL_MODE,
    },
    maxInflight: e.MAX_INFLIGHT,
    maxBodyBytes: e.MAX_BODY_BYTES,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    opaqueContent: e.OPAQUE_CONTENT,
    tokenCacheTtlMs: e.TOKEN_CACHE_TTL_MS,
    anthropic: {
      model: e.ANTHROPIC_MODEL,
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL?.replace(/\/+$/, ''),
      promptCaching: e.ANTHROPIC_PROMPT_CACHING,
    },
    scalarlm: {
      baseUrl: e.SCALARLM_BASE_URL.replace(/\/+$/, ''),
      model: e.SCALARLM_MODEL,
      apiKey: e.SCALARLM_API_KEY,
      maxTokens: e.SCALARLM_MAX_TOKENS,
    },
    classificationCache: {
      enabled: e.CLASSIFICATION_CACHE,
      size: e.CLASSIFICATION_CACHE_SIZE,
      ttlMs: e.CLASSIFICATION_CACHE_TTL_MS,
      shared: e.CLASSIFICATION_CACHE_SHARED,
    },
    usageRefreshMs: e.USAGE_REFRESH_MS,
    sessionTaintTtlMs: e.SESSION_TAINT_TTL_MS,
    audit: { hmacKey: e.AUDIT_HMAC_KEY, retentionDays: e.AUDIT_RETENTION_DAYS || undefined },
  };
}

/** The data folder and the audit key, for `bun run audit` (run where the router's Secret is mounted). */
export function loadRouterAuditTools(env: EnvSource): { dataDir: string; hmacKey: string | undefined } {
  const e = parseEnv(
    'router',
    routerEnvSchema.pick({ SPLIT_BRAIN_DATA_DIR: true, AUDIT_HMAC_KEY: true }),
    env,
  );
  return { dataDir: e.SPLIT_BRAIN_DATA_DIR, hmacKey: e.AUDIT_HMAC_KEY };
}

/** The data folder alone, for the router's operator tools (the token CLI) that need no upstreams. */
export function loadRouterDataDir(env: EnvSource): string {
  return parseEnv('router', routerEnvSchema.pick({ SPLIT_BRAIN_DATA_DIR: true }), env).SPLIT_BRAIN_DATA_DIR;
}
