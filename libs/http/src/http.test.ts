import { describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientError, createLogger, createServiceApp, Metrics, redact } from './index.ts';

const quiet = createLogger('test', 'error', {}, () => {});

function app(ready = true) {
  const metrics = new Metrics('test');
  const a = createServiceApp({
    service: 'test',
    logger: quiet,
    metrics,
    ready: async () => ({ ready, checks: { store: ready } }),
  });
  a.get('/boom', () => {
    throw new Error('secret internals at /srv/app.ts:12');
  });
  a.get('/bad', () => {
    throw new ClientError(400, 'invalid_request_error', 'messages: must not be empty', {
      'retry-after': '1',
    });
  });
  return a;
}

describe('service app', () => {
  test('health, readiness and metrics', async () => {
    expect((await app().request('/healthz')).status).toBe(200);
    const notReady = await app(false).request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', store: false });
    const a = app();
    await a.request('/healthz');
    const text = await (await a.request('/metrics')).text();
    expect(text).toContain('# TYPE test_http_requests_total counter');
    expect(text).toContain('test_http_requests_total{method="GET",path="/healthz",status="200"} 1');
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
  });

  test('every response carries a request id; a sane incoming one is kept', async () => {
    const a = app();
    expect(
      (await a.request('/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id'),
    ).toBe('abc-123');
    const generated = (await a.request('/healthz', { headers: { 'x-request-id': 'bad id\n' } })).headers.get(
      'x-request-id',
    );
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unexpected errors become a JSON 500 without internals; client errors keep their message', async () => {
    const a = app();
    const boom = await a.request('/boom');
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('/srv/app.ts');
    expect(JSON.parse(text).error.type).toBe('api_error');
    const bad = await a.request('/bad');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('retry-after')).toBe('1');
    expect(await bad.json()).toEqual({
      error: { type: 'invalid_request_error', message: 'messages: must not be empty' },
    });
    expect((await a.request('/nope')).status).toBe(404);
  });
});

describe('metrics', () => {
  test('a labelled handle and plain calls with the same labels count into one series', () => {
    const metrics = new Metrics('m');
    const counter = metrics.counter('hits_total', 'Hits.');
    const histogram = metrics.histogram('took_seconds', 'Took.', [0.1, 1]);
    const gauge = metrics.gauge('open', 'Open.');
    const bound = counter.labelled({ route: 'local', status: '200' });
    const untouched = counter.labelled({ route: 'claude', status: '200' });
    bound.inc();
    counter.inc({ status: '200', route: 'local' }, 2);
    bound.inc(3);
    histogram.labelled({ path: '/x' }).observe(0.5);
    histogram.observe(0.05, { path: '/x' });
    gauge.labelled({}).set(4);
    gauge.inc({}, 1);
    expect(counter.get({ route: 'local', status: '200' })).toBe(6);
    expect(histogram.count({ path: '/x' })).toBe(2);
    expect(gauge.get()).toBe(5);
    const text = metrics.render();
    expect(text).toContain('m_hits_total{route="local",status="200"} 6');
    expect(text).toContain('m_took_seconds_bucket{path="/x",le="0.1"} 1');
    expect(text).toContain('m_took_seconds_bucket{path="/x",le="1"} 2');
    expect(text).toContain('m_open 5');
    // A handle nobody used adds no series.
    expect(text).not.toContain('route="claude"');
    void untouched;
  });
});

describe('logger', () => {
  test('redacts secret-looking keys at any depth, keeps counts', () => {
    const lines: string[] = [];
    const log = createLogger('t', 'info', {}, (l) => lines.push(l));
    log.info('x', {
      headers: { authorization: 'Bearer sbk_abc', 'x-api-key': 'k' },
      tokenId: 'ab12',
      apiKey: 'sk',
      tokens: 5,
    });
    log.debug('hidden');
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain('sbk_abc');
    expect(lines[0]).not.toContain('"sk"');
    expect(JSON.parse(lines[0]!)).toMatchObject({ tokenId: 'ab12', tokens: 5, apiKey: '[redacted]' });
    expect(redact({ nested: [{ password: 'p' }] })).toEqual({ nested: [{ password: '[redacted]' }] });
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM lets an in-flight request finish, then runs the shutdown hook', async () => {
    const mark = join(mkdtempSync(join(tmpdir(), 'sb-http-')), 'mark');
    const child = Bun.spawn(['bun', join(import.meta.dir, 'test-processes', 'slow-service.ts'), mark], {
      stdout: 'pipe',
    });
    const reader = child.stdout.getReader();
    const port = Number(new TextDecoder().decode((await reader.read()).value).trim());
    const inflight = fetch(`http://127.0.0.1:${port}/slow`);
    await Bun.sleep(100);
    child.kill('SIGTERM');
    const response = await inflight;
    expect(await response.text()).toBe('finished');
    expect(await child.exited).toBe(0);
    expect(existsSync(mark) && readFileSync(mark, 'utf8')).toBe('flushed');
  });
});
