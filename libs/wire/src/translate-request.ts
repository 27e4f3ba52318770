/**
 * Request translation between dialects. What the target cannot represent is dropped on purpose
 * (the list is in docs/wire-formats.md); nothing is passed through in a shape the target would reject.
 */
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessagesRequest,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-schema.ts';
import type {
  OpenAIChatRequest,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolCall,
  OpenAIToolChoice,
  OpenAIUserPart,
} from './openai-schema.ts';
import { toAnthropicToolId } from './tool-ids.ts';

// ───────────────────────── OpenAI client → Anthropic backend ─────────────────────────

export interface ToAnthropicOptions {
  /** The Claude model to ask for (the router decides it). */
  model: string;
  /** Used when the client set neither max_tokens nor max_completion_tokens (Anthropic requires one). */
  defaultMaxTokens: number;
}

type AnthropicBlockOut = Record<string, unknown> & { type: string };
interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlockOut[];
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function textOf(content: string | { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

const dataUrl = /^data:([^;,]+);base64,(.*)$/s;

function imageFromUrl(url: string): AnthropicBlockOut | undefined {
  const match = dataUrl.exec(url);
  if (match) return { type: 'image', source: { type: 'base64', media_type: match[1], data: match[2] } };
  if (/^https?:\/\//.test(url)) return { type: 'image', source: { type: 'url', url } };
  return undefined;
}

function userPartToBlock(part: OpenAIUserPart): AnthropicBlockOut | undefined {
  if (part.type === 'text') return isBlank(part.text) ? undefined : { type: 'text', text: part.text };
  if (part.type === 'image_url') return imageFromUrl(part.image_url.url);
  if (part.type === 'file') {
    const data = typeof part.file.file_data === 'string' ? dataUrl.exec(part.file.file_data) : null;
    if (data && data[1] === 'application/pdf') {
      return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: data[2] } };
    }
  }
  return undefined; // input_audio and non-PDF files have no Messages equivalent
}

function parseArguments(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {}; // a model's broken JSON cannot be a tool_use input; the call itself is kept
  }
}

