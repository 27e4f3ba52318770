/**
 * Anthropic requires tool ids matching ^[a-zA-Z0-9_-]+$; OpenAI-side ids (vLLM's `chatcmpl-tool-…`,
 * or anything a client made up) may not. The mapping is deterministic so a call id and the id in its
 * later tool result map to the same value.
 */
export function toAnthropicToolId(id: string): string {
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned === '' ? 'toolu_empty' : cleaned;
}
