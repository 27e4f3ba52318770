/**
 * What every target is sent: a conversation of about 200 tokens (the size the router's classifier sees
 * on a typical turn) in either client dialect, streaming or not. The same bytes go to the simulator
 * directly, to split-brain's router and to the peer gateways, so only the gateway in between differs.
 */

export type Dialect = 'anthropic' | 'openai';

/** Replaced per request (in every turn) when a run must defeat caches: cold classification. */
export const UNIQUE_MARKER = '@@UNIQUE@@';

export const SCALARLM_MODEL = 'Qwen/Qwen3-14B';
export const CLAUDE_MODEL = 'claude-sonnet-4-6';

const system =
  'You are a careful assistant for an engineering team. Answer briefly, cite the files you rely on, ' +
  'and say when you are unsure.';

/** About 200 MiniLM word-piece tokens over a system prompt and three turns. */
const turns = [
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
    content: 'Thanks. Can you also suggest how to keep the release branch green while we fix it?',
  },
] as const;

/** Every piece of text gets the marker, so no piece can come from the router's per-piece cache. */
const mark = (text: string, unique: boolean): string => (unique ? `${text} (ref ${UNIQUE_MARKER})` : text);

export function requestBody(dialect: Dialect, options: { stream: boolean; unique: boolean }): string {
  const messages = turns.map((turn) => ({ role: turn.role, content: mark(turn.content, options.unique) }));
  if (dialect === 'anthropic') {
    return JSON.stringify({
      model: CLAUDE_MODEL,
      system: mark(system, options.unique),
      messages,
      max_tokens: 64,
      stream: options.stream,
    });
  }
  return JSON.stringify({
    model: SCALARLM_MODEL,
    messages: [{ role: 'system', content: mark(system, options.unique) }, ...messages],
    max_tokens: 64,
    stream: options.stream,
  });
}

/** How a streamed answer ends in each dialect, to check a stream really completed. */
export const streamEnd: Record<Dialect, string> = { openai: 'data: [DONE]', anthropic: 'message_stop' };
/** A field every complete non-streamed answer has. */
export const answerField: Record<Dialect, string> = { openai: '"choices"', anthropic: '"content"' };
