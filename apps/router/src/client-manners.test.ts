import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import Anthropic from '@anthropic-ai/sdk';
import { type Stack, startStack } from './test-support.ts';

/** What well-behaved clients rely on besides the answer: ids, retry hints, limits, readable errors. */
let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('manners@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

const client = (apiKey: string) =>
  new Anthropic({ apiKey, authToken: null, baseURL: stack.routerUrl, maxRetries: 0 });

describe('client manners', () => {
  test('401 says x-should-retry: false, so SDKs give up at once; errors carry request-id', async () => {
    const response = await fetch(`${stack.routerUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sbk_unknown', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(response.headers.get('request-id')).toBe(response.headers.get('x-request-id'));
    // The SDK with its default retries stops at the first 401 because of the header.
    const started = Date.now();
    const error = await new Anthropic({
      apiKey: 'sbk_unknown',
      authToken: null,
      baseURL: stack.routerUrl,
    }).messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(Date.now() - started).toBeLessThan(400); // no backoff happened (default would wait ~0.5 s+)
  });

  test('the Anthropic SDK gets a request_id on both routes', async () => {
    const claude = await client(token).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'What is a good name for a cat?' }],
    });
    expect(claude._request_id).toBeTruthy();
    const local = await client(token).messages.create(
      {
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'Budget of Project Falcon?' }],
      },
      { headers: { 'x-split-brain-route': 'local' } },
    );
    expect(local._request_id).toBeTruthy();
  });

  test('max_tokens beyond the local model is capped at its context length from /v1/models', async () => {
    const since = stack.sim.requests().at(-1)?.seq ?? 0;
    // Streaming, as agents do when they ask for 64k tokens (the SDK refuses such a request otherwise).
    const stream = client(token).messages.stream(
      {
        model: 'claude-sonnet-4-6',
        max_tokens: 64000,
        messages: [{ role: 'user', content: 'Summarise Skunkworks.' }],
      },
      { headers: { 'x-split-brain-route': 'local' } },
    );
    await stream.finalMessage();
    const sent = stack.sim.requests({ dialect: 'openai', since }).at(-1)?.body as { max_tokens?: number };
    // The simulator reports max_model_len 32768; the prompt's estimate is taken off it.
    expect(sent.max_tokens).toBeLessThan(32768);
    expect(sent.max_tokens).toBeGreaterThan(32000);
  });

  test('a model that names neither brain gets one clean message in the Anthropic dialect', async () => {
    const error = (await client(token)
      .messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.BadRequestError>;
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const message = (error.error as { error: { message: string } }).error.message;
    expect(message).toStartWith('model "gpt-4o" is not available here');
    expect(message).not.toContain('model: model');
  });
});
