import type { RouterConfig } from '@split-brain/config';
import { createLogger, type Logger, Metrics, serve } from '@split-brain/http';
import { openStore, SharedVerdicts } from '@split-brain/store';
import { AuditMaintenance } from './audit-maintenance.ts';
import { AuditRecorder } from './audit-recorder.ts';
import { Authenticator } from './auth.ts';
import { ClassificationCache } from './classification-cache.ts';
import { followClassifierBasis, sharedVerdictsId } from './classifier-basis.ts';
import { ClassifierClient } from './classifier-client.ts';
import { LocalModels } from './local-models.ts';
import type { RouterDeps } from './model-request.ts';
import { QuotaGate } from './quota.ts';
import { createRouterApp } from './router-app.ts';
import { createRouterMetrics } from './router-metrics.ts';
import { RoutingPolicy } from './routing-decision.ts';
import { SessionTaint } from './session-taint.ts';
import { opaqueUserIds } from './user-id.ts';

/** How often settings.json and limits.json are re-checked (a stat, cheap), so changes apply within seconds. */
const LIVE_FILE_POLL_MS = 1000;
/** How often each pod reads the taint the other pods appended (the bound on taint propagation). */
const TAINT_POLL_MS = 1000;

/** Builds the router from its config: store, auth, classifier client, policy, quota and the HTTP app. */
export async function createRouter(
  config: RouterConfig,
  options: {
    logger?: Logger;
    fetchImpl?: typeof fetch;
    /**
     * Check every audit and usage record against its schema when appending. The records are built by typed
     * code, so production skips the check on the hot path (readers still validate each line); tests turn it
     * on so a record that does not fit fails where it is written.
     */
    validateRecords?: boolean;
  } = {},
) {
  const validate = options.validateRecords ?? false;
  const logger = options.logger ?? createLogger('router', config.logLevel, { pod: config.podName });
  const onProblem = (problem: { path: string; message: string }) => logger.error('store problem', problem);
  const store = openStore(config.dataDir, { onProblem });
  const metrics = new Metrics('split_brain');
  const routerMetrics = createRouterMetrics(metrics);
  await store.settings.follow(LIVE_FILE_POLL_MS);
  await store.limits.follow(LIVE_FILE_POLL_MS);
  await store.pins.file.follow(LIVE_FILE_POLL_MS);
  const quota = new QuotaGate(
    store.usage,
    config.podName,
    store.usage.writer(config.podName, { validate }),
    store.limits,
    config.usageRefreshMs,
    Date.now,
    (error) => logger.error('usage write failed', { error: String(error) }),
  );
  await quota.start();
  const localModels = new LocalModels(
    config.scalarlm.baseUrl,
    config.scalarlm.model,
    config.scalarlm.apiKey ? { authorization: `Bearer ${config.scalarlm.apiKey}` } : {},
    options.fetchImpl,
  );
  void localModels.refresh();
  const cache = config.classificationCache.enabled
    ? new ClassificationCache(config.classificationCache.size, config.classificationCache.ttlMs)
    : undefined;
  const shared =
    cache && config.classificationCache.shared
      ? new SharedVerdicts(store.paths, config.podName, onProblem)
      : undefined;
  const classifier = new ClassifierClient(
    config.classifier.url,
    { baseMs: config.classifier.timeoutMs, perKbMs: config.classifier.timeoutPerKbMs },
    cache,
    options.fetchImpl,
    (key, verdict, basis) => {
      const id = sharedVerdictsId(basis);
      if (id !== null) shared?.append(id, { k: key, s: verdict.score, kw: verdict.keywords });
    },
  );
  // The classifier's head and keyword list (the cache is emptied when either changes), and with sharing on,
  // the verdicts other pods learned under them.
  const stopBasis = cache
    ? followClassifierBasis(
        config.classifier.url,
        cache,
        LIVE_FILE_POLL_MS,
        shared ? { verdicts: shared, logger } : undefined,
      )
    : () => {};
  const inflight = { count: 0 };
  const taintWriter = store.taint.writer(config.podName);
  const taint = new SessionTaint(config.sessionTaintTtlMs, undefined, Date.now, (entries) => {
    try {
      taintWriter.append(entries);
    } catch (error) {
      logger.error('taint write failed', { error: String(error) });
    }
  });
  // The other pods' taint, read every second: the propagation bound in docs/router.md.
  const followTaint = async () => {
    try {
      taint.absorb(await store.taint.readNew());
    } catch (error) {
      logger.error('taint read failed', { error: String(error) });
    }
  };
  await followTaint();
  const taintTimer = setInterval(() => void followTaint(), TAINT_POLL_MS);
  taintTimer.unref?.();
  const deps: RouterDeps = {
    config,
    store,
    auth: new Authenticator(store.tokens, config.tokenCacheTtlMs, (error) =>
      logger.warn('could not record token last use', { error: String(error) }),
    ),
    policy: new RoutingPolicy(
      classifier,
      taint,
      // settings.json's threshold (the console's Settings), followed live; else CLASSIFIER_THRESHOLD.
      () => store.settings.get().classifierThreshold ?? config.classifier.threshold,
      config.classifier.failMode,
      routerMetrics,
      (hash) => store.pins.verdictFor(hash),
    ),
    quota,
    localModels,
    audit: new AuditRecorder(
      store.audit.writer(config.podName, {
        validate,
        key: config.audit.hmacKey,
        onHeadError: (error) => logger.warn('audit head write failed', { error: String(error) }),
      }),
      (error) => logger.error('audit write failed', { error: String(error) }),
    ),
    metrics: routerMetrics,
    logger,
    inflight,
    opaqueUserId: opaqueUserIds(store.paths.userIdSaltFile),
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
  };
  const app = createRouterApp(deps, { logger, metrics });
  const auditMaintenance = new AuditMaintenance(store, config.audit, config.podName, logger);
  auditMaintenance.start();
  const close = () => {
    auditMaintenance.stop();
    store.settings.stop();
    store.limits.stop();
    store.pins.file.stop();
    shared?.close();
    quota.stop();
    deps.audit.close();
    stopBasis();
    clearInterval(taintTimer);
    taintWriter.close();
  };
  return { app, deps, logger, close, auditMaintenance };
}

export type Router = Awaited<ReturnType<typeof createRouter>>;

/** Starts the router on its port with graceful shutdown; the body limit leaves room for the dialect 413. */
export function serveRouter(router: Router, port: number, hostname?: string) {
  return serve(router.app, {
    port,
    hostname,
    logger: router.logger,
    maxRequestBodySize: router.deps.config.maxBodyBytes * 2 + 1024 * 1024,
    // A stream may run as long as the upstream timeout; SIGTERM lets it finish (the chart's grace period
    // covers this plus the preStop delay), so a rollout or scale-down does not cut it.
    drainTimeoutMs: router.deps.config.upstreamTimeoutMs,
    onShutdown: () => router.close(),
  });
}
