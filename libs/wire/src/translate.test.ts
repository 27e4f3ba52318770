import { describe, expect, test } from 'bun:test';
import type { AnthropicMessagesRequest } from './anthropic-schema.ts';
import { prepareAnthropicRequestForClaude } from './claude-request.ts';
import { type ExtractedText, extractAnthropicTexts, extractOpenAITexts } from './extract-texts.ts';
import type { OpenAIChatRequest, OpenAIChatResponse } from './openai-schema.ts';
import { anthropicCorpus, openaiCorpus } from './request-corpus.ts';
import { anthropicToOpenAIRequest, openaiToAnthropicRequest } from './translate-request.ts';
import {
  anthropicToOpenAIResponse,
  openaiResponseError,
  openaiToAnthropicResponse,
} from './translate-response.ts';
import { validateAnthropicMessagesRequest, validateOpenAIChatRequest } from './validate.ts';

/** The words a model would read, ignoring layout and thinking (which is dropped on purpose). */
function words(texts: ExtractedText[]): string[] {
  return texts
    .filter((piece) => piece.source !== 'thinking')
    .flatMap((piece) => {
      // Tool calls compare by parsed arguments: the JSON text may be re-serialised.
      if (piece.source === 'tool_call') {
        const [name, ...rest] = piece.text.split('\n');
        return [name ?? '', JSON.stringify(JSON.parse(rest.join('\n')))];
      }
      return piece.text.split(/\s+/);
    })
    .filter((word) => word !== '')
    .sort();
}

