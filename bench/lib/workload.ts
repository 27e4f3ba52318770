/**
 * What every target is sent: one OpenAI-dialect chat request carrying a conversation of about 200
 * tokens (the size the router's classifier sees on a typical turn), streaming or not. The same bytes go
 * to the simulator directly, to split-brain's router and to the peer gateways, so only the gateway
 * in between differs.
 */

/** Replaced per request when a run must defeat caches (cold classification). */
export const UNIQUE_MARKER = '@@UNIQUE@@';

export const SCALARLM_MODEL = 'Qwen/Qwen3-14B';

/** About 200 MiniLM word-piece tokens over a system prompt and three turns. */
export const conversation = [
  {
    role: 'system',
    content:
      'You are a careful assistant for an engineering team. Answer briefly, cite the files you rely on, ' +
      'and say when you are unsure.',
  },
  {
    role: 'user',
    content:
      'Our nightly build started failing after we upgraded the compiler. The error mentions an unused ' +
      'variable warning that is now treated as an error in the networking module. What is the quickest ' +
      'safe fix that does not hide real problems?',
  },
  {
    role: 'assistant',
    content:
      'Remove the variable if it is truly unused, or mark it as intentionally unused where the platform ' +
      'needs it. Avoid turning the warning off for the whole module, because it will catch real mistakes ' +
      'later.',
  },
  {
    role: 'user',
    content: `Thanks. Can you also suggest how to keep the release branch green while we fix it? (${UNIQUE_MARKER})`,
  },
] as const;

export function chatBody(options: { stream: boolean; unique: boolean; model?: string }): string {
  const messages = conversation.map((message) => ({
    role: message.role,
    content: options.unique ? message.content : message.content.replace(UNIQUE_MARKER, 'ticket 4711'),
  }));
  return JSON.stringify({
    model: options.model ?? SCALARLM_MODEL,
    messages,
    max_tokens: 64,
    stream: options.stream,
  });
}
