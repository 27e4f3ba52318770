import type { Dialect } from '@split-brain/wire';
import { stringsOf } from './session-taint.ts';

type Json = Record<string, unknown>;

/**
 * The assistant turn a client received, as one text in the shape `assistantTurnsOf` reads a replayed turn
 * (text, then each tool call's name and input strings), from the response body the client got: JSON, or
 * the SSE stream in the client's dialect. Used to taint the answers the local brain gave.
 */
export function answerTextOf(dialect: Dialect, body: string, stream: boolean): string {
  try {
    if (!stream)
      return dialect === 'anthropic' ? anthropicMessage(JSON.parse(body)) : openaiMessage(JSON.parse(body));
    return dialect === 'anthropic' ? anthropicStream(sseData(body)) : openaiStream(sseData(body));
  } catch {
    return '';
  }
}

function sseData(body: string): Json[] {
  const events: Json[] = [];
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '' || data === '[DONE]') continue;
    try {
      events.push(JSON.parse(data) as Json);
    } catch {}
  }
  return events;
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
