import { access, constants } from 'node:fs/promises';
import { createServiceApp, type Logger, type Metrics } from '@split-brain/http';
import { errorResponse, WireError } from '@split-brain/wire';
import { dialectOfPath } from './dialect.ts';
import { handleModelRequest, type RouterDeps } from './model-request.ts';
import { modelList } from './models-endpoint.ts';

/** The router's HTTP surface (SPEC section 3) on the shared service app. */
export function createRouterApp(deps: RouterDeps, options: { logger: Logger; metrics: Metrics }) {
  const app = createServiceApp({
    service: 'router',
    logger: options.logger,
    metrics: options.metrics,
    ready: () => readiness(deps),
    formatError: (error, path) => {
      const dialect = dialectOfPath(path);
      const { status, body } = errorResponse(
        new WireError(error.status, kindOf(error.type), error.message),
        dialect,
      );
      return { status, body };
    },
  });

  // What Claude Code and other clients probe before the first call (see docs/router.md).
  app.get('/', (c) => c.json({ service: 'split-brain-router' }));
  app.get('/api/hello', (c) => c.json({ ok: true }));
  app.post('/api/event_logging/batch', async (c) => {
    await c.req.raw.body?.cancel().catch(() => {});
    return c.json({}); // client telemetry is accepted and discarded
  });

  app.post('/v1/chat/completions', (c) => handleModelRequest(deps, 'chat', c.req.raw, c.get('requestId')));
  app.post('/v1/messages', (c) => handleModelRequest(deps, 'messages', c.req.raw, c.get('requestId')));
  app.post('/v1/messages/count_tokens', (c) =>
    handleModelRequest(deps, 'count_tokens', c.req.raw, c.get('requestId')),
  );
  app.get('/v1/models', (c) => modelList(deps, c.req.raw, c.get('requestId')));
  app.get('/v1/models/:id', (c) => modelList(deps, c.req.raw, c.get('requestId'), c.req.param('id')));
  return app;
}

function kindOf(type: string) {
  if (type === 'not_found_error') return 'not_found' as const;
  if (type === 'invalid_request_error') return 'invalid_request' as const;
  return 'api_error' as const;
}

/** How long readiness waits for the classifier's own /readyz: well inside any probe timeout. */
const CLASSIFIER_CHECK_MS = 500;

/**
 * Ready = the store is writable. The classifier's state is reported in the body but never decides: when it
 * is down, slow or has no head, every request fails closed to the local brain (or is refused, by config), so
 * taking the router out of its Service would only turn that into a connection error for every client.
 */
async function readiness(deps: RouterDeps) {
  const checks: Record<string, unknown> = {};
  try {
    await access(deps.store.paths.root, constants.W_OK);
    checks.store = 'writable';
  } catch {
    checks.store = 'not writable';
  }
  try {
    const response = await fetch(`${deps.config.classifier.url}/readyz`, {
      signal: AbortSignal.timeout(CLASSIFIER_CHECK_MS),
    });
    checks.classifier = response.ok ? 'ready' : `HTTP ${response.status}`;
  } catch (error) {
    checks.classifier = (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
  }
  if (checks.classifier !== 'ready') checks.routing = `fail-closed (${deps.config.classifier.failMode})`;
  return { ready: checks.store === 'writable', checks };
}
