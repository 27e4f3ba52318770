/**
 * One regression test per cause of issue #13 ("Claude sees only what was classified"), against the real
 * router, the keywords classifier and the simulator's Claude side as the witness.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRouterConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import { loggedRequestHolds, tinyPdf } from '@split-brain/simulator';
import { createRouter } from './router.ts';
import { auditRecords, routerEnv, type Stack, startStack, TEST_KEYWORDS } from './test-support.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ CLASSIFIER_TIMEOUT_MS: '2000' });
  token = await stack.token('causes@example.com');
});
afterAll(async () => {
  await stack.stop();
});

let n = 0;
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.routerUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    route: response.headers.get('x-split-brain-route'),
    json: await response.json(),
  };
}
const anthropic = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user', content: typeof content === 'string' ? `${content} (n${++n})` : content }],
  ...extra,
});
const openai = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-6',
  messages: [{ role: 'user', content }],
  ...extra,
});
const noLeak = () => {
  for (const logged of stack.sim.requests({ dialect: 'anthropic' }))
    for (const codeword of TEST_KEYWORDS) expect(loggedRequestHolds(logged, codeword)).toBe(false);
};

describe('issue #13 causes', () => {
  test('1. unknown keys at every depth, mcp_servers, tool_result documents and count_tokens are read', async () => {
    const block = { type: 'text', text: `hello (n${++n})`, x_note: 'Project Falcon' };
    expect((await post('/v1/messages', anthropic([block]))).route).toBe('local');
    const mcp = anthropic('hi', { mcp_servers: [{ type: 'url', url: 'https://x', name: 'Skunkworks' }] });
    expect((await post('/v1/messages', mcp)).route).toBe('local');
    const doc = {
      type: 'tool_result',
      tool_use_id: 't1',
      content: [{ type: 'document', source: { type: 'content', content: 'boatyard ledger' } }],
    };
    const turns = {
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [
        { role: 'user', content: `look (n${++n})` },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: [doc] },
      ],
    };
    expect((await post('/v1/messages', turns)).route).toBe('local');
    const count = {
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'hi' }],
      extra: 'Skunkworks',
    };
    expect((await post('/v1/messages/count_tokens', count)).route).toBe('local');
    noLeak();
  });

  test('2. a duplicate key is refused with a 400 in the caller dialect', async () => {
    const a = await post(
      '/v1/messages',
      `{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"Project Falcon","content":"hi"}]}`,
    );
    expect(a.status).toBe(400);
    expect(a.json.type).toBe('error');
    expect(a.json.error.message).toContain('"content" twice');
    const o = await post(
      '/v1/chat/completions',
      `{"model":"auto","model":"claude-x","messages":[{"role":"user","content":"hi"}]}`,
    );
    expect(o.status).toBe(400);
    expect(o.json.error.message).toContain('"model" twice');
  });

  test('3. escaped text is classified decoded (OpenAI arguments, \\u escapes)', async () => {
    const args = JSON.stringify({ q: 'x' }).replace('x', '\\u0050roject \\u0046alcon');
    const body = {
      model: 'claude-sonnet-4-6',
      messages: [
        { role: 'user', content: `find it (n${++n})` },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: args } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
      ],
    };
    expect((await post('/v1/chat/completions', body)).route).toBe('local');
    noLeak();
  });

  test('4. opaque content goes local (or is refused); a PDF text layer is read', async () => {
    const image = { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } };
    expect(
      (await post('/v1/messages', anthropic([{ type: 'text', text: `what is this (n${++n})` }, image])))
        .route,
    ).toBe('local');
    const records = await auditRecords(stack);
    expect(records.at(-1)?.reason).toContain('opaque-content');
    const pdf = (text: string) => ({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: tinyPdf(text) },
    });
    expect(
      (
        await post(
          '/v1/messages',
          anthropic([pdf('Quarterly Skunkworks figures'), { type: 'text', text: `sum (n${++n})` }]),
        )
      ).route,
    ).toBe('local');
    expect(
      (
        await post(
          '/v1/messages',
          anthropic([pdf('Tide tables for June'), { type: 'text', text: `sum (n${++n})` }]),
        )
      ).route,
    ).toBe('claude');
    const audio = openai([
      { type: 'text', text: `hear (n${++n})` },
      { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
    ]);
    expect((await post('/v1/chat/completions', audio)).route).toBe('local');
    stack.router.deps.config.opaqueContent = 'refuse';
    try {
      const refused = await post(
        '/v1/messages',
        anthropic([{ type: 'text', text: `what (n${++n})` }, image]),
      );
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toContain('OPAQUE_CONTENT=refuse');
      expect((await auditRecords(stack)).at(-1)?.reason).toBe('opaque-content refused');
    } finally {
      stack.router.deps.config.opaqueContent = 'local';
    }
    noLeak();
  });

  test('5. parts the model reads together are classified together', async () => {
    const parts = [
      { type: 'text', text: `notes (n${++n}) on Proj` },
      { type: 'text', text: 'ect Falcon today' },
    ];
    expect((await post('/v1/chat/completions', openai(parts))).route).toBe('local');
    expect((await post('/v1/messages', anthropic(parts))).route).toBe('local');
    noLeak();
  });

  test('6. a relayed local answer taints its conversation, on every pod, whatever its whitespace', async () => {
    // Another pod on the same data volume, started before the taint exists: it learns of it by polling.
    const config = loadRouterConfig(
      routerEnv(stack.dataDir, stack.sim.url, stack.proxy.url, { POD_NAME: 'pod-b' }),
    );
    const podB = await createRouter(config, { logger: createLogger('router', 'error') });
    const first = await post('/v1/messages', {
      model: 'claude-sonnet-4-6',
      max_tokens: 200,
      system: `You help (n${++n}).`,
      messages: [{ role: 'user', content: 'Summarise the Project Falcon budget in detail.' }],
    });
    expect(first.route).toBe('local');
    const answer = (first.json.content as { type: string; text?: string }[])
      .map((b) => b.text ?? '')
      .join('');
    expect(answer.replace(/\s+/g, '').length).toBeGreaterThanOrEqual(64);
    // The follow-up drops the proprietary turn and re-cuts the answer: two blocks, other whitespace.
    const middle = Math.floor(answer.length / 2);
    const followUp = {
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      system: 'A different opening.',
      messages: [
        { role: 'user', content: `Earlier you wrote this (n${++n}):` },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: `${answer.slice(0, middle)}\n` },
            { type: 'text', text: answer.slice(middle).replace(/ /g, '  ') },
          ],
        },
        { role: 'user', content: 'Make it shorter.' },
      ],
    };
    try {
      await Bun.sleep(1500);
      const response = await podB.app.fetch(
        new Request('http://pod-b/v1/messages', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'anthropic-version': '2023-06-01',
          },
          body: JSON.stringify(followUp),
        }),
      );
      await response.arrayBuffer();
      expect(response.headers.get('x-split-brain-route')).toBe('local');
    } finally {
      podB.close();
    }
    expect((await post('/v1/messages', followUp)).route).toBe('local');
    const records = await auditRecords(stack);
    expect(records.at(-1)?.reason).toContain('session-taint');
  });

  test('6. a streamed local answer taints too (OpenAI client, translated stream)', async () => {
    const response = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        stream: true,
        max_tokens: 200,
        messages: [{ role: 'user', content: `Draft the Skunkworks roadmap (n${++n}).` }],
      }),
    });
    expect(response.headers.get('x-split-brain-route')).toBe('local');
    let answer = '';
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith('data: {')) continue;
      const chunk = JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] };
      answer += chunk.choices[0]?.delta.content ?? '';
    }
    expect(answer.replace(/\s+/g, '').length).toBeGreaterThanOrEqual(64);
    const followUp = openai(`Shorten this (n${++n}).`);
    followUp.messages = [
      { role: 'user', content: `Shorten this (n${++n}).` },
      { role: 'assistant', content: `${answer.trim()}\n\n` },
      { role: 'user', content: 'Thanks.' },
    ];
    expect((await post('/v1/chat/completions', followUp)).route).toBe('local');
    expect((await auditRecords(stack)).at(-1)?.reason).toContain('session-taint');
  });

  test('7. keyword disguises are normalised away', async () => {
    for (const text of [
      'Ｐｒｏｊｅｃｔ Ｆａｌｃｏｎ',
      'Pro\u200Bject Fal\u00ADcon',
      'Рrојеct Falcon',
      'Skunk\u2060works',
      'Project\nFalcon',
    ])
      expect((await post('/v1/messages', anthropic(text))).route).toBe('local');
    noLeak();
  });

  test('8. an edited keyword list empties the verdict cache within the poll', async () => {
    const body = anthropic('tell me about Heronsgate');
    expect((await post('/v1/messages', body)).route).toBe('claude');
    await writeFile(join(stack.dataDir, 'keywords.txt'), `${[...TEST_KEYWORDS, 'Heronsgate'].join('\n')}\n`);
    let route: string | null = 'claude';
    for (let i = 0; i < 40 && route === 'claude'; i++) {
      await Bun.sleep(200);
      // The same body: every piece is in the cache until the router learns of the new list.
      route = (await post('/v1/messages', { ...body, messages: body.messages })).route;
    }
    expect(route).toBe('local');
  }, 20_000);

  test('9. side channels: headers, query, user ids and model names', async () => {
    const bad = await post('/v1/messages', anthropic('hi'), { 'anthropic-beta': 'Project Falcon' });
    expect(bad.status).toBe(400);
    const beta = await post('/v1/messages', anthropic('hi'), { 'anthropic-beta': 'skunkworks-2025-01-01' });
    expect(beta.route).toBe('local');
    const model = await post('/v1/messages', { ...anthropic('hi'), model: 'claude-skunkworks-1' });
    expect(model.route).toBe('local');
    const stops = await post('/v1/messages', anthropic('hi', { stop_sequences: ['boatyard ledger'] }));
    expect(stops.route).toBe('local');
    stack.sim.clearRequests?.();
    const publicOne = await post(
      '/v1/messages?beta=true&note=x',
      anthropic('hi', { metadata: { user_id: 'alice@corp.example' } }),
    );
    expect(publicOne.route).toBe('claude');
    const last = stack.sim.requests({ dialect: 'anthropic' }).at(-1);
    expect(last?.query).toBe('?beta=true');
    expect(JSON.stringify(last?.body)).not.toContain('alice');
    expect((last?.body as { metadata?: { user_id?: string } } | undefined)?.metadata?.user_id).toMatch(
      /^sb-user-[0-9a-f]{32}$/,
    );
    noLeak();
  });

  test('10. lone surrogates are refused; a document part with non-string text is not a 500', async () => {
    const lone = await post(
      '/v1/messages',
      `{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"a\\ud800b"}]}`,
    );
    expect(lone.status).toBe(400);
    expect(lone.json.error.message).toContain('surrogate');
    const odd = anthropic([
      { type: 'text', text: `read (n${++n})` },
      { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 42 }] } },
    ]);
    expect((await post('/v1/messages', odd)).status).toBe(200);
  });
});
