/**
 * The official SDKs as clients: against the simulator directly (proves the simulator is faithful),
 * and through a minimal translating proxy built from @split-brain/wire (proves translated responses
 * and streams parse in the other dialect's SDK), for every case of the request corpus.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import Anthropic from '@anthropic-ai/sdk';
import {
  type AnthropicMessagesRequest,
  anthropicMessageResponseSchema,
  anthropicToOpenAIRequest,
  anthropicToOpenAIResponse,
  createStreamTranslator,
  type OpenAIChatRequest,
  openaiChatResponseSchema,
  openaiToAnthropicRequest,
  openaiToAnthropicResponse,
  translateSseBody,
} from '@split-brain/wire';
import { anthropicCorpus, openaiCorpus } from '@split-brain/wire/request-corpus';
import OpenAI from 'openai';
import { type Simulator, startSimulator } from './server.ts';

let sim: Simulator;
let proxy: ReturnType<typeof Bun.serve>;

/** A tiny cross-dialect gateway: OpenAI clients reach the Anthropic side and vice versa. */
function startTranslatingProxy(upstream: string): ReturnType<typeof Bun.serve> {
  return Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const body = await request.json();
      if (path === '/v1/chat/completions') {
        const client = body as OpenAIChatRequest;
        const translated = openaiToAnthropicRequest(client, {
          model: 'claude-sonnet-4-6',
          defaultMaxTokens: 1024,
        });
        const response = await fetch(`${upstream}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: JSON.stringify(translated),
        });
        if (!client.stream) {
          const message = anthropicMessageResponseSchema.parse(await response.json());
          return Response.json(anthropicToOpenAIResponse(message));
        }
        const translator = createStreamTranslator({
          from: 'anthropic',
          to: 'openai',
          includeUsage: client.stream_options?.include_usage === true,
        });
        return new Response(translateSseBody(response.body!, translator), {
          headers: { 'content-type': 'text/event-stream' },
        });
      }
      const client = body as AnthropicMessagesRequest;
      const translated = anthropicToOpenAIRequest(client, { model: 'Qwen/Qwen3-14B' });
      const response = await fetch(`${upstream}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(translated),
      });
      if (!client.stream) {
        const completion = openaiChatResponseSchema.parse(JSON.parse(await response.text()));
        return Response.json(openaiToAnthropicResponse(completion));
      }
      const translator = createStreamTranslator({ from: 'openai', to: 'anthropic' });
      return new Response(translateSseBody(response.body!, translator), {
        headers: { 'content-type': 'text/event-stream' },
      });
    },
  });
}

beforeAll(() => {
  sim = startSimulator();
  proxy = startTranslatingProxy(sim.url);
});
afterAll(async () => {
  await proxy.stop(true);
  await sim.stop();
});

const openaiClient = (base: string) => new OpenAI({ apiKey: 'unused', baseURL: `${base}/v1`, maxRetries: 0 });
const anthropicClient = (base: string) => new Anthropic({ apiKey: 'unused', baseURL: base, maxRetries: 0 });

function checkToolCalls(calls: { name: string; input: unknown }[]): void {
  for (const call of calls) {
    const input = call.input as Record<string, unknown>;
    if (call.name === 'get_weather') {
      expect(typeof input.city).toBe('string');
      expect((input.city as string).length).toBeGreaterThanOrEqual(2);
      expect(['celsius', 'fahrenheit']).toContain(input.unit as string);
    } else {
      expect(call.name).toBe('get_time');
      expect(typeof input.zone).toBe('string');
    }
  }
}

