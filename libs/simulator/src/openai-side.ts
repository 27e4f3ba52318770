/**
 * The OpenAI dialect as ScalarLM serves it (see docs/simulator.md for the quirks reproduced):
 * FastAPI `{detail}` errors (422 for validation), streaming failures as HTTP 200 with one
 * `data: {"error": "…"}` event and no [DONE], usage always streamed, whitespace heartbeats before
 * non-streaming bodies, reasoning in the `reasoning` field, `model: "latest"` resolved only when not
 * streaming.
 */
import {
  extractOpenAITexts,
  joinTexts,
  type OpenAIChatRequest,
  validateOpenAIChatRequest,
} from '@split-brain/wire';
import { type Generated, generate } from './generate.ts';
import { pacedStream, sleep } from './paced-stream.ts';
import type { Profile } from './profile.ts';
import { bearerOrApiKey, readJson, type SideContext } from './side-context.ts';

const jsonHeaders = { 'content-type': 'application/json' };

function detail(status: number, message: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ detail: message }), {
    status,
    headers: { ...jsonHeaders, ...headers },
  });
}

export function openaiModelList(profile: Profile): unknown {
  const created = 1_735_689_600;
  return {
    object: 'list',
    data: profile.models.map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: 'vllm',
      root: id,
      parent: null,
      max_model_len: 32768,
    })),
  };
}

function finishReason(generated: Generated): string {
  if (generated.stop === 'tool') return 'tool_calls';
  return generated.stop === 'max_tokens' ? 'length' : 'stop';
}

function forcedTool(
  request: OpenAIChatRequest,
): { mode: 'any' } | { mode: 'tool'; name: string } | undefined {
  const choice = request.tool_choice;
  if (choice === 'required') return { mode: 'any' };
  if (choice && typeof choice === 'object') return { mode: 'tool', name: choice.function.name };
  return undefined;
}

/** The schema of `response_format: {type: "json_schema", json_schema: {schema}}`, as vLLM's guided decoding takes it. */
function jsonSchemaOf(format: Record<string, unknown> | undefined): unknown {
  if (format?.type !== 'json_schema') return undefined;
  const spec = format.json_schema as { schema?: unknown } | undefined;
  return spec?.schema ?? {};
}

function wantsReasoning(request: OpenAIChatRequest, profile: Profile): boolean {
  const kwargs = request.chat_template_kwargs as { enable_thinking?: unknown } | undefined;
  if (kwargs?.enable_thinking === false) return false;
  return profile.reasoning || kwargs?.enable_thinking === true || request.include_reasoning === true;
}

