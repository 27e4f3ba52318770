/**
 * Cleans an Anthropic-dialect request before it goes to Claude, for the pitfalls Claude rejects with a
 * 400: empty or whitespace-only text blocks, thinking blocks without a signature (they came from
 * another model, e.g. ScalarLM's reasoning translated earlier), and `role: "system"` messages inside
 * `messages` (supported only on some models), which move to the end of the top-level system.
 * Signed thinking blocks are kept byte for byte.
 */
import type { AnthropicContentBlock, AnthropicMessagesRequest } from './anthropic-schema.ts';

function keepBlock(block: AnthropicContentBlock): boolean {
  if (block.type === 'text') return block.text.trim() !== '';
  if (block.type === 'thinking') return block.signature !== '';
  return true;
}

export function prepareAnthropicRequestForClaude<
  T extends Pick<AnthropicMessagesRequest, 'messages' | 'system'>,
>(request: T): T {
  const movedSystem: { type: 'text'; text: string }[] = [];
  const messages: T['messages'] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      const blocks =
        typeof message.content === 'string'
          ? [{ type: 'text' as const, text: message.content }]
          : message.content;
      for (const block of blocks)
        if (block.type === 'text' && block.text.trim() !== '')
          movedSystem.push({ type: 'text', text: block.text });
      continue;
    }
    if (typeof message.content === 'string') {
      if (message.content.trim() !== '') messages.push(message);
      continue;
    }
    const content = message.content.filter(keepBlock);
    if (content.length > 0)
      messages.push(content.length === message.content.length ? message : { ...message, content });
  }
  const out = { ...request, messages };
  if (movedSystem.length > 0) {
    const existing =
      typeof request.system === 'string'
        ? request.system.trim() === ''
          ? []
          : [{ type: 'text' as const, text: request.system }]
        : (request.system ?? []);
    out.system = [...existing, ...movedSystem];
  }
  return out;
}