async function viaOpenAISdk(base: string, request: OpenAIChatRequest, model: string) {
  const client = openaiClient(base);
  const params = { ...request, model } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
  const plain = await client.chat.completions.create({ ...params, stream: false });
  const streamed = await client.chat.completions
    .stream({ ...params, stream: true, stream_options: { include_usage: true } })
    .finalChatCompletion();
  for (const completion of [plain, streamed]) {
    const choice = completion.choices[0]!;
    expect(['stop', 'length', 'tool_calls']).toContain(choice.finish_reason);
    const calls = (choice.message.tool_calls ?? []).map((call) => {
      if (call.type !== 'function') throw new Error('expected a function call');
      return { name: call.function.name, input: JSON.parse(call.function.arguments) };
    });
    if (request.tool_choice === 'required' || typeof request.tool_choice === 'object') {
      expect(choice.finish_reason).toBe('tool_calls');
      expect(calls.length).toBeGreaterThan(0);
    } else expect(choice.message.content?.length).toBeGreaterThan(0);
    checkToolCalls(calls);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  }
  // A stream opens with content "" where a plain answer with only tool calls has null.
  expect(streamed.choices[0]?.message.content || null).toEqual(plain.choices[0]?.message.content || null);
  return { plain, streamed };
}

async function viaAnthropicSdk(base: string, request: AnthropicMessagesRequest) {
  const client = anthropicClient(base);
  const params = request as unknown as Anthropic.MessageCreateParamsNonStreaming;
  const plain = await client.messages.create({ ...params, stream: false });
  const streamed = await client.messages.stream(params).finalMessage();
  for (const message of [plain, streamed]) {
    const calls = message.content.flatMap((block) =>
      block.type === 'tool_use' ? [{ name: block.name, input: block.input }] : [],
    );
    if (request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool') {
      expect(message.stop_reason).toBe('tool_use');
      expect(calls.length).toBeGreaterThan(0);
    } else expect(message.content.some((block) => block.type === 'text' && block.text.length > 0)).toBe(true);
    checkToolCalls(calls);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  }
  expect(streamed.content as unknown[]).toEqual(plain.content);
  return { plain, streamed };
}

describe('openai SDK → simulator (ScalarLM side)', () => {
  for (const { name, request } of openaiCorpus) {
    test(name, async () => {
      await viaOpenAISdk(sim.url, request, 'Qwen/Qwen3-14B');
    });
  }
});

describe('openai SDK → simulator: response_format json_schema (guided decoding)', () => {
  test('the answer is one JSON value that fits the schema', async () => {
    const completion = await openaiClient(sim.url).chat.completions.create({
      model: 'Qwen/Qwen3-14B',
      messages: [{ role: 'user', content: 'Write questions about section 2.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'questions',
          schema: {
            type: 'object',
            properties: {
              employee: { type: 'array', items: { type: 'string' } },
              count: { type: 'integer' },
            },
            required: ['employee', 'count'],
          },
        },
      },
    });
    const parsed = JSON.parse(completion.choices[0]!.message.content!);
    expect(Array.isArray(parsed.employee)).toBe(true);
    expect(typeof parsed.employee[0]).toBe('string');
    expect(Number.isInteger(parsed.count)).toBe(true);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });
});

describe('@anthropic-ai/sdk → simulator (Anthropic side)', () => {
  for (const { name, request } of anthropicCorpus) {
    test(name, async () => {
      await viaAnthropicSdk(sim.url, request);
    });
  }
});

describe('openai SDK → translating proxy → Anthropic side', () => {
  for (const { name, request } of openaiCorpus) {
    test(name, async () => {
      const { streamed } = await viaOpenAISdk(`http://127.0.0.1:${proxy.port}`, request, 'gpt-client-model');
      expect(streamed.usage?.prompt_tokens).toBeGreaterThan(0);
    });
  }
});

describe('@anthropic-ai/sdk → translating proxy → ScalarLM side', () => {
  for (const { name, request } of anthropicCorpus) {
    test(name, async () => {
      const { streamed } = await viaAnthropicSdk(`http://127.0.0.1:${proxy.port}`, request);
      if (request.thinking?.type === 'enabled') expect(streamed.content[0]?.type).toBe('thinking');
    });
  }
});
