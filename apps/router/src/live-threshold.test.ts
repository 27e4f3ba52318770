import { afterAll, beforeAll, expect, test } from 'bun:test';
import OpenAI from 'openai';
import { auditRecords, type Stack, startStack } from './test-support.ts';

let stack: Stack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startStack();
  client = new OpenAI({
    apiKey: await stack.token('threshold@example.com'),
    baseURL: `${stack.routerUrl}/v1`,
    maxRetries: 0,
  });
});
afterAll(() => stack.stop());

const ask = async (text: string) => {
  const { response } = await client.chat.completions
    .create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: text }] })
    .withResponse();
  return response.headers.get('x-split-brain-route');
};

test("settings.json's classifier threshold is followed live, and each audit record carries the one used", async () => {
  // The keyword classifier scores keyword-free text 0: below CLASSIFIER_THRESHOLD (0.4), so Claude.
  expect(await ask('How do tides work? (1)')).toBe('claude');
  await stack.store.settings.write({
    v: 1,
    defaultClaudeModel: null,
    allowedClaudeModels: [],
    classifierThreshold: 0,
  });
  // Router pods poll the file every second; a score of 0 is at a threshold of 0, so local.
  let route: string | null = null;
  for (let i = 0; i < 40 && route !== 'local'; i++) {
    route = await ask(`How do tides work? (${i + 2})`);
    if (route !== 'local') await Bun.sleep(100);
  }
  expect(route).toBe('local');
  const records = (await auditRecords(stack)).filter((r) => r.user === 'threshold@example.com');
  expect(records[0]).toMatchObject({ route: 'claude', threshold: 0.4, reason: 'below-threshold' });
  expect(records.at(-1)).toMatchObject({ route: 'local', threshold: 0, reason: 'score' });
}, 30_000);
