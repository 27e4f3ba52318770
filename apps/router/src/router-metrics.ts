import type { CounterSeries, HistogramSeries, Metrics } from '@split-brain/http';

const timingBuckets = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** The series one finished model request touches, bound once per route and client dialect. */
export interface RequestSeries {
  latency: HistogramSeries;
  ttfb: HistogramSeries;
  status(status: number): CounterSeries;
}

/** The router's Prometheus series (SPEC section 3), registered once per process. */
export function createRouterMetrics(metrics: Metrics) {
  const m = {
    requests: metrics.counter('router_requests_total', 'Model requests by route, client dialect and status.'),
    latency: metrics.histogram(
      'router_request_duration_seconds',
      'Model request duration, to the end of the response body.',
      timingBuckets,
    ),
    ttfb: metrics.histogram(
      'router_time_to_first_byte_seconds',
      'Time from request to the first response byte sent to the client.',
      timingBuckets,
    ),
    classifierLatency: metrics.histogram(
      'router_classifier_duration_seconds',
      'Classifier round trips (cache hits excluded).',
      timingBuckets,
    ),
    classifierFailures: metrics.counter(
      'router_classifier_failures_total',
      'Classifier calls that failed, by reason (timeout, error, no-head).',
    ),
    classificationCache: metrics.counter(
      'router_classification_cache_total',
      'Routing decisions answered wholly from the classification cache (hit) or not (miss).',
    ),
    failClosed: metrics.counter(
      'router_fail_closed_total',
      'Requests the router could not classify, by what it did (local or refuse).',
    ),
    inflight: metrics.gauge('router_inflight_requests', 'Model requests in flight.'),
    rejected: metrics.counter('router_rejected_total', 'Requests refused before forwarding, by reason.'),
    tokens: metrics.counter('router_tokens_total', 'Tokens by brain and direction (input, output).'),
  };
  const bound = new Map<string, RequestSeries>();
  // Label sets of the hot path, resolved once, so a request does not build label keys.
  const tokenSeries = (brain: string) => ({
    input: m.tokens.labelled({ brain, direction: 'input' }),
    output: m.tokens.labelled({ brain, direction: 'output' }),
  });
  return {
    ...m,
    inflightNow: m.inflight.labelled({}),
    cacheHit: m.classificationCache.labelled({ result: 'hit' }),
    cacheMiss: m.classificationCache.labelled({ result: 'miss' }),
    tokensBy: { claude: tokenSeries('claude'), local: tokenSeries('local') },
    /** The series of a request that ended on `route` ('none' when refused before routing). */
    requestSeries(route: string, dialect: string): RequestSeries {
      const key = `${route} ${dialect}`;
      let series = bound.get(key);
      if (!series) {
        const labels = { route, dialect };
        const byStatus = new Map<number, CounterSeries>();
        series = {
          latency: m.latency.labelled(labels),
          ttfb: m.ttfb.labelled(labels),
          status: (status) => {
            let s = byStatus.get(status);
            if (!s) {
              s = m.requests.labelled({ ...labels, status: String(status) });
              byStatus.set(status, s); // statuses are the router's own, a handful
            }
            return s;
          },
        };
        bound.set(key, series); // routes and dialects are the router's own: bounded
      }
      return series;
    },
  };
}

export type RouterMetrics = ReturnType<typeof createRouterMetrics>;
