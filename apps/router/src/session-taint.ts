import type { TextPiece } from './text-pieces.ts';

/** Pieces shorter than this ("yes", "continue") are too common to identify a conversation. */
const MIN_IDENTIFYING_CHARS = 64;
const MAX_KEYS_PER_REQUEST = 64;
const generated = new Set(['assistant', 'thinking', 'tool_call', 'tool_result']);

/**
 * Keys that identify one conversation across its turns, scoped to the user:
 * - the opening: the system prompt plus the first user turn (clients resend both every turn);
 * - every substantial model-generated piece (assistant text, tool calls, tool results), which is unique to
 *   its conversation and resent with every later turn, so trimming the proprietary user turn, even the
 *   opening one, leaves the answers around it to recognise the conversation by. User turns are left out:
 *   clients repeat boilerplate (Claude Code's system reminders) across unrelated sessions;
 * - Claude Code's `x-claude-code-session-id` header when present (stable across compaction).
 */
export function conversationKeys(user: string, pieces: readonly TextPiece[], sessionId?: string): string[] {
  const scoped = (kind: string, value: string) =>
    `${kind}:${Bun.SHA256.hash(`${user}\0${value}`, 'base64url')}`;
  const opening = pieces
    .filter((p) => p.source === 'system')
    .map((p) => p.key)
    .concat(pieces.find((p) => p.source === 'user')?.key ?? '')
    .join(',');
  const keys = [scoped('o', opening)];
  if (sessionId && sessionId.length <= 200) keys.push(scoped('s', sessionId));
  const turns = pieces.filter((p) => generated.has(p.source) && p.text.length >= MIN_IDENTIFYING_CHARS);
  for (const piece of turns.slice(-MAX_KEYS_PER_REQUEST)) keys.push(scoped('t', piece.key));
  return keys;
}

/**
 * Conversations that have gone to the local brain. Once tainted, later turns stay local even when the
 * proprietary turn has been trimmed away. Held in memory per pod with a TTL and a size bound; the limits are
 * in docs/router.md.
 */
export class SessionTaint {
  private readonly tainted = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  isTainted(keys: readonly string[]): boolean {
    const now = this.now();
    for (const key of keys) {
      const until = this.tainted.get(key);
      if (until !== undefined && until > now) return true;
    }
    return false;
  }

  taint(keys: readonly string[]) {
    const until = this.now() + this.ttlMs;
    for (const key of keys) {
      this.tainted.delete(key); // re-insert so the map's order stays oldest-first
      if (this.tainted.size >= this.maxEntries) {
        const oldest = this.tainted.keys().next();
        if (!oldest.done) this.tainted.delete(oldest.value);
      }
      this.tainted.set(key, until);
    }
  }
}
