/**
 * The router's promise as a property (issue #13): thousands of generated requests in both dialects, filling
 * every field of the current request types, each with a codeword the keywords classifier knows planted at
 * a random string position in a random disguise. The simulator's Claude-side log, decoded and normalised
 * like the classifier normalises, never holds a codeword; public controls of the same shape still reach
 * Claude. The seed is printed, so a failure replays.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { leakCase, loggedRequestHolds, plantedInValue } from '@split-brain/simulator';
import { auditRecords, type Stack, startStack, TEST_KEYWORDS } from './test-support.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ CLASSIFIER_TIMEOUT_MS: '2000' });
  token = await stack.token('property@example.com');
});
afterAll(async () => {
  await stack.stop();
});

const CASES = Number(process.env.LEAK_CASES ?? 2000);
const SEED = Number(process.env.LEAK_SEED ?? 13_2026);
const CONCURRENCY = 16;

async function send(c: ReturnType<typeof leakCase>) {
  const response = await fetch(`${stack.routerUrl}${c.path}`, {
    method: 'POST',
    headers: { ...c.headers, authorization: `Bearer ${token}` },
    body: c.body,
  });
  await response.arrayBuffer();
  return { status: response.status, route: response.headers.get('x-split-brain-route') };
}

test(`${CASES} generated requests with a planted codeword: none reaches Claude`, async () => {
  const cases = Array.from({ length: CASES }, (_, i) => leakCase(SEED + i, TEST_KEYWORDS));
  const publicControls = Array.from({ length: 40 }, (_, i) =>
    leakCase(SEED + CASES + i, TEST_KEYWORDS, { public: true }),
  );
  // The witness's positive control: in the body's own value, every planted codeword is seen.
  const inBody = cases.filter((c) => c.position.includes('.') || c.position.includes('{'));
  expect(inBody.filter((c) => !plantedInValue(c)).map((c) => `${c.position} ${c.disguise}`)).toEqual([]);
  const outcomes: { status: number; route: string | null }[] = [];
  for (let i = 0; i < cases.length; i += CONCURRENCY) {
    outcomes.push(...(await Promise.all(cases.slice(i, i + CONCURRENCY).map(send))));
  }
  const controls = await Promise.all(publicControls.map(send));

  const toClaude = stack.sim.requests({ dialect: 'anthropic' });
  const leaks = toClaude.flatMap((logged) =>
    TEST_KEYWORDS.filter((codeword) => loggedRequestHolds(logged, codeword)).map(
      (codeword) => `${codeword} in ${logged.path} #${logged.seq}`,
    ),
  );

  const positions = new Set(cases.map((c) => `${c.dialect}:${c.position}`));
  const disguises = new Set(cases.map((c) => c.disguise));
  const pairs = new Set(cases.map((c) => `${c.dialect}:${c.position}:${c.disguise}`));
  console.log(
    `leak property: seed ${SEED}, ${cases.length} requests, ${positions.size} positions, ${disguises.size} disguises (${[...disguises].join(', ')}), ${pairs.size} position×disguise pairs; ${toClaude.length} reached the Claude side, ${leaks.length} with a codeword`,
  );
  expect(leaks).toEqual([]);

  // Not vacuous: every planted request was answered (locally, or by Claude when the router drops the
  // field that held the codeword: OpenAI-only settings, client user ids), or refused (duplicate keys) ...
  const wrong = cases.flatMap((c, i) => {
    const o = outcomes[i];
    if (!o) return [`${c.position}: no outcome`];
    if (c.expectRefusal) return o.status === 400 ? [] : [`${c.position}: ${o.status}, expected 400`];
    return o.status === 200 ? [] : [`${c.dialect} ${c.position} ${c.disguise}: ${o.status} ${o.route}`];
  });
  expect(wrong.slice(0, 10)).toEqual([]);
  const droppedToClaude = new Set(
    cases.filter((_, i) => outcomes[i]?.route === 'claude').map((c) => `${c.dialect}:${c.position}`),
  );
  console.log(
    `planted where the router drops the field, so Claude got the request without it: ${[...droppedToClaude].join(', ') || 'none'}`,
  );
  expect(outcomes.filter((o) => o.route === 'local').length).toBeGreaterThan(cases.length * 0.7);
  // ... and the same shapes without a codeword do reach Claude.
  if (controls.some((o) => o.route !== 'claude')) {
    const records = await auditRecords(stack);
    console.log(
      records
        .slice(-publicControls.length)
        .map((r) => r.reason)
        .join(', '),
    );
  }
  expect(controls.filter((o) => o.status !== 200 || o.route !== 'claude')).toEqual([]);
  expect(toClaude.length).toBeGreaterThanOrEqual(publicControls.length);
  expect(disguises.size).toBe(8);
}, 120_000);
