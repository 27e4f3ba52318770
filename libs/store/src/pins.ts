import { LiveFile } from './live-file.ts';
import type { StorePaths } from './paths.ts';
import type { ProblemSink } from './problems.ts';
import { type AuditRecord, defaultPins, type Pin, pinsSchema } from './records.ts';

/** How pins and the audit name a piece of text: SHA-256 of its exact UTF-8 bytes, lowercase hex. */
export function pieceHash(text: string): string {
  return Bun.SHA256.hash(text, 'hex');
}

/**
 * Pinned verdicts on `pins/pins.json` (SPEC section 5, Pins): written by the console and the pin CLI, followed
 * by every router pod like settings.json, so a pin applies on every pod within one poll interval.
 */
export class PinStore {
  readonly file: LiveFile<typeof pinsSchema>;
  private index = new Map<string, Pin['verdict']>();
  private indexed: unknown;

  constructor(paths: StorePaths, onProblem: ProblemSink) {
    this.file = new LiveFile(paths.pinsFile, pinsSchema, defaultPins, onProblem);
  }

  list(): Pin[] {
    return this.file.get().pins;
  }

  /** The verdict pinned for a piece hash, if any (an index rebuilt only when the file changed). */
  verdictFor(hash: string): Pin['verdict'] | undefined {
    const current = this.file.get();
    if (current !== this.indexed) {
      this.index = new Map(current.pins.map((p) => [p.hash, p.verdict]));
      this.indexed = current;
    }
    return this.index.get(hash);
  }

  /** Adds or replaces the pin for `pin.hash`. */
  async pin(pin: Pin): Promise<Pin> {
    await this.file.refresh();
    const others = this.list().filter((p) => p.hash !== pin.hash);
    await this.file.write({ v: 1, pins: [...others, pin] });
    return pin;
  }

  /** Removes a pin; returns it, or undefined when there was none. */
  async unpin(hash: string): Promise<Pin | undefined> {
    await this.file.refresh();
    const found = this.list().find((p) => p.hash === hash);
    if (found) await this.file.write({ v: 1, pins: this.list().filter((p) => p.hash !== hash) });
    return found;
  }
}

/** One row of the console's "frequent pieces" list. */
export interface FrequentPiece {
  hash: string;
  preview: string;
  chars: number;
  /** Requests that carried the piece. */
  count: number;
  /** Distinct users who sent it. */
  users: number;
  /** Highest and latest score the classifier gave it (null when it was never classified, e.g. pinned). */
  maxScore: number | null;
  lastScore: number | null;
  lastSeen: string;
  pinned: Pin['verdict'] | null;
}

/** Groups audit records' pieces by hash: the most repeated first (ties: more users, then newer). */
export function frequentPieces(
  records: readonly AuditRecord[],
  pinned: (hash: string) => Pin['verdict'] | undefined,
  limit = 50,
): FrequentPiece[] {
  const byHash = new Map<string, FrequentPiece & { userSet: Set<string> }>();
  // Records arrive newest first; the first sighting is the latest.
  for (const record of records) {
    for (const piece of record.pieces ?? []) {
      let row = byHash.get(piece.hash);
      if (!row) {
        row = {
          hash: piece.hash,
          preview: piece.preview,
          chars: piece.chars,
          count: 0,
          users: 0,
          maxScore: null,
          lastScore: piece.score,
          lastSeen: record.time,
          pinned: null,
          userSet: new Set(),
        };
        byHash.set(piece.hash, row);
      }
      row.count++;
      row.userSet.add(record.user);
      if (piece.score !== null) row.maxScore = Math.max(row.maxScore ?? 0, piece.score);
    }
  }
  return [...byHash.values()]
    .map(({ userSet, ...row }) => ({ ...row, users: userSet.size, pinned: pinned(row.hash) ?? null }))
    .sort((a, b) => b.count - a.count || b.users - a.users || b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, limit);
}
