import { z } from 'zod';
import {
  boolFlag,
  csvList,
  httpUrl,
  listenHost,
  optionalString,
  optionalUrl,
  port,
  positiveInt,
} from './env-schema.ts';
import { type EnvSource, parseEnv } from './load.ts';

/** The operator console's environment (SPEC section 5). */
export const uiEnvSchema = z
  .object({
    PORT: port(8080),
    HOST: listenHost,
    SPLIT_BRAIN_DATA_DIR: z.string().min(1).default('/var/split-brain'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    CLASSIFIER_URL: httpUrl,
    UI_DEV_MODE: boolFlag(false),
    CF_TEAM_DOMAIN: optionalString,
    CF_JWT_AUDIENCE: optionalString,
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    SESSION_SECRET: optionalString,
    OAUTH_REDIRECT_URL: optionalUrl,
    ALLOWED_DOMAINS: csvList,
    ALLOWED_EMAILS: csvList,
    ADMIN_EMAILS: csvList,
    SESSION_MAX_AGE_DAYS: positiveInt(7),
    /** Where the built single-page app lives; the image puts it next to the server. */
    UI_STATIC_DIR: optionalString,
    /** ScalarLM for generating training questions (optional; without it the console only imports them). */
    SCALARLM_BASE_URL: optionalUrl,
    SCALARLM_MODEL: optionalString,
    SCALARLM_API_KEY: optionalString,
  })
  .superRefine((e, ctx) => {
    if ((e.CF_TEAM_DOMAIN === undefined) !== (e.CF_JWT_AUDIENCE === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [e.CF_TEAM_DOMAIN === undefined ? 'CF_TEAM_DOMAIN' : 'CF_JWT_AUDIENCE'],
        message: 'Cloudflare Access needs both CF_TEAM_DOMAIN and CF_JWT_AUDIENCE',
      });
    }
    if (e.GOOGLE_CLIENT_ID !== undefined) {
      for (const name of ['GOOGLE_CLIENT_SECRET', 'SESSION_SECRET', 'OAUTH_REDIRECT_URL'] as const) {
        if (e[name] === undefined) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'required when GOOGLE_CLIENT_ID is set' });
        }
      }
    }
    // Dev mode names everyone the dev user, an admin: beside a real sign-in layer or an allow-list it would
    // silently switch them off, so the two together are a configuration mistake, not a precedence rule.
    if (e.UI_DEV_MODE) {
      const real = (
        ['GOOGLE_CLIENT_ID', 'CF_TEAM_DOMAIN', 'ALLOWED_DOMAINS', 'ALLOWED_EMAILS'] as const
      ).filter((name) => (Array.isArray(e[name]) ? e[name].length > 0 : e[name] !== undefined));
      for (const name of real) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            'UI_DEV_MODE=true would switch this sign-in setting off (everyone becomes the dev admin); unset UI_DEV_MODE, or remove this for a local run',
        });
      }
    }
    if (!e.UI_DEV_MODE && e.GOOGLE_CLIENT_ID === undefined && e.CF_TEAM_DOMAIN === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['UI_DEV_MODE'],
        message:
          'no sign-in is configured: set GOOGLE_CLIENT_ID, or CF_TEAM_DOMAIN, or UI_DEV_MODE=true (local only)',
      });
    }
  });

export type UiEnv = z.output<typeof uiEnvSchema>;

export interface UiConfig {
  port: number;
  host: string;
  dataDir: string;
  logLevel: UiEnv['LOG_LEVEL'];
  classifierUrl: string;
  devMode: boolean;
  cloudflare: { teamDomain: string; audience: string } | undefined;
  google: { clientId: string; clientSecret: string; sessionSecret: string; redirectUrl: string } | undefined;
  allowedDomains: string[];
  allowedEmails: string[];
  adminEmails: string[];
  sessionMaxAgeDays: number;
  staticDir: string | undefined;
  /** The local brain that writes training questions; undefined turns generation off. */
  scalarlm: { baseUrl: string; model: string; apiKey: string | undefined } | undefined;
}

export function loadUiConfig(env: EnvSource): UiConfig {
  const e = parseEnv('ui', uiEnvSchema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.SPLIT_BRAIN_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    classifierUrl: e.CLASSIFIER_URL.replace(/\/+$/, ''),
    devMode: e.UI_DEV_MODE,
    cloudflare:
      e.CF_TEAM_DOMAIN && e.CF_JWT_AUDIENCE
        ? { teamDomain: e.CF_TEAM_DOMAIN, audience: e.CF_JWT_AUDIENCE }
        : undefined,
    google:
      e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET && e.SESSION_SECRET && e.OAUTH_REDIRECT_URL
        ? {
            clientId: e.GOOGLE_CLIENT_ID,
            clientSecret: e.GOOGLE_CLIENT_SECRET,
            sessionSecret: e.SESSION_SECRET,
            redirectUrl: e.OAUTH_REDIRECT_URL,
          }
        : undefined,
    allowedDomains: e.ALLOWED_DOMAINS.map((d) => d.toLowerCase()),
    allowedEmails: e.ALLOWED_EMAILS.map((d) => d.toLowerCase()),
    adminEmails: e.ADMIN_EMAILS.map((d) => d.toLowerCase()),
    sessionMaxAgeDays: e.SESSION_MAX_AGE_DAYS,
    staticDir: e.UI_STATIC_DIR,
    scalarlm: e.SCALARLM_BASE_URL
      ? {
          baseUrl: e.SCALARLM_BASE_URL.replace(/\/+$/, ''),
          // 'auto' (or unset): the first model ScalarLM serves, as the router's SCALARLM_MODEL=auto does.
          model: e.SCALARLM_MODEL ?? 'auto',
          apiKey: e.SCALARLM_API_KEY,
        }
      : undefined,
  };
}
