/**
 * Real-shaped requests in both dialects, for round-trip tests here and for SDK tests against the
 * simulator: multi-turn, system blocks, tools, parallel tool calls, tool results, images, thinking
 * blocks, stop sequences, and the Claude Code quirks (mid-conversation system, empty blocks).
 */
import type { AnthropicMessagesRequest } from './anthropic-schema.ts';
import type { OpenAIChatRequest } from './openai-schema.ts';

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  schema: {
    type: 'object',
    properties: {
      city: { type: 'string', minLength: 2 },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', minimum: 1, maximum: 7 },
    },
    required: ['city', 'unit'],
  },
};
const timeTool = {
  name: 'get_time',
  description: 'Local time in a timezone',
  schema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
};

export interface CorpusCase<T> {
  name: string;
  request: T;
}

export const openaiCorpus: CorpusCase<OpenAIChatRequest>[] = [
  {
    name: 'single user turn',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [{ role: 'user', content: 'Say hello to Ada.' }],
      max_tokens: 64,
    },
  },
  {
    name: 'multi-turn with system and developer messages',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
        { role: 'user', content: 'What is the capital of France?' },
        { role: 'assistant', content: 'Paris.' },
        { role: 'user', content: [{ type: 'text', text: 'And of Italy?' }] },
      ],
      temperature: 0.2,
    },
  },
  {
    name: 'tools with a forced tool choice',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool, timeTool].map((tool) => ({
        type: 'function' as const,
        function: { name: tool.name, description: tool.description, parameters: tool.schema },
      })),
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    },
  },
  {
    name: 'parallel tool calls and their results',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [
        { role: 'user', content: 'Weather and time in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo","unit":"celsius"}' },
            },
            {
              id: 'call.2',
              type: 'function',
              function: { name: 'get_time', arguments: '{"zone":"Europe/Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '4 degrees, light snow' },
        { role: 'tool', tool_call_id: 'call.2', content: [{ type: 'text', text: '14:05' }] },
        { role: 'user', content: 'Summarise.' },
      ],
      tools: [weatherTool, timeTool].map((tool) => ({
        type: 'function' as const,
        function: { name: tool.name, parameters: tool.schema },
      })),
      tool_choice: 'auto',
      parallel_tool_calls: true,
    },
  },
  {
    name: 'required tool choice',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [{ role: 'user', content: 'Time in Tokyo please.' }],
      tools: [{ type: 'function', function: { name: timeTool.name, parameters: timeTool.schema } }],
      tool_choice: 'required',
    },
  },
  {
    name: 'image input',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          ],
        },
      ],
    },
  },
  {
    name: 'stop sequences and reasoning effort',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [{ role: 'user', content: 'Count from one to ten.' }],
      stop: ['seven', 'END'],
      max_completion_tokens: 8000,
      reasoning_effort: 'medium',
      user: 'user-42',
    },
  },
  {
    name: 'assistant reasoning replayed and an empty user part',
    request: {
      model: 'Qwen/Qwen3-14B',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Think first.' },
            { type: 'text', text: '  ' },
          ],
        },
        { role: 'assistant', content: 'Done thinking.', reasoning: 'private chain of thought' },
        { role: 'user', content: 'Now answer.' },
      ],
      stop: 'STOP',
    },
  },
];

export const anthropicCorpus: CorpusCase<AnthropicMessagesRequest>[] = [
  {
    name: 'single user turn',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Say hello to Ada.' }],
    },
  },
  {
    name: 'system blocks with cache_control, multi-turn',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1; cc_entrypoint=cli;' },
        { type: 'text', text: 'You are a careful assistant.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi there' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
        { role: 'user', content: 'Tell me a fact about owls.' },
      ],
      temperature: 0.5,
    },
  },
  {
    name: 'tools with tool choice any (parallel)',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Weather and time in Oslo?' }],
      tools: [weatherTool, timeTool].map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.schema as { type: 'object' },
      })),
      tool_choice: { type: 'any' },
    },
  },
  {
    name: 'tool use and tool results, with a named tool choice',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      messages: [
        { role: 'user', content: 'Weather and time in Oslo?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            {
              type: 'tool_use',
              id: 'toolu_01',
              name: 'get_weather',
              input: { city: 'Oslo', unit: 'celsius' },
            },
            { type: 'tool_use', id: 'toolu_02', name: 'get_time', input: { zone: 'Europe/Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: '4 degrees, light snow' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_02',
              content: [{ type: 'text', text: '14:05' }],
              is_error: false,
            },
            { type: 'text', text: 'Which is colder, Oslo or Bergen?' },
          ],
        },
      ],
      tools: [weatherTool, timeTool].map((tool) => ({
        name: tool.name,
        input_schema: tool.schema as { type: 'object' },
      })),
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
    },
  },
  {
    name: 'images (base64 and url)',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
            { type: 'text', text: 'Describe both images.' },
          ],
        },
      ],
    },
  },
  {
    name: 'thinking enabled with a signed thinking block replayed',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'Is 97 prime?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Check divisors up to 9.', signature: 'c2lnbmF0dXJl' },
            { type: 'redacted_thinking', data: 'ZW5jcnlwdGVk' },
            { type: 'text', text: 'Yes.' },
          ],
        },
        { role: 'user', content: 'And 91?' },
      ],
    },
  },
  {
    name: 'stop sequences, metadata and top_k',
    request: {
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 300,
      stop_sequences: ['seven', '###'],
      metadata: { user_id: 'user-42' },
      top_k: 40,
      messages: [{ role: 'user', content: 'Count from one to ten.' }],
    },
  },
  {
    name: 'Claude Code quirks: mid-conversation system and empty text blocks',
    request: {
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      system: 'You are Claude Code.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'List the files.' },
          ],
        },
        { role: 'assistant', content: 'There are three files.' },
        { role: 'system', content: 'The user switched to plan mode.' },
        { role: 'user', content: 'Plan the refactor.' },
      ],
    },
  },
];