function streamErrorBody(message: string): Response {
  // ScalarLM's streaming failure: HTTP 200, one error event, no [DONE].
  const text = `data: ${JSON.stringify({ error: `Failed to create chat completions: ${message}` })}\n\n`;
  return new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const sse = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

function splitArguments(text: string): string[] {
  if (text.length < 8) return [text];
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
}

export async function handleOpenAIChat(request: Request, ctx: SideContext): Promise<Response> {
  const { profile, fault } = ctx;
  if (profile.latencyMs > 0) await sleep(profile.latencyMs, ctx.signal);
  if (profile.apiKey !== null && bearerOrApiKey(request.headers) !== profile.apiKey) {
    return detail(401, 'Invalid or missing API key');
  }
  const json = await readJson(request, ctx.note);
  if (!json.ok) {
    return detail(422, [
      {
        type: 'json_invalid',
        loc: ['body', 0],
        msg: 'JSON decode error',
        input: {},
        ctx: { error: json.error },
      },
    ]);
  }
  const validated = validateOpenAIChatRequest(json.value);
  if (!validated.ok) {
    const loc = ['body', ...(validated.error.param?.split('.') ?? [])];
    return detail(422, [{ type: 'value_error', loc, msg: validated.error.message, input: null }]);
  }
  const chat = validated.value;
  ctx.note.texts = extractOpenAITexts(chat);
  ctx.note.stream = chat.stream === true;

  if (fault?.kind === 'http') {
    const headers: Record<string, string> = {};
    if (fault.status === 429) headers['retry-after'] = String(fault.retryAfterSeconds ?? 1);
    return detail(
      fault.status,
      fault.message ?? (fault.status === 429 ? 'Too many requests, retry later' : 'Simulated failure'),
      headers,
    );
  }
  if (fault?.kind === 'hang' && fault.afterEvents === undefined) {
    await ctx.hangs.wait(ctx.signal);
    return detail(503, 'the simulator was stopped');
  }

  let model = chat.model;
  if (!chat.stream && (model === 'latest' || model === '')) model = profile.models[0] ?? model;
  if (!profile.models.includes(model)) {
    if (chat.stream) return streamErrorBody(`The model \`${model}\` does not exist.`);
    return detail(404, `Model ${model} not found`);
  }
  if (fault?.kind === 'upstream-error' && chat.stream && fault.afterEvents === undefined) {
    return streamErrorBody(fault.message ?? 'Simulated vLLM failure');
  }

  const generated = generate({
    model,
    seedText: joinTexts(ctx.note.texts),
    maxTokens: chat.max_completion_tokens ?? chat.max_tokens ?? 4096,
    stopSequences: chat.stop == null ? [] : typeof chat.stop === 'string' ? [chat.stop] : chat.stop,
    tools: (chat.tools ?? []).map((tool) => ({
      name: tool.function.name,
      schema: tool.function.parameters ?? {},
    })),
    forcedTool: forcedTool(chat),
    parallelToolCalls: chat.parallel_tool_calls === false ? 1 : profile.parallelToolCalls,
    thinking: wantsReasoning(chat, profile),
    outputTokens: profile.outputTokens,
    responseSchema: jsonSchemaOf(chat.response_format),
  });
  const id = `chatcmpl-${generated.seed.toString(16)}${Date.now().toString(16)}`;
  const created = Math.floor(Date.now() / 1000);
  const toolCalls = generated.toolCalls.map((call) => ({
    id: `chatcmpl-tool-${call.id}`,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  const usage = {
    prompt_tokens: generated.inputTokens,
    completion_tokens: generated.outputTokens,
    total_tokens: generated.inputTokens + generated.outputTokens,
  };

  if (chat.stream) {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
      sse({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
    const tokens: string[] = [];
    if (generated.reasoning)
      for (const piece of generated.reasoning.split(/(?= )/)) tokens.push(chunk({ reasoning: piece }));
    for (const piece of generated.pieces) tokens.push(chunk({ content: piece }));
    toolCalls.forEach((call, index) => {
      tokens.push(
        chunk({
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
          ],
        }),
      );
      for (const part of splitArguments(call.function.arguments)) {
        tokens.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
      }
    });
    const tail: string[] = [];
    if (fault?.kind === 'upstream-error') {
      tail.push(
        sse({ error: `Failed to create chat completions: ${fault.message ?? 'Simulated vLLM failure'}` }),
      );
    } else {
      // ScalarLM forces include_usage, so the usage chunk is always there.
      tail.push(chunk({}, finishReason(generated)));
      tail.push(sse({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
      tail.push('data: [DONE]\n\n');
    }
    const body = pacedStream(
      { prelude: [chunk({ role: 'assistant', content: '' })], tokens, tail },
      profile,
      fault,
      ctx.signal,
      ctx.hangs,
    );
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  }

  const message: Record<string, unknown> = {
    role: 'assistant',
    content: generated.text || null,
    refusal: null,
  };
  if (generated.reasoning) message.reasoning = generated.reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const failed = fault?.kind === 'upstream-error';
  const response: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: failed ? 'error' : finishReason(generated),
        stop_reason: generated.stopSequence,
      },
    ],
    usage,
  };
  if (failed) response.error = { message: fault.message ?? 'Simulated worker failure', type: 'worker_error' };
  let text = JSON.stringify(response);
  if (fault?.kind === 'malformed') text = text.slice(0, Math.floor(text.length / 2));
  return new Response(heartbeatBody(text, profile, generated, ctx.signal), {
    status: 200,
    headers: jsonHeaders,
  });
}

/** Whitespace heartbeats while the answer "generates", then the JSON: ScalarLM's queue path. */
function heartbeatBody(
  text: string,
  profile: Profile,
  generated: Generated,
  signal: AbortSignal,
): ReadableStream<Uint8Array> | string {
  const generationMs =
    profile.ttftMs +
    (profile.tokensPerSecond > 0 ? (generated.outputTokens * 1000) / profile.tokensPerSecond : 0);
  if (generationMs === 0) return profile.leadingHeartbeat ? ` ${text}` : text;
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      if (profile.leadingHeartbeat) controller.enqueue(encoder.encode(' '));
      let remaining = generationMs;
      while (remaining > 0 && !signal.aborted) {
        const step = Math.min(remaining, profile.heartbeatMs);
        await sleep(step, signal);
        remaining -= step;
        if (remaining > 0) controller.enqueue(encoder.encode(' '));
      }
      if (!signal.aborted) controller.enqueue(encoder.encode(text));
      controller.close();
    },
  });
}