describe('OpenAI request → Anthropic → OpenAI', () => {
  for (const { name, request } of openaiCorpus) {
    test(name, () => {
      const valid = validateOpenAIChatRequest(request);
      expect(valid.ok).toBe(true);
      const anthropic = openaiToAnthropicRequest(request, {
        model: 'claude-sonnet-4-6',
        defaultMaxTokens: 4096,
      });
      const check = validateAnthropicMessagesRequest(JSON.parse(JSON.stringify(anthropic)));
      if (!check.ok) throw check.error;
      expect(words(extractAnthropicTexts(anthropic))).toEqual(words(extractOpenAITexts(request)));
      const back = anthropicToOpenAIRequest(anthropic, { model: request.model });
      expect(validateOpenAIChatRequest(back).ok).toBe(true);
      expect(words(extractOpenAITexts(back))).toEqual(words(extractOpenAITexts(request)));
    });
  }

  test('system and developer messages become the top-level system; tool results follow their calls', () => {
    const request = openaiCorpus.find((c) => c.name.startsWith('parallel'))!.request;
    const out = openaiToAnthropicRequest(request, { model: 'claude-sonnet-4-6', defaultMaxTokens: 1000 });
    expect(out.max_tokens).toBe(1000);
    const [user, assistant, results] = out.messages;
    expect(user?.role).toBe('user');
    expect(assistant?.content).toMatchObject([
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo', unit: 'celsius' } },
      // "call.2" is not a valid Anthropic id; the result below must use the same replacement.
      { type: 'tool_use', id: 'call_2', name: 'get_time' },
    ]);
    expect(results?.role).toBe('user');
    expect(results?.content).toMatchObject([
      { type: 'tool_result', tool_use_id: 'call_1', content: '4 degrees, light snow' },
      { type: 'tool_result', tool_use_id: 'call_2', content: '14:05' },
      { type: 'text', text: 'Summarise.' },
    ]);
    expect(out.messages).toHaveLength(3);
    const system = openaiToAnthropicRequest(openaiCorpus[1]!.request, {
      model: 'c',
      defaultMaxTokens: 10,
    }).system;
    expect(system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in English.' },
    ]);
  });

  test('tool choice, stop, user, reasoning effort and images map to their Anthropic fields', () => {
    const forced = openaiToAnthropicRequest(openaiCorpus[2]!.request, { model: 'c', defaultMaxTokens: 10 });
    expect(forced.tool_choice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(forced.tools?.[0]).toMatchObject({
      name: 'get_weather',
      input_schema: { type: 'object', required: ['city', 'unit'] },
    });
    expect(
      openaiToAnthropicRequest(openaiCorpus[4]!.request, { model: 'c', defaultMaxTokens: 10 }).tool_choice,
    ).toEqual({ type: 'any' });
    const stops = openaiToAnthropicRequest(openaiCorpus[6]!.request, { model: 'c', defaultMaxTokens: 10 });
    expect(stops).toMatchObject({
      stop_sequences: ['seven', 'END'],
      metadata: { user_id: 'user-42' },
      max_tokens: 8000,
      thinking: { type: 'enabled', budget_tokens: 4096 },
    });
    const image = openaiToAnthropicRequest(openaiCorpus[5]!.request, { model: 'c', defaultMaxTokens: 10 });
    expect(image.messages[0]?.content).toMatchObject([
      { type: 'text' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  test('blank parts and replayed reasoning never reach Claude', () => {
    const out = openaiToAnthropicRequest(openaiCorpus[7]!.request, { model: 'c', defaultMaxTokens: 10 });
    expect(JSON.stringify(out)).not.toContain('private chain of thought');
    expect(out.messages[0]?.content).toEqual([{ type: 'text', text: 'Think first.' }]);
  });
});

describe('Anthropic request → OpenAI → Anthropic', () => {
  for (const { name, request } of anthropicCorpus) {
    test(name, () => {
      const valid = validateAnthropicMessagesRequest(request);
      if (!valid.ok) throw valid.error;
      const openai = anthropicToOpenAIRequest(request, { model: 'Qwen/Qwen3-14B' });
      const check = validateOpenAIChatRequest(JSON.parse(JSON.stringify(openai)));
      if (!check.ok) throw check.error;
      // Only one leading system message: vLLM rejects a system message anywhere else.
      expect(openai.messages.slice(1).some((m) => m.role === 'system')).toBe(false);
      expect(words(extractOpenAITexts(openai))).toEqual(words(extractAnthropicTexts(request)));
      const back = openaiToAnthropicRequest(openai, {
        model: request.model,
        defaultMaxTokens: request.max_tokens,
      });
      expect(validateAnthropicMessagesRequest(JSON.parse(JSON.stringify(back))).ok).toBe(true);
      expect(words(extractAnthropicTexts(back))).toEqual(words(extractAnthropicTexts(request)));
    });
  }

  test('tool results become tool messages placed before the rest of the user turn', () => {
    const openai = anthropicToOpenAIRequest(anthropicCorpus[3]!.request, { model: 'm' });
    expect(openai.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
    expect(openai.messages[1]).toMatchObject({
      content: 'Checking both.',
      tool_calls: [
        { id: 'toolu_01', function: { name: 'get_weather', arguments: '{"city":"Oslo","unit":"celsius"}' } },
        { id: 'toolu_02', function: { name: 'get_time' } },
      ],
    });
    expect(openai.messages[3]).toEqual({ role: 'tool', tool_call_id: 'toolu_02', content: '14:05' });
    expect(openai.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(openai.parallel_tool_calls).toBe(false);
  });

  test('system blocks and mid-conversation system merge; thinking and cache_control are dropped', () => {
    const quirks = anthropicToOpenAIRequest(anthropicCorpus[7]!.request, { model: 'm' });
    expect(quirks.messages[0]).toEqual({
      role: 'system',
      content: 'You are Claude Code.\n\nThe user switched to plan mode.',
    });
    expect(quirks.messages[1]).toEqual({ role: 'user', content: 'List the files.' });
    const thinking = anthropicToOpenAIRequest(anthropicCorpus[5]!.request, { model: 'm' });
    const text = JSON.stringify(thinking);
    expect(text).not.toContain('Check divisors');
    expect(text).not.toContain('ZW5jcnlwdGVk');
    expect(thinking.chat_template_kwargs).toEqual({ enable_thinking: true });
    expect(
      JSON.stringify(anthropicToOpenAIRequest(anthropicCorpus[1]!.request, { model: 'm' })),
    ).not.toContain('cache_control');
  });

  test('streaming requests ask for usage; stop sequences and images map', () => {
    const request: AnthropicMessagesRequest = {
      ...anthropicCorpus[4]!.request,
      stream: true,
      stop_sequences: ['x'],
    };
    const openai = anthropicToOpenAIRequest(request, { model: 'm' });
    expect(openai).toMatchObject({ stream: true, stream_options: { include_usage: true }, stop: ['x'] });
    expect(openai.messages[0]?.content).toMatchObject([
      { type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      { type: 'text', text: 'Describe both images.' },
    ]);
  });
});

describe('responses', () => {
  const openaiResponse: OpenAIChatResponse = {
    id: 'chatcmpl-abc',
    object: 'chat.completion',
    created: 1,
    model: 'Qwen/Qwen3-14B',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Checking.',
          reasoning: 'need the weather',
          tool_calls: [
            {
              id: 'chatcmpl-tool-1.a',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: {
      prompt_tokens: 100,
      completion_tokens: 20,
      total_tokens: 120,
      prompt_tokens_details: { cached_tokens: 40 },
    },
  };

  test('OpenAI → Anthropic: reasoning, text, tool use, stop reason and cached usage', () => {
    const out = openaiToAnthropicResponse(openaiResponse);
    expect(out.content).toEqual([
      { type: 'thinking', thinking: 'need the weather', signature: '' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'chatcmpl-tool-1_a', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(out.stop_reason).toBe('tool_use');
    expect(out.usage).toEqual({
      input_tokens: 60,
      output_tokens: 20,
      cache_read_input_tokens: 40,
      cache_creation_input_tokens: 0,
    });
  });

  test('Anthropic → OpenAI and back keeps text, calls, stop reason and usage totals', () => {
    const anthropic = openaiToAnthropicResponse(openaiResponse);
    const back = anthropicToOpenAIResponse(anthropic, 5000);
    expect(back.choices[0]?.finish_reason).toBe('tool_calls');
    expect(back.choices[0]?.message.content).toBe('Checking.');
    expect(back.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
      name: 'get_weather',
      arguments: '{"city":"Oslo"}',
    });
    expect(back.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    for (const [reason, finish] of [
      ['end_turn', 'stop'],
      ['max_tokens', 'length'],
      ['stop_sequence', 'stop'],
      ['refusal', 'content_filter'],
    ] as const) {
      expect(anthropicToOpenAIResponse({ ...anthropic, stop_reason: reason }).choices[0]?.finish_reason).toBe(
        finish,
      );
    }
  });

  test("ScalarLM's finish_reason error becomes a 500 instead of an empty answer", () => {
    const failed = {
      ...openaiResponse,
      choices: [{ ...openaiResponse.choices[0]!, finish_reason: 'error' }],
      error: { message: 'worker died', type: 'worker_error' },
    };
    expect(openaiResponseError(failed)).toMatchObject({ status: 500, message: 'worker died' });
    expect(openaiResponseError(openaiResponse)).toBeUndefined();
  });
});

test('validation names the field at fault in each dialect', () => {
  const openai = validateOpenAIChatRequest({ model: 'm', messages: [{ role: 'user', content: 5 }] });
  expect(openai.ok).toBe(false);
  if (!openai.ok) expect(openai.error.param).toBe('messages.0.content');
  const noMessages = validateOpenAIChatRequest({ model: 'm' });
  expect(noMessages.ok ? undefined : noMessages.error).toMatchObject({
    param: 'messages',
    message: 'Field required',
  });
  // A present field of the wrong type is not "required": the message says what type was expected.
  for (const maxTokens of ['32', 1.5, []]) {
    const wrongType = validateOpenAIChatRequest({
      model: 'm',
      max_tokens: maxTokens,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(wrongType.ok ? undefined : wrongType.error.param).toBe('max_tokens');
    expect(wrongType.ok ? '' : wrongType.error.message).not.toBe('Field required');
  }
  const anthropic = validateAnthropicMessagesRequest({
    model: 'c',
    messages: [{ role: 'user', content: 'x' }],
  });
  if (!anthropic.ok)
    expect(anthropic.error).toMatchObject({ status: 400, kind: 'invalid_request', param: 'max_tokens' });
  else throw new Error('max_tokens is required');
  const budget = validateAnthropicMessagesRequest({
    model: 'c',
    max_tokens: 1000,
    thinking: { type: 'enabled', budget_tokens: 2000 },
    messages: [{ role: 'user', content: 'x' }],
  });
  expect(budget.ok ? undefined : budget.error.param).toBe('thinking.budget_tokens');
  const orphan = validateOpenAIChatRequest({
    model: 'm',
    messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }],
  });
  expect(orphan.ok ? undefined : orphan.error.param).toBe('messages.0.tool_call_id');
  const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] } satisfies OpenAIChatRequest;
  expect(validateOpenAIChatRequest(body).ok).toBe(true);
});

test('requests bound for Claude lose blank blocks, unsigned thinking and inline system messages', () => {
  const request: AnthropicMessagesRequest = {
    ...anthropicCorpus[7]!.request,
    messages: [
      ...anthropicCorpus[7]!.request.messages,
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'from the local model', signature: '' },
          { type: 'thinking', thinking: 'from Claude', signature: 'c2ln' },
          { type: 'text', text: 'Plan ready.' },
        ],
      },
    ],
  };
  const out = prepareAnthropicRequestForClaude(request);
  expect(out.system).toEqual([
    { type: 'text', text: 'You are Claude Code.' },
    { type: 'text', text: 'The user switched to plan mode.' },
  ]);
  expect(out.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  expect(out.messages[0]?.content).toEqual([{ type: 'text', text: 'List the files.' }]);
  expect(out.messages[3]?.content).toEqual([
    { type: 'thinking', thinking: 'from Claude', signature: 'c2ln' },
    { type: 'text', text: 'Plan ready.' },
  ]);
  expect(anthropicCorpus[7]!.request.messages).toHaveLength(4); // input untouched
});
