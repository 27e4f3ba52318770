import { describe, expect, test } from 'bun:test';
import { formatSse, type SseEvent, SseReader } from './sse.ts';
import { translateSseBody } from './sse-pipe.ts';
import { createStreamTranslator, type StreamTranslatorOptions } from './stream-translator.ts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'Qwen/Qwen3-14B', choices: [{ index: 0, delta, finish_reason: finish }] })}\r\n\r\n`;

/** A vLLM-style stream: reasoning, text (multi-byte), two parallel tool calls, usage after finish_reason. */
const openaiSample = [
  ': keep-alive comment\r\n\r\n',
  chunk({ role: 'assistant', content: '' }),
  chunk({ reasoning: 'Think about Zürich ' }),
  chunk({ reasoning_content: 'and Oslo.' }),
  chunk({ content: 'Checking the weather 🌦 ' }),
  chunk({ content: 'now.' }),
  chunk({
    tool_calls: [
      { index: 0, id: 'chatcmpl-tool-a', type: 'function', function: { name: 'get_weather', arguments: '' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Zürich"}' } }] }),
  chunk({
    tool_calls: [
      {
        index: 1,
        id: 'chatcmpl-tool-b',
        type: 'function',
        function: { name: 'get_time', arguments: '{"zone":"CET"}' },
      },
    ],
  }),
  chunk({}, 'tool_calls'),
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'Qwen/Qwen3-14B', choices: [], usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 } })}\r\n\r\n`,
  'data: [DONE]\r\n\r\n',
].join('');

const event = (value: { type: string } & Record<string, unknown>): string =>
  `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;

const anthropicSample = [
  event({
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 30,
        output_tokens: 1,
        cache_read_input_tokens: 10,
        cache_creation_input_tokens: 0,
      },
    },
  }),
  event({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'thinking', thinking: '', signature: '' },
  }),
  event({ type: 'ping' }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Wäge ab.' } }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } }),
  event({ type: 'content_block_stop', index: 0 }),
  event({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
  event({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'text_delta', text: 'Line one\nline two 🌦' },
  }),
  event({ type: 'content_block_stop', index: 1 }),
  event({
    type: 'content_block_start',
    index: 2,
    content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
  }),
  event({
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '{"city":' },
  }),
  event({
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '"Oslo"}' },
  }),
  event({ type: 'content_block_stop', index: 2 }),
  event({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 40 },
  }),
  event({ type: 'message_stop' }),
].join('');

function run(options: StreamTranslatorOptions, parts: Uint8Array[]) {
  const reader = new SseReader();
  const translator = createStreamTranslator(options);
  const out: SseEvent[] = [];
  for (const part of parts) for (const ev of reader.push(part)) out.push(...translator.push(ev));
  out.push(...translator.end(reader.end().incomplete));
  return { out, translator };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const pairs: [StreamTranslatorOptions, string][] = [
  [{ from: 'openai', to: 'anthropic' }, openaiSample],
  [{ from: 'openai', to: 'openai', includeUsage: true }, openaiSample],
  [{ from: 'anthropic', to: 'openai', includeUsage: true, now: () => 0 }, anthropicSample],
  [{ from: 'anthropic', to: 'anthropic' }, anthropicSample],
];

describe('adversarial chunking: every byte boundary gives the same translation', () => {
  for (const [options, sample] of pairs) {
    test(`${options.from} → ${options.to}`, () => {
      const all = bytes(sample);
      const reference = run(options, [all]);
      expect(reference.translator.finished).toBe(true);
      expect(reference.translator.failed).toBe(false);
      for (let cut = 1; cut < all.length; cut++) {
        const split = run(options, [all.subarray(0, cut), all.subarray(cut)]);
        expect(split.out).toEqual(reference.out);
      }
      const singleBytes = run(
        options,
        Array.from(all, (_, i) => all.subarray(i, i + 1)),
      );
      expect(singleBytes.out).toEqual(reference.out);
      expect(singleBytes.translator.usage).toEqual(reference.translator.usage);
    });
  }
});

function anthropicEvents(out: SseEvent[]): { type: string; [key: string]: unknown }[] {
  return out.map((ev) => {
    const data = JSON.parse(ev.data);
    expect(ev.event).toBe(data.type);
    return data;
  });
}

test('OpenAI → Anthropic produces the full event sequence with ordered blocks and merged usage', () => {
  const { out, translator } = run({ from: 'openai', to: 'anthropic' }, [bytes(openaiSample)]);
  const events = anthropicEvents(out);
  expect(
    events.map((e) =>
      e.type === 'content_block_start' ? `start:${(e.content_block as { type: string }).type}` : e.type,
    ),
  ).toEqual([
    'message_start',
    'start:thinking',
    'content_block_delta',
    'content_block_delta',
    'content_block_stop',
    'start:text',
    'content_block_delta',
    'content_block_delta',
    'content_block_stop',
    'start:tool_use',
    'content_block_delta',
    'content_block_delta',
    'content_block_stop',
    'start:tool_use',
    'content_block_delta',
    'content_block_stop',
    'message_delta',
    'message_stop',
  ]);
  const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.index);
  expect(starts).toEqual([0, 1, 2, 3]);
  expect(events.find((e) => e.type === 'message_delta')).toMatchObject({
    delta: { stop_reason: 'tool_use' },
    usage: { input_tokens: 50, output_tokens: 12 },
  });
  expect(events[9]).toMatchObject({ content_block: { id: 'chatcmpl-tool-a', name: 'get_weather' } });
  const args = events
    .filter((e) => e.type === 'content_block_delta' && e.index === 2)
    .map((e) => (e.delta as { partial_json: string }).partial_json)
    .join('');
  expect(JSON.parse(args)).toEqual({ city: 'Zürich' });
  expect(translator.usage).toEqual({
    inputTokens: 50,
    outputTokens: 12,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
  });
});

