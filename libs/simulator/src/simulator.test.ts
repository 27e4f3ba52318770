import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { type Simulator, startSimulator } from './server.ts';

let sim: Simulator;
beforeAll(() => {
  sim = startSimulator();
});
afterEach(() => sim.reset());
afterAll(async () => {
  await sim.stop();
});

const openai = (options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ apiKey: 'unused', baseURL: `${sim.url}/v1`, maxRetries: 0, ...options });
const anthropic = (options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) =>
  new Anthropic({ apiKey: 'sk-test', authToken: null, baseURL: sim.url, maxRetries: 0, ...options });
/** The SDKs' APIPromise resolves its own base promise early; `.then` gives the real outcome. */
const outcome = <T>(promise: PromiseLike<T>): Promise<T> => Promise.resolve().then(() => promise);
const chat = { model: 'Qwen/Qwen3-14B', messages: [{ role: 'user' as const, content: 'hello there' }] };
const message = {
  model: 'claude-sonnet-4-6',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'hello there' }],
};

describe('request log', () => {
  test('records which text reached which side, in-process and over /_sim/requests, without credentials', async () => {
    await openai({ apiKey: 'secret-local' }).chat.completions.create({
      ...chat,
      messages: [
        { role: 'system', content: 'internal handbook' },
        { role: 'user', content: 'project falcon budget' },
      ],
    });
    await anthropic({ apiKey: 'secret-claude' }).messages.create({ ...message, system: 'be brief' });
    const local = sim.requests({ dialect: 'openai' });
    expect(local).toHaveLength(1);
    expect(local[0]?.texts.map((t) => t.text)).toEqual(['internal handbook', 'project falcon budget']);
    expect(local[0]?.headers.authorization).toBe('[redacted]');
    const remote = (await (await fetch(`${sim.url}/_sim/requests?dialect=anthropic`)).json()) as {
      requests: {
        texts: { source: string; text: string }[];
        headers: Record<string, string>;
        status: number;
      }[];
    };
    expect(remote.requests).toHaveLength(1);
    expect(remote.requests[0]?.texts).toEqual([
      { source: 'system', text: 'be brief' },
      { source: 'user', text: 'hello there' },
    ]);
    // SDK 1.12 sends the API key as Authorization: Bearer, not X-Api-Key.
    expect(remote.requests[0]?.headers.authorization).toBe('[redacted]');
    expect(remote.requests[0]?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(remote)).not.toContain('secret-');
  });
});

test('output is deterministic for a given input and differs for another', async () => {
  const client = anthropic();
  const first = await client.messages.create(message);
  const second = await client.messages.create(message);
  const other = await client.messages.create({
    ...message,
    messages: [{ role: 'user', content: 'something else' }],
  });
  expect(second.content).toEqual(first.content);
  expect(other.content).not.toEqual(first.content);
});

test('stop sequences and max_tokens end the answer with the right reason', async () => {
  const client = anthropic();
  const full = await client.messages.create(message);
  const text = full.content[0]?.type === 'text' ? full.content[0].text : '';
  const stopWord = text.split(' ')[3]!;
  const stopped = await client.messages.create({ ...message, stop_sequences: [` ${stopWord}`] });
  expect(stopped.stop_reason).toBe('stop_sequence');
  expect(stopped.stop_sequence).toBe(` ${stopWord}`);
  expect(text.startsWith((stopped.content[0] as { text: string }).text)).toBe(true);
  const short = await openai().chat.completions.create({ ...chat, max_tokens: 3 });
  expect(short.choices[0]?.finish_reason).toBe('length');
  expect(short.usage?.completion_tokens).toBe(3);
});

