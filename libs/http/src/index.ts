export { ClientError } from './errors.ts';
export { freePort } from './free-port.ts';
export { createLogger, type Logger, type LogLevel, redact } from './logger.ts';
export { Counter, Gauge, Histogram, latencyBuckets, Metrics } from './metrics.ts';
export { serve, type ServeOptions } from './serve.ts';
export { createServiceApp, type ReadyCheck, type ServiceVariables } from './service-app.ts';
