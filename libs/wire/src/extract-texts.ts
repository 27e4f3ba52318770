/**
 * Every piece of text an upstream model would see in a request: system prompts, every turn (not only
 * the last), tool definitions, tool calls and tool results. The router classifies all of it, so
 * anything missed here is text that could reach the wrong brain. Images carry no text and are skipped.
 */
import type { AnthropicContentBlock, AnthropicCountTokensRequest } from './anthropic-schema.ts';
import type { OpenAIChatRequest } from './openai-schema.ts';

export type TextSource =
  | 'system'
  | 'user'
  | 'assistant'
  | 'thinking'
  | 'tool_definition'
  | 'tool_call'
  | 'tool_result'
  /** Everything else the model reads or Anthropic receives: stop sequences, the model name, headers. */
  | 'request';

export interface ExtractedText {
  source: TextSource;
  text: string;
}

function push(out: ExtractedText[], source: TextSource, text: unknown): void {
  // A client may put anything where text belongs; what is not a string is not text (and must not throw).
  if (typeof text === 'string' && text.trim() !== '') out.push({ source, text });
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function extractOpenAITexts(request: OpenAIChatRequest): ExtractedText[] {
  const out: ExtractedText[] = [];
  for (const tool of request.tools ?? []) {
    const fn = tool.function;
    push(out, 'tool_definition', [fn.name, fn.description ?? '', stringify(fn.parameters)].join('\n'));
  }
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        if (typeof message.content === 'string') push(out, 'system', message.content);
        else for (const part of message.content) push(out, 'system', part.text);
        break;
      case 'user':
        if (typeof message.content === 'string') push(out, 'user', message.content);
        else for (const part of message.content) if (part.type === 'text') push(out, 'user', part.text);
        break;
      case 'assistant':
        push(out, 'thinking', message.reasoning ?? message.reasoning_content);
        if (typeof message.content === 'string') push(out, 'assistant', message.content);
        else
          for (const part of message.content ?? [])
            push(out, 'assistant', part.type === 'text' ? part.text : part.refusal);
        for (const call of message.tool_calls ?? []) {
          push(out, 'tool_call', `${call.function.name}\n${call.function.arguments}`);
        }
        break;
      case 'tool':
        if (typeof message.content === 'string') push(out, 'tool_result', message.content);
        else for (const part of message.content) push(out, 'tool_result', part.text);
        break;
      case 'function':
        push(out, 'tool_result', message.content);
        break;
    }
  }
  return out;
}

function extractBlock(out: ExtractedText[], source: TextSource, block: AnthropicContentBlock): void {
  switch (block.type) {
    case 'text':
      push(out, source, block.text);
      break;
    case 'tool_use':
      push(out, 'tool_call', `${block.name}\n${stringify(block.input)}`);
      break;
    case 'tool_result':
      if (typeof block.content === 'string') push(out, 'tool_result', block.content);
      else
        for (const part of block.content ?? [])
          if (part.type === 'text') push(out, 'tool_result', stringify(part.text));
      break;
    case 'thinking':
      push(out, 'thinking', block.thinking);
      break;
    case 'document': {
      const source_ = block.source as Record<string, unknown>;
      if (source_.type === 'text') push(out, source, stringify(source_.data));
      else if (source_.type === 'content' && Array.isArray(source_.content)) {
        for (const part of source_.content as { type?: string; text?: string }[])
          push(out, source, part.text);
      }
      push(out, source, stringify(block.context));
      push(out, source, stringify(block.title));
      break;
    }
    case 'image':
    case 'redacted_thinking':
      break;
    default:
      // Server-tool blocks (search results and the like) carry text the model reads.
      push(out, 'tool_result', JSON.stringify(block));
  }
}

export function extractAnthropicTexts(request: AnthropicCountTokensRequest): ExtractedText[] {
  const out: ExtractedText[] = [];
  for (const tool of request.tools ?? []) {
    const schema = 'input_schema' in tool ? stringify(tool.input_schema) : '';
    const description = typeof tool.description === 'string' ? tool.description : '';
    push(out, 'tool_definition', [tool.name, description, schema].join('\n'));
  }
  if (typeof request.system === 'string') push(out, 'system', request.system);
  else for (const block of request.system ?? []) push(out, 'system', block.text);
  for (const message of request.messages) {
    const source: TextSource = message.role === 'system' ? 'system' : message.role;
    if (typeof message.content === 'string') push(out, source, message.content);
    else for (const block of message.content) extractBlock(out, source, block);
  }
  return out;
}

/** All extracted text as one string, in request order, for a classifier that takes a single input. */
export function joinTexts(texts: readonly ExtractedText[]): string {
  return texts.map((piece) => piece.text).join('\n\n');
}