describe('API keys', () => {
  test('a side with a key refuses other keys in its own dialect', async () => {
    sim.setProfile({ apiKey: 'right' }, 'anthropic');
    const error = await anthropic({ apiKey: 'wrong' })
      .messages.create(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    await anthropic({ apiKey: 'right' }).messages.create(message);
    await anthropic({ apiKey: null, authToken: 'right' }).messages.create(message);
    // ScalarLM has no auth: the OpenAI side stays open unless a key is set for it.
    await openai({ apiKey: 'anything' }).chat.completions.create(chat);
  });
});

describe('faults', () => {
  test('HTTP 429 on the ScalarLM side: {detail} body and Retry-After; `times` limits the fault', async () => {
    sim.setFault({ kind: 'http', status: 429, retryAfterSeconds: 3, times: 1 }, 'openai');
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chat),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ detail: 'Too many requests, retry later' });
    await openai().chat.completions.create(chat);
  });

  test('HTTP 529 on the Anthropic side: overloaded_error with request-id; the SDK retries and succeeds', async () => {
    sim.setFault({ kind: 'http', status: 529, retryAfterSeconds: 0, times: 1 }, 'anthropic');
    const error = await anthropic()
      .messages.create(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error' },
    });
    expect((error as InstanceType<typeof Anthropic.APIError>).requestID).toMatch(/^req_/);
    sim.setFault({ kind: 'http', status: 529, retryAfterSeconds: 0, times: 1 }, 'anthropic');
    const retried = await anthropic({ maxRetries: 1 }).messages.create(message);
    expect(retried.type).toBe('message');
    expect(sim.requests({ dialect: 'anthropic' }).map((r) => r.status)).toEqual([529, 529, 200]);
  });

  test('a stream cut mid-way makes the SDKs fail instead of returning a partial answer', async () => {
    sim.setFault({ kind: 'cut', afterEvents: 4 });
    await expect(outcome(anthropic().messages.stream(message).finalMessage())).rejects.toThrow();
    const raw = await (
      await fetch(`${sim.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ ...chat, stream: true }),
      })
    ).text();
    expect(raw.endsWith('\n\n')).toBe(false);
    expect(raw).not.toContain('[DONE]');
  });

  test('a hang before the response times out in the client and does not block stop()', async () => {
    sim.setFault({ kind: 'hang' }, 'anthropic');
    await expect(outcome(anthropic({ timeout: 200 }).messages.create(message))).rejects.toBeInstanceOf(
      Anthropic.APIConnectionTimeoutError,
    );
    sim.setFault({ kind: 'hang', afterEvents: 2 }, 'openai');
    const controller = new AbortController();
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"role":"assistant"');
    controller.abort();
  });

  test('malformed output makes the SDKs throw', async () => {
    sim.setFault({ kind: 'malformed' });
    await expect(outcome(anthropic().messages.create(message))).rejects.toThrow();
    await expect(
      outcome(
        openai()
          .chat.completions.stream({ ...chat, stream: true })
          .finalChatCompletion(),
      ),
    ).rejects.toThrow();
  });

  test("ScalarLM's streaming failure is HTTP 200 with one error event and no [DONE]", async () => {
    sim.setFault({ kind: 'upstream-error', message: 'CUDA out of memory' }, 'openai');
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, stream: true }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      'data: {"error":"Failed to create chat completions: CUDA out of memory"}\n\n',
    );
    sim.setFault({ kind: 'upstream-error', message: 'CUDA out of memory' }, 'openai');
    await expect(
      openai()
        .chat.completions.create({ ...chat, stream: true })
        .then(async (s) => {
          for await (const _ of s);
        }),
    ).rejects.toThrow(/CUDA out of memory/);
    sim.setFault({ kind: 'upstream-error', message: 'worker died' }, 'openai');
    const plain = await openai().chat.completions.create(chat);
    expect(plain.choices[0]?.finish_reason as string).toBe('error');
  });

  test('an Anthropic in-stream error event reaches the SDK as an APIError', async () => {
    sim.setFault({ kind: 'upstream-error', afterEvents: 3 }, 'anthropic');
    await expect(outcome(anthropic().messages.stream(message).finalMessage())).rejects.toThrow(/Overloaded/);
  });
});

describe('ScalarLM quirks', () => {
  test('non-streaming bodies start with a whitespace heartbeat; model "latest" resolves; unknown models 404 with detail', async () => {
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, model: 'latest' }),
    });
    const text = await response.text();
    expect(text.startsWith(' ')).toBe(true);
    expect(JSON.parse(text).model).toBe('Qwen/Qwen3-14B');
    const missing = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ ...chat, model: 'nope' }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Model nope not found' });
    const invalid = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x' }),
    });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { detail: { loc: string[] }[] }).detail[0]?.loc).toEqual([
      'body',
      'messages',
    ]);
  });

  test('reasoning arrives in the `reasoning` field and usage is always streamed', async () => {
    const body = { ...chat, stream: true, chat_template_kwargs: { enable_thinking: true } };
    const raw = await (
      await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) })
    ).text();
    expect(raw).toContain('"reasoning":"Thinking');
    expect(raw).toContain('"choices":[],"usage":{');
    expect(raw).not.toContain('reasoning_content');
  });
});

describe('models and count_tokens', () => {
  test('/v1/models answers in each SDK’s shape', async () => {
    const local = await openai().models.list();
    expect(local.data.map((m) => m.id)).toEqual(['Qwen/Qwen3-14B']);
    const claude = await anthropic().models.list();
    expect(claude.data.map((m) => m.id)).toContain('claude-sonnet-4-6');
    expect(claude.data[0]).toMatchObject({
      type: 'model',
      display_name: expect.any(String),
      created_at: expect.any(String),
    });
    expect((await anthropic().models.retrieve('claude-sonnet-4-6')).id).toBe('claude-sonnet-4-6');
  });

  test('count_tokens counts all text and rejects bad bodies with the field at fault', async () => {
    const client = anthropic();
    const small = await client.messages.countTokens({ model: message.model, messages: message.messages });
    const big = await client.messages.countTokens({
      model: message.model,
      messages: message.messages,
      system: 'x'.repeat(400),
    });
    expect(big.input_tokens).toBeGreaterThan(small.input_tokens + 90);
    const error = await client.messages
      .countTokens({ model: message.model } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((error as Error).message)).toContain('messages');
  });
});

test('admin API: profile, fault and reset over HTTP', async () => {
  const post = (path: string, body: unknown) =>
    fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await post('/_sim/profile', { dialect: 'openai', outputTokens: 2 })).status).toBe(200);
  const short = await openai().chat.completions.create(chat);
  expect(short.usage?.completion_tokens).toBe(2);
  expect((await post('/_sim/fault', { fault: { kind: 'http', status: 503 } })).status).toBe(200);
  await expect(outcome(openai().chat.completions.create(chat))).rejects.toBeInstanceOf(
    OpenAI.InternalServerError,
  );
  expect((await post('/_sim/profile', { latencyMs: -1 })).status).toBe(400);
  expect((await post('/_sim/reset', {})).status).toBe(200);
  expect((await openai().chat.completions.create(chat)).usage?.completion_tokens).toBe(24);
  expect(sim.requests()).toHaveLength(1);
});

test('`bun run simulator -- --port 0` starts a server that answers', async () => {
  const child = Bun.spawn(['bun', 'run', 'simulator', '--', '--port', '0'], {
    cwd: `${import.meta.dir}/../../..`,
    stdout: 'pipe',
    stderr: 'ignore',
  });
  try {
    const reader = child.stdout.getReader();
    let output = '';
    while (!output.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
    const { url } = JSON.parse(output.trim()) as { url: string };
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { object: string };
    expect(models.object).toBe('list');
  } finally {
    child.kill();
    await child.exited;
  }
});
