import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import Anthropic from '@anthropic-ai/sdk';
import { readSse } from '@split-brain/wire';
import OpenAI from 'openai';
import { auditRecords, type Stack, startStack } from './test-support.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ MAX_BODY_BYTES: '65536', MAX_INFLIGHT: '3' });
  token = await stack.token('guard@example.com');
});
afterEach(() => stack.sim.reset());
afterAll(async () => {
  await stack.stop();
});

const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${stack.routerUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
const good = { model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] };

describe('bad input gets the dialect error, and the router keeps serving', () => {
  const cases: {
    name: string;
    path: string;
    body: string | Uint8Array<ArrayBuffer>;
    status: number;
    mentions: string;
    headers?: Record<string, string>;
  }[] = [
    {
      name: 'invalid JSON',
      path: '/v1/messages',
      body: '{"model": ',
      status: 400,
      mentions: 'not valid JSON',
    },
    {
      name: 'invalid JSON (OpenAI)',
      path: '/v1/chat/completions',
      body: '[1,',
      status: 400,
      mentions: 'not valid JSON',
    },
    {
      name: 'wrong types',
      path: '/v1/messages',
      body: JSON.stringify({ ...good, max_tokens: 'many' }),
      status: 400,
      mentions: 'max_tokens',
    },
    {
      name: 'missing max_tokens',
      path: '/v1/messages',
      body: JSON.stringify({ model: good.model, messages: good.messages }),
      status: 400,
      mentions: 'max_tokens',
    },
    {
      name: 'unknown role',
      path: '/v1/chat/completions',
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'wizard', content: 'hi' }] }),
      status: 400,
      mentions: 'messages.0',
    },
    {
      name: 'empty messages',
      path: '/v1/messages',
      body: JSON.stringify({ ...good, messages: [] }),
      status: 400,
      mentions: 'messages',
    },
    {
      name: 'empty messages (OpenAI)',
      path: '/v1/chat/completions',
      body: JSON.stringify({ model: 'auto', messages: [] }),
      status: 400,
      mentions: 'messages',
    },
    {
      name: 'oversized body',
      path: '/v1/messages',
      body: JSON.stringify({ ...good, messages: [{ role: 'user', content: 'x'.repeat(70_000) }] }),
      status: 413,
      mentions: 'MAX_BODY_BYTES',
    },
    {
      name: 'invalid UTF-8',
      path: '/v1/messages',
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      status: 400,
      mentions: 'UTF-8',
    },
    {
      name: 'token of the right prefix, wrong length',
      path: '/v1/messages',
      body: JSON.stringify(good),
      status: 401,
      mentions: 'malformed',
      headers: { authorization: 'Bearer sbk_short' },
    },
    {
      name: 'no token',
      path: '/v1/chat/completions',
      body: '{}',
      status: 401,
      mentions: 'missing',
      headers: { authorization: '' },
    },
    {
      name: 'a model that is not allowed',
      path: '/v1/chat/completions',
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      status: 400,
      mentions: 'gpt-4o',
    },
    {
      name: 'a Claude-looking model name of 10 kB',
      path: '/v1/messages',
      body: JSON.stringify({ ...good, model: `claude-${'x'.repeat(10_000)}` }),
      status: 400,
      mentions: 'at most 256 characters',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const response = await post(c.path, c.body, c.headers);
      expect(response.status).toBe(c.status);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      const body = (await response.json()) as {
        type?: string;
        error: { type: string; message: string; param?: string | null };
      };
      if (c.path === '/v1/messages') expect(body.type).toBe('error');
      else expect(body.type).toBeUndefined();
      // OpenAI errors name the field in `param`; Anthropic's put it in the message.
      expect(`${body.error.param ?? ''} ${body.error.message}`).toContain(c.mentions);
      const after = await post('/v1/messages', JSON.stringify(good));
      expect(after.status).toBe(200);
    });
  }
});

test('a revoked token is refused within TOKEN_CACHE_TTL_MS, and the refusal is audited', async () => {
  const victim = await stack.token('leaver@example.com');
  const client = new Anthropic({ apiKey: victim, authToken: null, baseURL: stack.routerUrl, maxRetries: 0 });
  await client.messages.create({
    ...good,
    messages: [{ role: 'user', content: 'before' }],
  } as Anthropic.MessageCreateParamsNonStreaming);
  const id = (await stack.store.tokens.list({ user: 'leaver@example.com' }))[0]!.id;
  await stack.store.tokens.revoke(id);
  await Bun.sleep(stack.config.tokenCacheTtlMs + 100);
  const refused = await client.messages
    .create({
      ...good,
      messages: [{ role: 'user', content: 'after' }],
    } as Anthropic.MessageCreateParamsNonStreaming)
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
  expect((refused as Error).message).toContain('revoked');
  const records = (await auditRecords(stack)).filter((r) => r.user === 'leaver@example.com');
  expect(records.map((r) => r.status)).toEqual([200, 401]);
  expect((await stack.store.tokens.list({ user: 'leaver@example.com' }))[0]?.lastUsedAt).toBeTruthy();
});