function appendTurn(turns: AnthropicTurn[], role: 'user' | 'assistant', blocks: AnthropicBlockOut[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  // Consecutive same-role turns merge; tool results stay first because they arrive first.
  if (last && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function openaiToolChoiceToAnthropic(
  choice: OpenAIToolChoice | undefined,
  parallel: boolean | undefined,
): AnthropicToolChoice | undefined {
  let out: AnthropicToolChoice | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'none') return { type: 'none' };
  else if (choice === 'required') out = { type: 'any' };
  else if (choice) out = { type: 'tool', name: choice.function.name };
  if (parallel === false) out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

const effortBudgets: Record<string, number> = { low: 1024, medium: 4096, high: 16384 };

export function openaiToAnthropicRequest(
  request: OpenAIChatRequest,
  options: ToAnthropicOptions,
): AnthropicMessagesRequest {
  const system: { type: 'text'; text: string }[] = [];
  const turns: AnthropicTurn[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content);
        if (!isBlank(text)) system.push({ type: 'text', text });
        break;
      }
      case 'user': {
        const blocks =
          typeof message.content === 'string'
            ? isBlank(message.content)
              ? []
              : [{ type: 'text', text: message.content }]
            : message.content.map(userPartToBlock).filter((block) => block !== undefined);
        appendTurn(turns, 'user', blocks);
        break;
      }
      case 'assistant': {
        const blocks: AnthropicBlockOut[] = [];
        const text =
          typeof message.content === 'string'
            ? message.content
            : (message.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
        if (!isBlank(text)) blocks.push({ type: 'text', text });
        for (const call of message.tool_calls ?? []) {
          blocks.push({
            type: 'tool_use',
            id: toAnthropicToolId(call.id),
            name: call.function.name,
            input: parseArguments(call.function.arguments),
          });
        }
        appendTurn(turns, 'assistant', blocks);
        break;
      }
      case 'tool': {
        const content = textOf(message.content);
        const block: AnthropicBlockOut = {
          type: 'tool_result',
          tool_use_id: toAnthropicToolId(message.tool_call_id),
        };
        if (!isBlank(content)) block.content = content;
        appendTurn(turns, 'user', [block]);
        break;
      }
      case 'function':
        break; // the deprecated function role has no call id to pair with
    }
  }

  const out: AnthropicMessagesRequest = {
    model: options.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens,
    messages: turns as AnthropicMessagesRequest['messages'],
  };
  if (system.length > 0) out.system = system;
  if (request.stream) out.stream = true;
  if (request.stop != null) {
    const stops = (typeof request.stop === 'string' ? [request.stop] : request.stop).filter(
      (stop) => !isBlank(stop),
    );
    if (stops.length > 0) out.stop_sequences = stops;
  }
  if (request.temperature != null) out.temperature = Math.min(1, request.temperature);
  if (request.top_p != null) out.top_p = request.top_p;
  if (request.user) out.metadata = { user_id: request.user };
  if (request.tools && request.tools.length > 0) {
    out.tools = request.tools.map((tool) => {
      const converted: AnthropicTool = {
        name: tool.function.name,
        input_schema: { type: 'object', properties: {}, ...tool.function.parameters } as { type: 'object' },
      };
      if (tool.function.description) converted.description = tool.function.description;
      return converted;
    });
    const choice = openaiToolChoiceToAnthropic(request.tool_choice, request.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  }
  const budget = request.reasoning_effort ? effortBudgets[request.reasoning_effort] : undefined;
  if (budget !== undefined) {
    const capped = Math.min(budget, out.max_tokens - 1);
    if (capped >= 1024) {
      out.thinking = { type: 'enabled', budget_tokens: capped };
      delete out.temperature; // extended thinking only runs at the default temperature
      delete out.top_p;
    }
  }
  return out;
}

// ───────────────────────── Anthropic client → OpenAI backend (ScalarLM) ─────────────────────────

export interface ToOpenAIOptions {
  /** The backend model id (ScalarLM's served model). */
  model: string;
}

type OpenAIPartOut = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

function imageToPart(block: AnthropicImageBlock): OpenAIPartOut | undefined {
  const source = block.source;
  if (source.type === 'base64')
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  if (source.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
  return undefined; // Files API ids mean nothing outside Anthropic
}

function documentText(block: { source: Record<string, unknown> }): string | undefined {
  const source = block.source;
  if (source.type === 'text' && typeof source.data === 'string') return source.data;
  if (source.type === 'content' && Array.isArray(source.content)) {
    return (source.content as { text?: unknown }[])
      .map((part) => (typeof part.text === 'string' ? part.text : ''))
      .join('\n');
  }
  return undefined;
}

/** Text-only part lists collapse to a string: chat templates of local models handle strings best. */
function userContent(parts: OpenAIPartOut[]): string | OpenAIPartOut[] {
  return parts.every((part) => part.type === 'text')
    ? parts.map((part) => (part as { text: string }).text).join('\n')
    : parts;
}

function toolResultText(content: AnthropicContentBlock[] | string | undefined | unknown[]): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return (content as { type?: unknown; text?: unknown }[])
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

function anthropicToolChoiceToOpenAI(choice: AnthropicToolChoice): OpenAIToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

export function anthropicToOpenAIRequest(
  request: AnthropicMessagesRequest,
  options: ToOpenAIOptions,
): OpenAIChatRequest {
  const systemTexts: string[] = [];
  if (typeof request.system === 'string') systemTexts.push(request.system);
  else for (const block of request.system ?? []) systemTexts.push(block.text);
  const messages: OpenAIMessage[] = [];

  for (const message of request.messages) {
    const blocks: AnthropicContentBlock[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (message.role === 'system') {
      // vLLM rejects a system message after the first turn: merge into the one leading system message.
      for (const block of blocks) if (block.type === 'text') systemTexts.push(block.text);
      continue;
    }
    if (message.role === 'assistant') {
      let text = '';
      const calls: OpenAIToolCall[] = [];
      for (const block of blocks) {
        if (block.type === 'text') text += block.text;
        else if (block.type === 'tool_use') {
          calls.push({
            id: block.id,
            type: 'function',
            function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
          });
        }
        // thinking / redacted_thinking: Claude-only, never replayed to another model
      }
      if (text === '' && calls.length === 0) continue;
      const assistant: OpenAIMessage = { role: 'assistant', content: text === '' ? null : text };
      if (calls.length > 0) assistant.tool_calls = calls;
      messages.push(assistant);
      continue;
    }
    // user turn: tool results first, as tool messages, then the rest as one user message
    const parts: OpenAIPartOut[] = [];
    for (const block of blocks) {
      if (block.type === 'tool_result') {
        messages.push({
          role: 'tool',
          tool_call_id: block.tool_use_id,
          content: toolResultText(block.content),
        });
      } else if (block.type === 'text') {
        if (!isBlank(block.text)) parts.push({ type: 'text', text: block.text });
      } else if (block.type === 'image') {
        const part = imageToPart(block);
        if (part) parts.push(part);
      } else if (block.type === 'document') {
        const text = documentText(block);
        if (text && !isBlank(text)) parts.push({ type: 'text', text });
      }
    }
    if (parts.length > 0) messages.push({ role: 'user', content: userContent(parts) });
  }

  const system = systemTexts.filter((text) => !isBlank(text)).join('\n\n');
  if (system !== '') messages.unshift({ role: 'system', content: system });

  const out: OpenAIChatRequest = { model: options.model, messages, max_tokens: request.max_tokens };
  if (request.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (request.stop_sequences && request.stop_sequences.length > 0) out.stop = request.stop_sequences;
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.top_p !== undefined) out.top_p = request.top_p;
  if (request.top_k !== undefined) out.top_k = request.top_k;
  if (request.metadata?.user_id) out.user = request.metadata.user_id;
  const tools: OpenAITool[] = [];
  for (const tool of request.tools ?? []) {
    if (!('input_schema' in tool) || !tool.input_schema) continue; // server tools run only at Anthropic
    const { cache_control: _cache, ...parameters } = tool.input_schema as Record<string, unknown>;
    const fn: OpenAITool['function'] = { name: tool.name, parameters };
    if (typeof tool.description === 'string') fn.description = tool.description;
    tools.push({ type: 'function', function: fn });
  }
  if (tools.length > 0) {
    out.tools = tools;
    if (request.tool_choice) {
      out.tool_choice = anthropicToolChoiceToOpenAI(request.tool_choice);
      if (
        'disable_parallel_tool_use' in request.tool_choice &&
        request.tool_choice.disable_parallel_tool_use
      ) {
        out.parallel_tool_calls = false;
      }
    }
  }
  if (request.thinking?.type === 'enabled') out.chat_template_kwargs = { enable_thinking: true };
  else if (request.thinking?.type === 'disabled') out.chat_template_kwargs = { enable_thinking: false };
  return out;
}
