import type { Dialect } from '@split-brain/wire';
import { stringsOf } from './session-taint.ts';

type Json = Record<string, unknown>;

/**
 * The assistant turn a client received, as one text in the shape `assistantTurnsOf` reads a replayed turn
 * (text, then each tool call's name and input strings), from the JSON body the client got. Used to taint
 * the answers the local brain gave.
 */
export function answerTextOf(dialect: Dialect, body: string): string {
  try {
    return dialect === 'anthropic' ? anthropicMessage(JSON.parse(body)) : openaiMessage(JSON.parse(body));
  } catch {
    return '';
  }
}

/** How much answer text a stream may add to the collector (the stream itself is not held). */
const MAX_COLLECTED_CHARS = 1024 * 1024;

/**
 * The same for a stream in the client's dialect, read as it passes: each complete `data:` line is parsed
 * at once and only the events carrying the answer are kept (usage, pings and stops are dropped), so a long
 * stream costs memory for its text, not for all its bytes.
 */
export class StreamAnswer {
  private readonly decoder = new TextDecoder();
  private partial = '';
  private readonly events: Json[] = [];
  private chars = 0;

  constructor(private readonly dialect: Dialect) {}

  push(chunk: Uint8Array) {
    if (this.chars > MAX_COLLECTED_CHARS) return;
    const lines = (this.partial + this.decoder.decode(chunk, { stream: true })).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '' || data === '[DONE]') continue;
      try {
        const event = JSON.parse(data) as Json;
        const carries =
          event.type === 'content_block_start' ||
          event.type === 'content_block_delta' ||
          Array.isArray(event.choices);
        if (carries) {
          this.events.push(event);
          this.chars += data.length;
        }
      } catch {}
    }
  }

  text(): string {
    try {
      return this.dialect === 'anthropic' ? anthropicStream(this.events) : openaiStream(this.events);
    } catch {
      return '';
    }
  }
}

const toolText = (name: unknown, input: unknown) => `${String(name ?? '')}${stringsOf(input).join('')}`;
const parsed = (text: string) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

function anthropicMessage(message: Json): string {
  const blocks = Array.isArray(message.content) ? (message.content as Json[]) : [];
  const texts = blocks.filter((b) => b.type === 'text').map((b) => String(b.text ?? ''));
  const calls = blocks.filter((b) => b.type === 'tool_use').map((b) => toolText(b.name, b.input));
  return texts.join('') + calls.join('');
}

function anthropicStream(events: Json[]): string {
  const blocks = new Map<number, { type: string; name?: unknown; text: string }>();
  for (const event of events) {
    const index = Number(event.index);
    if (event.type === 'content_block_start') {
      const block = (event.content_block ?? {}) as Json;
      blocks.set(index, { type: String(block.type), name: block.name, text: String(block.text ?? '') });
    } else if (event.type === 'content_block_delta') {
      const delta = (event.delta ?? {}) as Json;
      const block = blocks.get(index);
      if (!block) continue;
      if (delta.type === 'text_delta') block.text += String(delta.text ?? '');
      if (delta.type === 'input_json_delta') block.text += String(delta.partial_json ?? '');
    }
  }
  const ordered = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  const texts = ordered.filter((b) => b.type === 'text').map((b) => b.text);
  const calls = ordered
    .filter((b) => b.type === 'tool_use')
    .map((b) => toolText(b.name, parsed(b.text || '{}')));
  return texts.join('') + calls.join('');
}

function openaiMessage(response: Json): string {
  const choice = (Array.isArray(response.choices) ? response.choices[0] : undefined) as Json | undefined;
  const message = (choice?.message ?? {}) as Json;
  const calls = (Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]) : []).map((call) => {
    const fn = (call.function ?? {}) as Json;
    return toolText(fn.name, parsed(String(fn.arguments ?? '{}')));
  });
  return String(message.content ?? '') + calls.join('');
}

function openaiStream(events: Json[]): string {
  let text = '';
  const calls = new Map<number, { name: string; args: string }>();
  for (const event of events) {
    const choice = (Array.isArray(event.choices) ? event.choices[0] : undefined) as Json | undefined;
    const delta = (choice?.delta ?? {}) as Json;
    if (typeof delta.content === 'string') text += delta.content;
    for (const call of (Array.isArray(delta.tool_calls) ? delta.tool_calls : []) as Json[]) {
      const index = Number(call.index ?? 0);
      const fn = (call.function ?? {}) as Json;
      const entry = calls.get(index) ?? { name: '', args: '' };
      if (typeof fn.name === 'string') entry.name += fn.name;
      if (typeof fn.arguments === 'string') entry.args += fn.arguments;
      calls.set(index, entry);
    }
  }
  const tools = [...calls.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, c]) => toolText(c.name, parsed(c.args || '{}')));
  return text + tools.join('');
}