test('Anthropic → OpenAI produces chunks, tool call deltas, finish_reason, usage chunk and [DONE]', () => {
  const { out, translator } = run({ from: 'anthropic', to: 'openai', includeUsage: true }, [
    bytes(anthropicSample),
  ]);
  expect(out.every((ev) => ev.event === undefined)).toBe(true);
  expect(out.at(-1)?.data).toBe('[DONE]');
  const chunks = out.slice(0, -1).map((ev) => JSON.parse(ev.data));
  expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
  const deltas = chunks.flatMap((c) => c.choices.map((choice: { delta: unknown }) => choice.delta));
  expect(deltas).toContainEqual({ reasoning: 'Wäge ab.' });
  expect(deltas).toContainEqual({ content: 'Line one\nline two 🌦' });
  expect(deltas).toContainEqual({
    tool_calls: [
      { index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
    ],
  });
  expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
  expect(chunks.at(-1)).toMatchObject({
    choices: [],
    usage: {
      prompt_tokens: 40,
      completion_tokens: 40,
      total_tokens: 80,
      prompt_tokens_details: { cached_tokens: 10 },
    },
  });
  expect(translator.usage).toEqual({
    inputTokens: 30,
    outputTokens: 40,
    cacheReadInputTokens: 10,
    cacheCreationInputTokens: 0,
  });
});

test('OpenAI passthrough hides the usage chunk ScalarLM forces when the client did not ask for it', () => {
  const { out, translator } = run({ from: 'openai', to: 'openai', includeUsage: false }, [
    bytes(openaiSample),
  ]);
  expect(out.some((ev) => ev.data.includes('"usage"'))).toBe(false);
  expect(out.at(-1)?.data).toBe('[DONE]');
  expect(translator.usage.outputTokens).toBe(12);
});

describe('malformed upstream streams end with one clean error event', () => {
  const garbage = 'data: {"choices": [tru\n\n';
  const cases: [StreamTranslatorOptions, string, RegExp][] = [
    [
      { from: 'openai', to: 'anthropic' },
      chunk({ content: 'hi' }) + garbage + chunk({ content: 'more' }),
      /not JSON/,
    ],
    [{ from: 'openai', to: 'openai' }, chunk({ content: 'hi' }) + garbage, /not JSON/],
    [{ from: 'anthropic', to: 'openai' }, anthropicSample.slice(0, 400) + garbage, /not JSON/],
    [
      { from: 'anthropic', to: 'anthropic' },
      `${event({ type: 'message_start', message: {} })}`,
      /malformed message_start/,
    ],
    // ScalarLM's streaming failure: HTTP 200, one error event, no [DONE].
    [
      { from: 'openai', to: 'anthropic' },
      'data: {"error": "Failed to create chat completions: boom"}\n\n',
      /boom/,
    ],
    [
      { from: 'openai', to: 'openai' },
      'data: {"error": "Failed to create chat completions: boom"}\n\n',
      /boom/,
    ],
    // Cut mid-event, and cut between events.
    [
      { from: 'anthropic', to: 'openai' },
      anthropicSample.slice(0, anthropicSample.length - 20),
      /cut mid-event/,
    ],
    [
      { from: 'openai', to: 'anthropic' },
      openaiSample.slice(0, openaiSample.indexOf('data: [DONE]') - 300),
      /cut mid-event|ended before/,
    ],
    [
      { from: 'anthropic', to: 'anthropic' },
      anthropicSample.slice(0, anthropicSample.indexOf('event: message_delta')),
      /ended before/,
    ],
  ];
  for (const [options, sample, message] of cases) {
    test(`${options.from} → ${options.to}: ${message.source}`, () => {
      const { out, translator } = run(options, [bytes(sample)]);
      expect(translator.failed).toBe(true);
      const errors = out.filter(
        (ev) => ev.data.includes('"error"') && (ev.event === 'error' || ev.event === undefined),
      );
      const last = out.at(-1)!;
      expect(errors.at(-1)).toBe(last);
      const body = JSON.parse(last.data);
      if (options.to === 'anthropic') {
        expect(last.event).toBe('error');
        expect(body).toMatchObject({
          type: 'error',
          error: { type: 'api_error', message: expect.stringMatching(message) },
        });
      } else {
        expect(body).toMatchObject({
          error: { type: 'server_error', message: expect.stringMatching(message) },
        });
      }
      expect(
        out.filter((ev) => ev === last || ev.event === 'error' || ev.data.startsWith('{"error"')),
      ).toHaveLength(1);
    });
  }
});

describe('SSE reader and writer', () => {
  test('multi-line data, comments, ids, CR-only and CRLF line ends', () => {
    const reader = new SseReader();
    const events = reader.push(
      ': ping\n\nevent: a\nid: 7\ndata: one\ndata: two\n\ndata:three\r\rdata: four\r\n\r\n',
    );
    expect(events).toEqual([{ event: 'a', id: '7', data: 'one\ntwo' }, { data: 'three' }, { data: 'four' }]);
    expect(reader.end().incomplete).toBe(false);
  });

  test('a stream that stops inside an event is reported as incomplete and the partial event dropped', () => {
    const reader = new SseReader();
    expect(reader.push('data: {"a":1}\n\ndata: {"b"')).toEqual([{ data: '{"a":1}' }]);
    expect(reader.end().incomplete).toBe(true);
    const fieldsOnly = new SseReader();
    expect(fieldsOnly.push('data: x\n')).toEqual([]);
    expect(fieldsOnly.end().incomplete).toBe(true);
  });

  test('formatSse round-trips through the reader, including line breaks in data', () => {
    const original: SseEvent[] = [
      { event: 'message_delta', data: 'a\nb\r\nc' },
      { data: '[DONE]' },
      { id: '3', data: '' },
    ];
    const reader = new SseReader();
    const back = reader.push(original.map(formatSse).join(''));
    expect(back).toEqual([
      { event: 'message_delta', data: 'a\nb\nc' },
      { data: '[DONE]' },
      { id: '3', data: '' },
    ]);
  });
});

test('translateSseBody pipes a byte stream and reports usage on close', async () => {
  const all = bytes(openaiSample);
  const upstream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < all.length; i += 7) controller.enqueue(all.subarray(i, i + 7));
      controller.close();
    },
  });
  const translator = createStreamTranslator({ from: 'openai', to: 'anthropic' });
  let closed = false;
  const text = await new Response(
    translateSseBody(upstream, translator, { onClose: () => (closed = true) }),
  ).text();
  expect(closed).toBe(true);
  expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  expect(translator.usage.inputTokens).toBe(50);
});
