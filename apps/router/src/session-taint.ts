import { normalizeForMatching } from '@split-brain/keywords';
import type { TaintEntry } from '@split-brain/store';
import type { TextPiece } from './text-pieces.ts';

/** Pieces shorter than this ("yes", "continue") are too common to identify a conversation. */
const MIN_IDENTIFYING_CHARS = 64;
const MAX_KEYS_PER_REQUEST = 64;
const generated = new Set(['assistant', 'thinking', 'tool_call', 'tool_result']);

const scopedKey = (user: string, kind: string, value: string) =>
  `${kind}:${Bun.SHA256.hash(`${user}\0${value}`, 'base64url')}`;

/**
 * Keys that identify one conversation across its turns, scoped to the user:
 * - the opening: the system prompt plus the first user turn (clients resend both every turn);
 * - every substantial model-generated piece (assistant text, tool calls, tool results), which is unique to
 *   its conversation and resent with every later turn, so trimming the proprietary user turn, even the
 *   opening one, leaves the answers around it to recognise the conversation by. User turns are left out:
 *   clients repeat boilerplate (Claude Code's system reminders) across unrelated sessions;
 * - every assistant turn by its normalised text (`answerKey`), the key the router also taints a relayed
 *   local answer with, so a follow-up that keeps only that answer is recognised, however its whitespace
 *   or blocks were re-cut;
 * - Claude Code's `x-claude-code-session-id` header when present (stable across compaction).
 */
export function conversationKeys(
  user: string,
  pieces: readonly TextPiece[],
  sessionId?: string,
  assistantTurns: readonly string[] = [],
): string[] {
  const opening = pieces
    .filter((p) => p.source === 'system')
    .map((p) => p.key)
    .concat(pieces.find((p) => p.source === 'user')?.key ?? '')
    .join(',');
  const keys = [scopedKey(user, 'o', opening)];
  if (sessionId && sessionId.length <= 200) keys.push(scopedKey(user, 's', sessionId));
  const turns = pieces.filter((p) => generated.has(p.source) && p.text.length >= MIN_IDENTIFYING_CHARS);
  for (const piece of turns.slice(-MAX_KEYS_PER_REQUEST)) keys.push(scopedKey(user, 't', piece.key));
  for (const turn of assistantTurns.slice(-MAX_KEYS_PER_REQUEST)) {
    const key = answerKey(user, turn);
    if (key) keys.push(key);
  }
  return keys;
}

/**
 * The key of an assistant turn (a relayed answer, or a replayed one): its text normalised for matching
 * (libs/keywords) with all whitespace removed, so a trailing newline, re-wrapped lines or a turn split into
 * several blocks give the same key. Undefined when too short to identify a conversation.
 */
export function answerKey(user: string, text: string): string | undefined {
  // Every request replays all earlier turns: the normalisation is remembered by a digest of the raw text.
  const raw = Bun.SHA256.hash(`${user}\0${text}`, 'base64url');
  if (normalisedKeys.has(raw)) return normalisedKeys.get(raw);
  const normal = normalizeForMatching(text).replace(/\s+/g, '');
  const key = normal.length >= MIN_IDENTIFYING_CHARS ? scopedKey(user, 'a', normal) : undefined;
  if (normalisedKeys.size >= MAX_REMEMBERED_KEYS) normalisedKeys.clear();
  normalisedKeys.set(raw, key);
  return key;
}

const MAX_REMEMBERED_KEYS = 50_000;
const normalisedKeys = new Map<string, string | undefined>();

/** An assistant turn of an Anthropic request value as one text: its text blocks, then its tool calls. */
export function assistantTurnsOf(body: Record<string, unknown>): string[] {
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  return messages
    .filter((m) => m && m.role === 'assistant')
    .map((m) => {
      if (typeof m.content === 'string') return m.content;
      const blocks = Array.isArray(m.content) ? (m.content as Record<string, unknown>[]) : [];
      const texts = blocks.filter((b) => b?.type === 'text').map((b) => String(b.text ?? ''));
      const calls = blocks
        .filter((b) => b?.type === 'tool_use')
        .map((b) => `${String(b.name ?? '')}${stringsOf(b.input).join('')}`);
      return texts.join('') + calls.join('');
    });
}

/** Every string value under `value`, in order (tool inputs, as the model wrote them). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * Conversations that have gone to the local brain. Once tainted, later turns stay local even when the
 * proprietary turn has been trimmed away. Held in memory with a TTL and a size bound, and shared with the
 * other router pods through the data volume (`share` appends this pod's taints; `absorb` takes the other
 * pods'); the limits are in docs/router.md.
 */
export class SessionTaint {
  private readonly tainted = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now,
    private readonly share?: (entries: TaintEntry[]) => void,
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
    const fresh: TaintEntry[] = [];
    for (const key of keys) {
      if ((this.tainted.get(key) ?? 0) < until - 60_000) fresh.push({ k: key, u: until });
      this.set(key, until);
    }
    // Re-tainting a key within a minute is not written again: the file grows with new taint, not traffic.
    if (fresh.length > 0) this.share?.(fresh);
  }

  /** Taint read from the other pods' files. */
  absorb(entries: readonly TaintEntry[]) {
    for (const entry of entries) if ((this.tainted.get(entry.k) ?? 0) < entry.u) this.set(entry.k, entry.u);
  }

  private set(key: string, until: number) {
    this.tainted.delete(key); // re-insert so the map's order stays oldest-first
    if (this.tainted.size >= this.maxEntries) {
      const oldest = this.tainted.keys().next();
      if (!oldest.done) this.tainted.delete(oldest.value);
    }
    this.tainted.set(key, until);
  }
}
