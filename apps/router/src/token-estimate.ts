/**
 * A deliberately generous token estimate for quota reservations and local count_tokens: one token per three
 * UTF-16 characters (real tokenizers average about four for English), so reservations rarely fall short.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}
