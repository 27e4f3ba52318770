import type { Logger } from './logger.ts';

export interface ServeOptions {
  port: number;
  hostname?: string;
  logger: Logger;
  /** Seconds a connection may be idle; streams that run long need more than Bun's default 10. */
  idleTimeoutSeconds?: number;
  /** How long SIGTERM waits for in-flight requests before closing them. */
  drainTimeoutMs?: number;
  /** Runs after the drain: flush writers, close files. */
  onShutdown?: () => Promise<void> | void;
  maxRequestBodySize?: number;
}

type FetchHandler = (request: Request, server: Bun.Server<undefined>) => Response | Promise<Response>;

/**
 * Serves an app and shuts it down gracefully on SIGTERM or SIGINT: stop accepting, let in-flight requests
 * finish (up to the drain timeout), run onShutdown, exit.
 */
export function serve(app: { fetch: FetchHandler }, options: ServeOptions) {
  const server = Bun.serve({
    port: options.port,
    hostname: options.hostname ?? '0.0.0.0',
    idleTimeout: options.idleTimeoutSeconds ?? 255,
    maxRequestBodySize: options.maxRequestBodySize ?? 64 * 1024 * 1024,
    fetch: (request, srv) => app.fetch(request, srv),
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      options.logger.info('shutting down', { signal, inflight: server.pendingRequests });
      const drained = server.stop(false);
      const timeout = Bun.sleep(options.drainTimeoutMs ?? 25_000).then(() => 'timeout' as const);
      if ((await Promise.race([drained.then(() => 'drained' as const), timeout])) === 'timeout') {
        options.logger.warn('drain timed out; closing remaining connections', {
          inflight: server.pendingRequests,
        });
        await server.stop(true);
      }
      try {
        await options.onShutdown?.();
      } catch (error) {
        options.logger.error('shutdown hook failed', { error: String(error) });
      }
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  options.logger.info('listening', { port: server.port });
  return server;
}
