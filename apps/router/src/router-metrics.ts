import type { Metrics } from '@split-brain/http';

const timingBuckets = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** The router's Prometheus series (SPEC section 3), registered once per process. */
export function createRouterMetrics(metrics: Metrics) {
  return {
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
}

export type RouterMetrics = ReturnType<typeof createRouterMetrics>;
