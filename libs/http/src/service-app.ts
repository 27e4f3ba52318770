import { Hono } from 'hono';
import { ClientError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { CounterSeries, HistogramSeries, Metrics } from './metrics.ts';

export type ReadyCheck = () => Promise<{ ready: boolean; checks: Record<string, unknown> }>;

export interface ServiceVariables {
  requestId: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A Hono app with what every split-brain service shares: request ids, an access log, the health, readiness
 * and metrics endpoints, and one error path that answers JSON and never leaks a stack trace.
 * `formatError` lets a service answer in its callers' dialect.
 */
export function createServiceApp(options: {
  service: string;
  logger: Logger;
  metrics: Metrics;
  ready: ReadyCheck;
  formatError?: (error: ClientError, path: string) => { body: unknown; status: number };
}) {
  const app = new Hono<{ Variables: ServiceVariables }>();
  const requests = options.metrics.counter(
    'http_requests_total',
    'HTTP requests by method, path and status.',
  );
  const duration = options.metrics.histogram('http_request_duration_seconds', 'HTTP request duration.');
  // Bound series per method, status and route, so a request pays one lookup rather than two label keys.
  const bound = new Map<string, { requests: CounterSeries; duration: HistogramSeries }>();
  const seriesFor = (method: string, path: string, status: number) => {
    const key = `${status} ${method} ${path}`;
    let series = bound.get(key);
    if (!series) {
      series = {
        requests: requests.labelled({ method, path, status: String(status) }),
        duration: duration.labelled({ path }),
      };
      if (bound.size < 1000) bound.set(key, series); // methods come from clients: keep the map bounded
    }
    return series;
  };
  const format =
    options.formatError ??
    ((error: ClientError) => ({
      body: { error: { type: error.type, message: error.message } },
      status: error.status,
    }));

  const debug = options.logger.enabled('debug');
  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    const start = performance.now();
    await next();
    // Setting a header on a finished response copies it; handlers that already set the id skip that.
    if (c.res.headers.get('x-request-id') !== requestId) c.header('x-request-id', requestId);
    const path = routePath(c.req.routePath, c.req.path);
    const series = seriesFor(c.req.method, path, c.res.status);
    series.requests.inc();
    series.duration.observe((performance.now() - start) / 1000);
    if (debug && path !== '/healthz' && path !== '/readyz' && path !== '/metrics') {
      options.logger.debug('request', {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
      });
    }
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', service: options.service }));
  app.get('/readyz', async (c) => {
    const result = await options.ready().catch((error: unknown) => ({
      ready: false,
      checks: { error: error instanceof Error ? error.message : String(error) },
    }));
    return c.json(
      { status: result.ready ? 'ready' : 'not ready', ...result.checks },
      result.ready ? 200 : 503,
    );
  });
  app.get('/metrics', (c) =>
    c.body(options.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );

  app.onError((error, c) => {
    if (error instanceof ClientError) {
      const { body, status } = format(error, c.req.path);
      for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
      c.header('x-request-id', c.get('requestId'));
      return c.json(body, status as 400);
    }
    options.logger.error('unhandled error', {
      requestId: c.get('requestId'),
      path: c.req.path,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    const { body, status } = format(
      new ClientError(500, 'api_error', 'internal error; the request id names it in the logs'),
      c.req.path,
    );
    c.header('x-request-id', c.get('requestId'));
    return c.json(body, status as 500);
  });
  app.notFound((c) => {
    const { body, status } = format(
      new ClientError(404, 'not_found_error', `no route for ${c.req.method} ${c.req.path}`),
      c.req.path,
    );
    return c.json(body, status as 404);
  });
  return app;
}

/** The matched route pattern keeps metric label cardinality bounded; unmatched paths share one label. */
function routePath(pattern: string | undefined, path: string): string {
  if (pattern && pattern !== '/*' && pattern !== '*') return pattern;
  return ['/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
}
