import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { auditRecords, type Stack, startStack } from './test-support.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('matrix@example.com');
});
afterAll(async () => {
  await stack.stop();
});

const openai = () => new OpenAI({ apiKey: token, baseURL: `${stack.routerUrl}/v1`, maxRetries: 0 });
const anthropic = () =>
  new Anthropic({ apiKey: token, authToken: null, baseURL: stack.routerUrl, maxRetries: 0 });

const PUBLIC = 'Explain how tides work in two sentences.';
const PROPRIETARY = 'Summarise the Project Falcon launch plan for the board.';
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

type Case = { backend: 'claude' | 'local'; stream: boolean; tools: boolean };
const cases: Case[] = [];
for (const backend of ['claude', 'local'] as const)
  for (const stream of [false, true])
    for (const tools of [false, true]) cases.push({ backend, stream, tools });
const label = (c: Case) => `${c.backend} ${c.stream ? 'stream' : 'json'}${c.tools ? ' tools' : ''}`;

describe('OpenAI client', () => {
  for (const c of cases) {
    test(label(c), async () => {
      const since = stack.sim.requests().at(-1)?.seq ?? 0;
      const params = {
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        messages: [
          { role: 'system' as const, content: 'You are terse.' },
          {
            role: 'user' as const,
            content: `${c.backend === 'local' ? PROPRIETARY : PUBLIC} (openai ${label(c)})`,
          },
        ],
        ...(c.tools
          ? {
              tools: [
                {
                  type: 'function' as const,
                  function: {
                    name: weatherTool.name,
                    description: weatherTool.description,
                    parameters: weatherTool.schema,
                  },
                },
              ],
              tool_choice: 'required' as const,
            }
          : {}),
      };
      let text = '';
      let toolName: string | undefined;
      let model = '';
      let route: string | null;
      let usageTokens = 0;
      if (c.stream) {
        const { data: stream, response } = await openai()
          .chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } })
          .withResponse();
        route = response.headers.get('x-split-brain-route');
        for await (const chunk of stream) {
          model = chunk.model;
          text += chunk.choices[0]?.delta.content ?? '';
          toolName ??= chunk.choices[0]?.delta.tool_calls?.[0]?.function?.name;
          if (chunk.usage) usageTokens = chunk.usage.completion_tokens;
        }
      } else {
        const { data, response } = await openai().chat.completions.create(params).withResponse();
        route = response.headers.get('x-split-brain-route');
        expect(response.headers.get('x-request-id')).toBeTruthy();
        expect(response.headers.get('x-split-brain-score')).toMatch(/^\d\.\d{4}$/);
        model = data.model;
        text = data.choices[0]?.message.content ?? '';
        const call = data.choices[0]?.message.tool_calls?.[0];
        toolName = call?.type === 'function' ? call.function.name : undefined;
        usageTokens = data.usage?.completion_tokens ?? 0;
      }
      expect(route).toBe(c.backend);
      expect(model).toBe(c.backend === 'claude' ? 'claude-sonnet-4-6' : 'Qwen/Qwen3-14B');
      if (c.tools) expect(toolName).toBe('get_weather');
      else expect(text.length).toBeGreaterThan(0);
      expect(usageTokens).toBeGreaterThan(0);
      const seen = stack.sim.requests({ since });
      expect(seen.map((r) => r.dialect)).toEqual([c.backend === 'claude' ? 'anthropic' : 'openai']);
    });
  }
});

describe('Anthropic client', () => {
  for (const c of cases) {
    test(label(c), async () => {
      const since = stack.sim.requests().at(-1)?.seq ?? 0;
      const params = {
        model: 'claude-haiku-4-5-20251001',
        max_tokens: 200,
        system: 'You are terse.',
        messages: [
          {
            role: 'user' as const,
            content: `${c.backend === 'local' ? PROPRIETARY : PUBLIC} (anthropic ${label(c)})`,
          },
        ],
        ...(c.tools
          ? {
              tools: [
                {
                  name: weatherTool.name,
                  description: weatherTool.description,
                  input_schema: weatherTool.schema,
                },
              ],
              tool_choice: { type: 'any' as const },
            }
          : {}),
      };
      let message: Anthropic.Message;
      let route: string | null;
      if (c.stream) {
        const stream = anthropic().messages.stream(params);
        const response = (await stream.withResponse()).response;
        route = response.headers.get('x-split-brain-route');
        message = await stream.finalMessage();
      } else {
        const { data, response } = await anthropic().messages.create(params).withResponse();
        route = response.headers.get('x-split-brain-route');
        message = data;
      }
      expect(route).toBe(c.backend);
      expect(message.model).toBe(c.backend === 'claude' ? 'claude-haiku-4-5-20251001' : 'Qwen/Qwen3-14B');
      if (c.tools) {
        expect(message.stop_reason).toBe('tool_use');
        const use = message.content.find((b) => b.type === 'tool_use');
        expect(use?.type === 'tool_use' && use.name).toBe('get_weather');
      } else {
        const first = message.content[0];
        expect(first?.type === 'text' && first.text.length > 0).toBe(true);
      }
      expect(message.usage.output_tokens).toBeGreaterThan(0);
      const seen = stack.sim.requests({ since });
      expect(seen.map((r) => r.dialect)).toEqual([c.backend === 'claude' ? 'anthropic' : 'openai']);
    });
  }
});

test('every request above left one audit line with its route, usage and the text the classifier saw', async () => {
  await stack.router.deps.audit.flush();
  const records = (await auditRecords(stack)).filter((r) => r.user === 'matrix@example.com');
  expect(records).toHaveLength(cases.length * 2);
  for (const r of records) {
    expect(r.status).toBe(200);
    expect(r.usage?.outputTokens).toBeGreaterThan(0);
    expect(r.route).toBe(r.text.includes('Project Falcon') ? 'local' : 'claude');
    expect(r.reason).toBe(r.route === 'local' ? 'keyword' : 'below-threshold');
    if (r.route === 'local') expect(r.keywords).toEqual(['Project Falcon']);
  }
  const day = new Date().toISOString().slice(0, 10);
  const ledger = (await stack.store.usage.readDay(day)).filter((e) => e.user === 'matrix@example.com');
  expect(ledger.filter((e) => e.kind === 'settle')).toHaveLength(cases.length * 2);
});
