/**
 * The yardstick in the router's overhead benchmark: a bare Hono forwarder on Bun that passes each POST
 * to the same upstream with the upstream's key, and nothing else (no auth, classification, quota, audit,
 * metrics or translation). The "a bare Hono forwarder reaches about 45%" is this; what the router
 * costs beyond it is what its features cost.
 *
 *   PORT=8081 UPSTREAM=http://127.0.0.1:8090 UPSTREAM_KEY=sk-ant-bench bun bench/lib/bare-forwarder.ts
 */
import { Hono } from 'hono';

const upstream = process.env.UPSTREAM ?? '';
const key = process.env.UPSTREAM_KEY ?? '';
const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.post('*', async (c) => {
  let answer: Response;
  try {
    answer = await fetch(`${upstream}${c.req.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anthropic-version': c.req.header('anthropic-version') ?? '2023-06-01',
        'x-api-key': key,
        authorization: `Bearer ${key}`,
      },
      body: await c.req.arrayBuffer(),
      signal: c.req.raw.signal,
    });
  } catch (error) {
    // wrk closes its connections at the end of a run, which aborts what is in flight: not an error.
    if (c.req.raw.signal.aborted) return new Response(null, { status: 499 });
    return c.text(`upstream unreachable: ${String(error)}`, 502);
  }
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
  });
});
Bun.serve({ port: Number(process.env.PORT), hostname: '127.0.0.1', fetch: app.fetch });
