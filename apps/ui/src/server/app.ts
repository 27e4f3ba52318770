import type { UiConfig } from '@split-brain/config';
import { createLogger, createServiceApp, type Logger, Metrics } from '@split-brain/http';
import type { Store } from '@split-brain/store';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { JWTVerifyGetKey } from 'jose';
import { limitsRoutes, settingsRoutes } from './api/admin-files.ts';
import { auditVerificationRoutes } from './api/audit-verification.ts';
import { documentRoutes } from './api/documents.ts';
import { headRoutes } from './api/heads.ts';
import { labelRoutes } from './api/labels.ts';
import { pinRoutes } from './api/pins.ts';
import { probeRoutes } from './api/probe.ts';
import { requestRoutes } from './api/requests.ts';
import { tokenRoutes } from './api/tokens.ts';
import { trainingRoutes } from './api/training.ts';
import { usageRoutes } from './api/usage.ts';
import { cloudflareAccessVerifier } from './auth/cloudflare-access.ts';
import { CSRF_HEADER, csrfTokens } from './auth/csrf.ts';
import { type GoogleEndpoints, googleSignIn } from './auth/google-sign-in.ts';
import { openSessions, SESSION_COOKIE, type Sessions } from './auth/session-db.ts';
import {
  type AuthEnv,
  cloudflareLayer,
  csrfLayer,
  identityLayer,
  type SignInLayers,
} from './auth/sign-in-layers.ts';
import { API_ROUTES, roleLayer } from './auth/route-roles.ts';
import { signInRoutes } from './auth/sign-in-routes.ts';
import { type ClassifierClient, classifierClient } from './classifier-client.ts';
import { mountStaticFiles } from './static-files.ts';
import { type Trainer, TrainingJobs } from './training/jobs.ts';
import { QuestionJobs } from './training/question-jobs.ts';
import { storeTrainer } from './training/store-trainer.ts';

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface UiAppOptions {
  config: UiConfig;
  store: Store;
  logger?: Logger;
  metrics?: Metrics;
  classifier?: ClassifierClient;
  /** Stand-ins for Cloudflare's and Google's published endpoints (tests, local identity providers). */
  cloudflareJwks?: JWTVerifyGetKey;
  googleEndpoints?: GoogleEndpoints;
  maxUploadBytes?: number;
  /** How long one Requests page may scan a selective filter before answering with what it found. */
  requestScanBudgetMs?: number;
  /** Cookies carry Secure unless turned off here (plain-HTTP local runs in browsers that insist). */
  secureCookies?: boolean;
  /** Defaults to the training library through the configured classifier; null turns training off. */
  trainer?: Trainer | null;
  /** The built SPA; undefined serves no pages (API only). */
  staticDir?: string;
}

/** The console: sign-in layers, the JSON API under /api, sign-in under /auth, and the built SPA. */
export function createUiApp(options: UiAppOptions) {
  const { config, store } = options;
  const logger = options.logger ?? createLogger('ui', config.logLevel);
  const metrics = options.metrics ?? new Metrics('ui');
  const classifier = options.classifier ?? classifierClient(config.classifierUrl);
  const secureCookies = options.secureCookies ?? true;
  const sessions: Sessions | undefined =
    config.google && !config.devMode
      ? openSessions({
          databaseFile: store.paths.uiDatabaseFile,
          maxAgeDays: config.sessionMaxAgeDays,
          secureCookies,
        })
      : undefined;
  const layers: SignInLayers = {
    devMode: config.devMode,
    lists: {
      allowedDomains: config.allowedDomains,
      allowedEmails: config.allowedEmails,
      adminEmails: config.adminEmails,
    },
    cloudflare: config.cloudflare
      ? cloudflareAccessVerifier({ ...config.cloudflare, jwks: options.cloudflareJwks })
      : undefined,
    google:
      config.google && sessions
        ? {
            flow: googleSignIn({
              ...config.google,
              endpoints: options.googleEndpoints,
              hostedDomainHint: config.allowedDomains.length === 1 ? config.allowedDomains[0] : undefined,
            }),
            sessions,
          }
        : undefined,
    // Without Google there is no configured secret; a per-process one only means a restart asks the SPA
    // to fetch a fresh token.
    csrf: csrfTokens(config.google?.sessionSecret ?? crypto.randomUUID() + crypto.randomUUID()),
    secureCookies,
  };
  const trainer =
    options.trainer === null ? undefined : (options.trainer ?? storeTrainer(classifier.baseUrl));
  const training = new TrainingJobs({ store, trainer, logger });
  const questionJobs = new QuestionJobs({ store, scalarlm: config.scalarlm, logger });

  const app = createServiceApp({
    service: 'ui',
    logger,
    metrics,
    ready: async () => {
      const writable = await Bun.write(`${store.paths.uiDir}/.ready-probe`, String(Date.now()))
        .then(() => true)
        .catch(() => false);
      return { ready: writable, checks: { store: writable } };
    },
  }) as unknown as Hono<AuthEnv>;

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      strictTransportSecurity: secureCookies ? 'max-age=31536000' : false,
      // The console is never framed, not even by itself (docs/ui.md).
      xFrameOptions: 'DENY',
    }),
  );
  app.use('*', cloudflareLayer(layers));
  app.route('/auth', signInRoutes(layers));

  const api = new Hono<AuthEnv>();
  api.use('*', identityLayer(layers));
  api.use('*', csrfLayer(layers));
  // Roles come from one table (auth/route-roles.ts), checked here for every API route.
  api.use('*', roleLayer(API_ROUTES));
  api.get('/me', (c) => {
    const me = c.get('identity');
    return c.json({
      email: me.email,
      admin: me.admin,
      via: me.via,
      devMode: config.devMode,
      csrfToken: layers.csrf.issue(me.csrfKey),
      csrfHeader: CSRF_HEADER,
      maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    });
  });
  api.post('/session/logout', async (c) => {
    const me = c.get('identity');
    if (me.sessionId && sessions) {
      await sessions.signOut(me.sessionId);
      c.header('set-cookie', sessions.lucia.createBlankSessionCookie().serialize(), { append: true });
    }
    return c.json({ signedOut: me.via === 'google', cookie: SESSION_COOKIE });
  });
  api.route('/tokens', tokenRoutes(store));
  api.route('/requests', requestRoutes(store, { scanBudgetMs: options.requestScanBudgetMs }));
  api.route('/labels', labelRoutes(store));
  api.route('/documents', documentRoutes(store, options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES));
  api.route(
    '/training',
    trainingRoutes({ jobs: training, questions: questionJobs, store, classifierUrl: classifier.baseUrl }),
  );
  api.route('/heads', headRoutes(store, classifier));
  api.route('/probe', probeRoutes(store, classifier));
  api.route('/usage', usageRoutes(store));
  api.route('/limits', limitsRoutes(store));
  api.route('/settings', settingsRoutes(store));
  api.route('/pins', pinRoutes(store));
  api.route('/audit-verification', auditVerificationRoutes(store));
  api.all('*', (c) =>
    c.json({ error: { type: 'not_found_error', message: `no API ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.route('/api', api);

  if (options.staticDir) mountStaticFiles(app, options.staticDir);

  return {
    app,
    training,
    sessions,
    close() {
      training.cancelAll();
      questionJobs.cancel();
      sessions?.close();
    },
  };
}