test('past MAX_INFLIGHT new requests get 429 with Retry-After; the slow ones still finish', async () => {
  stack.sim.setProfile({ latencyMs: 700 }, 'anthropic');
  const client = new OpenAI({ apiKey: token, baseURL: `${stack.routerUrl}/v1`, maxRetries: 0 });
  const slow = [1, 2, 3].map((i) =>
    client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: `slow ${i}` }] }),
  );
  while (stack.router.deps.inflight.count < 3) await Bun.sleep(10);
  const response = await post(
    '/v1/chat/completions',
    JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'one more' }] }),
  );
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe('1');
  expect(((await response.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
  for (const r of await Promise.all(slow)) expect(r.choices[0]?.message.content).toBeTruthy();
  expect(stack.router.deps.inflight.count).toBe(0);
});

test('a client that disconnects mid-stream aborts the upstream call; the request is audited and charged', async () => {
  stack.sim.setProfile({ tokensPerSecond: 20, outputTokens: 400 }, 'anthropic');
  const since = stack.sim.requests().at(-1)?.seq ?? 0;
  const abort = new AbortController();
  const response = await post(
    '/v1/messages',
    JSON.stringify({
      ...good,
      max_tokens: 1000,
      stream: true,
      messages: [{ role: 'user', content: 'tell a long story' }],
    }),
    { 'x-request-id': 'disconnect-1' },
  );
  const reader = response.body!.getReader();
  await reader.read();
  abort.abort();
  await reader.cancel();
  let upstream = stack.sim.requests({ since })[0];
  for (let i = 0; i < 100 && !upstream?.aborted; i++) {
    await Bun.sleep(20);
    upstream = stack.sim.requests({ since })[0];
  }
  expect(upstream?.aborted).toBe(true);
  let record: Awaited<ReturnType<typeof auditRecords>>[number] | undefined;
  for (let i = 0; i < 100 && !record; i++) {
    record = (await auditRecords(stack)).find((r) => r.id === 'disconnect-1');
    if (!record) await Bun.sleep(20);
  }
  expect(record?.reason).toContain('interrupted');
  expect(record?.route).toBe('claude');
  const day = new Date().toISOString().slice(0, 10);
  const settle = (await stack.store.usage.readDay(day)).find(
    (e) => e.requestId === 'disconnect-1' && e.kind === 'settle',
  );
  // Charged at least the estimate (prompt + max_tokens), since the stream never reported its final usage.
  expect(settle?.tokens).toBeGreaterThanOrEqual(1000);
});

describe('a Claude-Code-like session', () => {
  const ccHeaders = () => ({
    'x-api-key': token,
    authorization: '',
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
    'x-claude-code-session-id': 'cc-session-1',
    'user-agent': 'claude-cli/2.1.200 (external, cli)',
    accept: 'application/json',
  });
  const tools = [
    {
      name: 'Read',
      description: 'Read a file',
      input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  ];
  const turn = (text: string) => ({
    model: 'claude-sonnet-4-5-20250929',
    max_tokens: 32000,
    stream: true,
    thinking: { type: 'adaptive' },
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.200; cc_entrypoint=cli; cch=abc;' },
      { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
    ],
    tools,
    tool_choice: { type: 'any' },
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  });

  test('probes, model discovery, count_tokens and streaming tool use with x-api-key work end to end', async () => {
    for (const path of ['/', '/api/hello']) {
      const head = await fetch(`${stack.routerUrl}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
    }
    const telemetry = await post(
      '/api/event_logging/batch',
      JSON.stringify({ events: [{ name: 'x' }] }),
      ccHeaders(),
    );
    expect(telemetry.status).toBe(200);
    const models = await fetch(`${stack.routerUrl}/v1/models?limit=1000`, { headers: ccHeaders() });
    const list = (await models.json()) as { data: { type: string; id: string }[]; has_more: boolean };
    expect(list.has_more).toBe(false);
    expect(list.data.map((m) => m.id)).toContain('claude-sonnet-4-6');
    expect(list.data[0]?.type).toBe('model');

    const counted = await post(
      '/v1/messages/count_tokens?beta=true',
      JSON.stringify({
        model: 'claude-sonnet-4-5-20250929',
        messages: [{ role: 'user', content: 'count me' }],
        tools,
      }),
      { ...ccHeaders(), 'anthropic-beta': 'token-counting-2024-11-01' },
    );
    expect(counted.status).toBe(200);
    expect(((await counted.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);

    const since = stack.sim.requests().at(-1)?.seq ?? 0;
    const response = await post(
      '/v1/messages?beta=true',
      JSON.stringify(turn('List the files in src.')),
      ccHeaders(),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events: string[] = [];
    let toolName = '';
    for await (const event of readSse(response.body!)) {
      events.push(event.event ?? '');
      const data = JSON.parse(event.data) as {
        type: string;
        content_block?: { type: string; name?: string };
      };
      if (data.type === 'content_block_start' && data.content_block?.type === 'tool_use')
        toolName = data.content_block.name ?? '';
    }
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    expect(toolName).toBe('Read');
    const upstream = stack.sim.requests({ since });
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.path).toBe('/v1/messages');
    expect(upstream[0]?.headers['anthropic-beta']).toBe(
      'claude-code-20250219,interleaved-thinking-2025-05-14',
    );
    expect(upstream[0]?.headers['x-claude-code-session-id']).toBeUndefined();
    // The classified value goes out with Claude Code's shape intact: system blocks and their cache
    // breakpoint, adaptive thinking, tools without a type, the tool choice.
    const sent = upstream[0]?.body as Record<string, unknown>;
    expect(sent.system).toEqual(turn('x').system);
    expect(sent.thinking).toEqual({ type: 'adaptive' });
    expect(sent.tools).toEqual(tools);
    expect(sent.tool_choice).toEqual({ type: 'any' });

    // A public follow-up replaying Claude's signed thinking reaches Claude with the signature unchanged.
    const replayed = {
      ...turn('List the files in src.'),
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'List the files in src.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should call Read.', signature: 'EqQBCkgIARABGAIiQL2Vx3Zf6c==' },
            { type: 'tool_use', id: 'toolu_01ABC', name: 'Read', input: { path: 'src' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_01ABC', content: 'a.ts b.ts' }],
        },
      ],
    };
    const before = stack.sim.requests().at(-1)?.seq ?? 0;
    const followUp = await post('/v1/messages?beta=true', JSON.stringify(replayed), ccHeaders());
    expect(followUp.headers.get('x-split-brain-route')).toBe('claude');
    await followUp.text();
    const got = stack.sim.requests({ since: before }).at(-1)?.body as { messages: unknown[] };
    expect(got.messages).toEqual(replayed.messages);
  });

  test('a proprietary turn goes local with Anthropic-only headers and blocks filtered, and the session stays local', async () => {
    const since = stack.sim.requests().at(-1)?.seq ?? 0;
    const first = turn('Open the boatyard ledger and total the repairs.');
    const response = await post('/v1/messages?beta=true', JSON.stringify(first), ccHeaders());
    expect(response.headers.get('x-split-brain-route')).toBe('local');
    const text = await response.text();
    expect(text).toContain('event: message_stop');
    const local = stack.sim.requests({ since });
    expect(local.map((r) => r.dialect)).toEqual(['openai']);
    expect(local[0]?.headers['anthropic-beta']).toBeUndefined();
    expect(local[0]?.headers['anthropic-version']).toBeUndefined();

    // The next turn replays Claude-signed thinking and drops the proprietary opening turn from the history.
    const later = {
      ...first,
      messages: [
        { role: 'user', content: 'Now just say hello.' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The user greets me.', signature: 'sig-abc' },
            { type: 'text', text: 'Hello!' },
          ],
        },
        { role: 'user', content: 'Thanks, and again please.' },
      ],
    };
    const again = await post('/v1/messages?beta=true', JSON.stringify(later), ccHeaders());
    expect(again.status).toBe(200);
    expect(again.headers.get('x-split-brain-route')).toBe('local');
    await again.text();
    const replay = stack.sim.requests({ since }).at(-1);
    expect(replay?.dialect).toBe('openai');
    expect(JSON.stringify(replay?.body)).not.toContain('The user greets me.');
    const records = await auditRecords(stack);
    expect(records.at(-1)?.reason).toBe('session-taint');
  });
});
