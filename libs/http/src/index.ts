export { ClientError } from './errors.ts';
export { freePort } from './free-port.ts';
export { createLogger, type Logger, type LogLevel, redact } from './logger.ts';
export {
  Counter,
  type CounterSeries,
  Gauge,
  type GaugeSeries,
  Histogram,
  type HistogramSeries,
  latencyBuckets,
  Metrics,
} from './metrics.ts';
export { serve, type ServeOptions } from './serve.ts';
export { createServiceApp, type ReadyCheck, type ServiceVariables } from './service-app.ts';
