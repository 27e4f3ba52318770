/**
 * The privacy property, tested the hard way: many generated conversations in both dialects, proprietary
 * text in a random place (system, any turn, a tool definition, a tool result), while the classifier is
 * made slow, hung, broken or restarted at random. The simulator's request log is the witness: Claude's side
 * must never have received a proprietary string.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { loggedRequestHolds } from '@split-brain/simulator';
import { type ClassifierFault, type Stack, startStack } from './test-support.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ CLASSIFIER_TIMEOUT_MS: '150' });
  token = await stack.token('leak@example.com');
});
afterAll(async () => {
  await stack.stop();
});

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const SEED = 20260101;
const random = rng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const filler = [
  'How do tides work?',
  'Write a haiku about rain.',
  'List three prime numbers.',
  'What is a monad?',
];
const places = ['system', 'first-user', 'last-user', 'assistant', 'tool-definition', 'tool-result'] as const;
type Place = (typeof places)[number];

interface Conversation {
  dialect: 'openai' | 'anthropic';
  secret: string | undefined;
  place: Place | undefined;
  stream: boolean;
}

function build(c: Conversation, n: number) {
  const put = (where: Place, text: string) => (c.place === where && c.secret ? `${text} ${c.secret}` : text);
  const unique = `(conversation ${n})`;
  const toolDescription = put('tool-definition', 'Look a record up');
  const toolResult = put('tool-result', 'record: nothing of note');
  const system = put('system', 'You are a careful assistant.');
  const first = put('first-user', `${pick(filler)} ${unique}`);
  const assistant = put('assistant', 'Let me look that up for you.');
  const last = put('last-user', pick(filler));
  if (c.dialect === 'anthropic') {
    return {
      path: '/v1/messages',
      body: {
        model: pick(['claude-sonnet-4-6', 'claude-haiku-4-5-20251001', 'opus']),
        max_tokens: 64,
        stream: c.stream,
        system,
        tools: [
          { name: 'lookup', description: toolDescription, input_schema: { type: 'object', properties: {} } },
        ],
        messages: [
          { role: 'user', content: first },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: assistant },
              { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: toolResult },
              { type: 'text', text: last },
            ],
          },
        ],
      },
    };
  }
  return {
    path: '/v1/chat/completions',
    body: {
      model: pick(['claude-sonnet-4-6', 'auto']),
      stream: c.stream,
      ...(c.stream ? { stream_options: { include_usage: true } } : {}),
      tools: [
        {
          type: 'function',
          function: { name: 'lookup', description: toolDescription, parameters: { type: 'object' } },
        },
      ],
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: first },
        {
          role: 'assistant',
          content: assistant,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: toolResult },
        { role: 'user', content: last },
      ],
    },
  };
}

test('across generated conversations and injected classifier faults, Claude never receives proprietary text', async () => {
  const conversations: Conversation[] = [];
  for (let n = 0; n < 160; n++) {
    const proprietary = random() < 0.5;
    conversations.push({
      dialect: pick(['openai', 'anthropic'] as const),
      secret: proprietary
        ? `Project Falcon codename ${Math.floor(random() * 1e9).toString(36)}-${n}`
        : undefined,
      place: proprietary ? pick(places) : undefined,
      stream: random() < 0.5,
    });
  }

  // Chaos: the fault changes every few milliseconds; the real classifier process is killed and restarted.
  let chaos = true;
  const faults: ClassifierFault[] = ['none', 'none', 'slow', 'hang', 'error', 'garbage'];
  const faultLoop = (async () => {
    while (chaos) {
      stack.proxy.fault = pick(faults);
      await Bun.sleep(5 + random() * 40);
    }
    stack.proxy.fault = 'none';
  })();
  const restartLoop = (async () => {
    for (let i = 0; i < 2 && chaos; i++) {
      await Bun.sleep(300);
      stack.classifier.kill();
      await Bun.sleep(50);
      await stack.classifier.restart();
    }
  })();

  const statuses: number[] = [];
  const routes: (string | null)[] = [];
  const calmFrom = Math.floor(conversations.length * 0.75);
  for (let i = 0; i < conversations.length; i += 8) {
    if (i >= calmFrom && chaos) {
      // A calm last quarter: the classifier is up again, so public conversations must reach Claude.
      chaos = false;
      await Promise.all([faultLoop, restartLoop]);
    }
    await Promise.all(
      conversations.slice(i, i + 8).map(async (c, k) => {
        const { path, body } = build(c, i + k);
        const response = await fetch(`${stack.routerUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        if (response.status !== 200) console.error(response.status, text.slice(0, 300));
        statuses.push(response.status);
        routes.push(response.headers.get('x-split-brain-route'));
      }),
    );
  }
  const secrets = conversations.flatMap((c) => (c.secret ? [c.secret] : []));
  const toClaude = stack.sim.requests({ dialect: 'anthropic' });
  const leaked = toClaude.filter((r) => secrets.some((s) => loggedRequestHolds(r, s)));
  expect(leaked).toEqual([]);
  expect(toClaude.flatMap((r) => r.texts.map((t) => t.text)).join('\n')).not.toContain('Project Falcon');

  // Not vacuous: every request was answered, public ones did reach Claude, every secret reached the local brain.
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(toClaude.length).toBeGreaterThan(10);
  expect(routes.filter((r) => r === 'local').length).toBeGreaterThanOrEqual(secrets.length);
  const local = JSON.stringify(stack.sim.requests({ dialect: 'openai' }).map((r) => r.body));
  for (const s of secrets) expect(local).toContain(s);
  const failClosed = stack.router.deps.metrics.failClosed.get({ mode: 'local' });
  expect(failClosed).toBeGreaterThan(0);
}, 60_000);
