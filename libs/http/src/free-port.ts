/**
 * A loopback port free right now, for tests, the dev launcher and benchmarks that start a process which
 * must be told its port in advance (a process of our own binds port 0 instead).
 */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response(null) });
  const port = probe.port ?? 0;
  probe.stop(true);
  return port;
}
