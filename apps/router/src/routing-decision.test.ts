import { expect, test } from 'bun:test';
import { Metrics } from '@split-brain/http';
import { ClassificationCache } from './classification-cache.ts';
import { ClassifierClient } from './classifier-client.ts';
import { createRouterMetrics } from './router-metrics.ts';
import { FailClosedRefusal, RoutingPolicy } from './routing-decision.ts';
import { SessionTaint } from './session-taint.ts';
import { freePort } from './test-support.ts';
import { toPieces } from './text-pieces.ts';

// A port nothing listens on: the classifier is down (a real refused connection, no mock).
const downUrl = `http://127.0.0.1:${await freePort()}`;
const pieces = toPieces([{ source: 'user', text: 'hello' }]);

function policy(failMode: 'local' | 'refuse') {
  const metrics = createRouterMetrics(new Metrics('t'));
  const classifier = new ClassifierClient(downUrl, 200, new ClassificationCache(10, 60_000));
  return { metrics, policy: new RoutingPolicy(classifier, new SessionTaint(60_000), 0.4, failMode, metrics) };
}

test('a classifier that is down sends the request local, never to Claude, and counts it', async () => {
  const { policy: p, metrics } = policy('local');
  const decision = await p.decide({ pieces, taintKeys: ['k1'], askedLocal: false });
  expect(decision.route).toBe('local');
  expect(decision.reason).toBe('classifier-unavailable');
  expect(decision.classifierProblem).toContain('error');
  expect(metrics.failClosed.get({ mode: 'local' })).toBe(1);
  // Doubt does not taint the session: the next turn asks again (still down here, so local again), and once
  // the classifier answers the conversation is routed on its verdict instead of staying local for a day.
  expect((await p.decide({ pieces, taintKeys: ['k1'], askedLocal: false })).reason).toBe(
    'classifier-unavailable',
  );
  expect(metrics.failClosed.get({ mode: 'local' })).toBe(2);
});

test('CLASSIFIER_FAIL_MODE=refuse refuses with 503 instead of guessing', async () => {
  const { policy: p } = policy('refuse');
  const error = await p.decide({ pieces, taintKeys: ['k2'], askedLocal: false }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FailClosedRefusal);
  expect((error as FailClosedRefusal).status).toBe(503);
});

test('a client asking for local gets local without a classifier call; no text at all is doubt, so local', async () => {
  const { policy: p, metrics } = policy('refuse');
  expect((await p.decide({ pieces, taintKeys: ['k3'], askedLocal: true })).reason).toBe('client-asked-local');
  expect((await p.decide({ pieces: [], taintKeys: ['k4'], askedLocal: false })).route).toBe('local');
  expect(metrics.classifierFailures.get({ reason: 'error' })).toBe(0);
});

test('the threshold is read at each decision (the live settings value) and carried on the decision', async () => {
  // A real classifier stand-in on loopback that scores every text 0.5.
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      const { texts } = (await request.json()) as { texts: string[] };
      return Response.json({ results: texts.map(() => ({ score: 0.5, keywords: [] })), headVersion: 'h1' });
    },
  });
  try {
    let live = 0.6;
    const metrics = createRouterMetrics(new Metrics('t'));
    const classifier = new ClassifierClient(`http://127.0.0.1:${server.port}`, 2000, undefined);
    const p = new RoutingPolicy(classifier, new SessionTaint(60_000), () => live, 'local', metrics);
    const below = await p.decide({ pieces, taintKeys: ['t1'], askedLocal: false });
    expect(below).toMatchObject({ route: 'claude', reason: 'below-threshold', threshold: 0.6 });
    live = 0.45;
    const above = await p.decide({ pieces, taintKeys: ['t2'], askedLocal: false });
    expect(above).toMatchObject({ route: 'local', reason: 'score', threshold: 0.45 });
  } finally {
    await server.stop(true);
  }
});

test('opaque content goes local without a classifier call, and taints the conversation', async () => {
  const { policy: p, metrics } = policy('refuse');
  const decision = await p.decide({
    pieces,
    opaque: ['an image at messages.0.content.1'],
    taintKeys: ['k5'],
    askedLocal: false,
  });
  expect(decision).toMatchObject({ route: 'local', reason: 'opaque-content' });
  expect((await p.decide({ pieces, taintKeys: ['k5'], askedLocal: false })).reason).toBe('session-taint');
  expect(metrics.classifierFailures.get({ reason: 'error' })).toBe(0);
});

test('shared taint: what one pod writes, another absorbs; a key re-tainted within a minute is not rewritten', () => {
  const written: { k: string; u: number }[][] = [];
  let now = 1_000_000;
  const podA = new SessionTaint(
    60 * 60_000,
    100,
    () => now,
    (entries) => written.push(entries),
  );
  const podB = new SessionTaint(60 * 60_000, 100, () => now);
  podA.taint(['a', 'b']);
  now += 30_000;
  podA.taint(['a']);
  expect(written).toEqual([
    [
      { k: 'a', u: 1_000_000 + 3_600_000 },
      { k: 'b', u: 1_000_000 + 3_600_000 },
    ],
  ]);
  podB.absorb(written.flat());
  expect(podB.isTainted(['b'])).toBe(true);
  now += 3_600_000;
  expect(podB.isTainted(['b'])).toBe(false);
});
