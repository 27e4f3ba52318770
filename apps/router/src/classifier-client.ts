import { z } from 'zod';
import type { ClassificationCache } from './classification-cache.ts';
import type { TextPiece } from './text-pieces.ts';

/** The classifier's verdict on a whole conversation: the max over its pieces, and every keyword found. */
export interface Classification {
  score: number;
  keywords: string[];
  headVersion: string | null;
  /** True when every piece came from the cache (no classifier call was made). */
  cached: boolean;
}

/** Why the classifier could not decide; the router then fails closed. */
export class ClassifierUnavailable extends Error {
  constructor(
    readonly reason: 'timeout' | 'error' | 'no-head',
    message: string,
  ) {
    super(message);
    this.name = 'ClassifierUnavailable';
  }
}

const classifyResponseSchema = z.object({
  /** A null score means the minilm kind has no trained head: no verdict. */
  results: z.array(z.object({ score: z.number().min(0).max(1).nullable(), keywords: z.array(z.string()) })),
  headVersion: z.string().nullable(),
  /** Names the keyword list that decided; with headVersion, what a cached verdict depends on. */
  keywordsDigest: z.string().nullish(),
  modelId: z.string().optional(),
});

/** What one classifier call may carry (its REQUEST_LIMITS, with room to spare). */
const MAX_TEXTS_PER_CALL = 128;
/** The classifier limits its body in bytes (4 MiB); texts are counted as their JSON-encoded UTF-8 bytes. */
const MAX_BYTES_PER_CALL = 3 * 1024 * 1024;
/** The classifier limits each text in UTF-16 code units (text.length), so slices are too. */
const MAX_CHARS_PER_TEXT = 90_000;
/** Consecutive slices of a long piece overlap, so a keyword phrase is never cut in two. */
const SLICE_OVERLAP = 1000;

/**
 * Asks the classifier (SPEC section 4) about every piece of a conversation. Pieces already judged come from
 * the cache; only new ones cross the network. Any failure — refused connection, HTTP error, a malformed
 * answer, no head, or no answer within `timeoutMs` — is a ClassifierUnavailable, never a guess.
 */
export class ClassifierClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly cache: ClassificationCache | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async classify(pieces: readonly TextPiece[]): Promise<Classification> {
    let score = 0;
    const keywords = new Set<string>();
    const missing: TextPiece[] = [];
    for (const piece of pieces) {
      const hit = this.cache?.get(piece.key);
      if (hit) {
        score = Math.max(score, hit.score);
        for (const k of hit.keywords) keywords.add(k);
      } else missing.push(piece);
    }
    if (missing.length === 0) {
      return { score, keywords: [...keywords], headVersion: this.cache?.currentHead ?? null, cached: true };
    }
    const verdicts = await this.judge(missing.map((m) => m.text));
    for (const [i, verdict] of verdicts.results.entries()) {
      score = Math.max(score, verdict.score);
      for (const k of verdict.keywords) keywords.add(k);
      const piece = missing[i];
      if (piece) this.cache?.set(piece.key, verdict, verdicts.headVersion, verdicts.keywordsDigest);
    }
    return { score, keywords: [...keywords], headVersion: verdicts.headVersion, cached: false };
  }

  /** One verdict per text, splitting long texts and large batches into calls the classifier accepts. */
  private async judge(texts: string[]) {
    const slices: { owner: number; text: string }[] = [];
    for (const [owner, text] of texts.entries()) {
      if (text.length <= MAX_CHARS_PER_TEXT) slices.push({ owner, text });
      else
        for (let at = 0; at < text.length; at += MAX_CHARS_PER_TEXT - SLICE_OVERLAP)
          slices.push({ owner, text: sliceOnCodePoints(text, at, at + MAX_CHARS_PER_TEXT) });
    }
    const batches: (typeof slices)[] = [[]];
    let bytes = 0;
    for (const slice of slices) {
      const current = batches.at(-1) ?? [];
      const size = Buffer.byteLength(JSON.stringify(slice.text)) + 1;
      if (current.length >= MAX_TEXTS_PER_CALL || (current.length > 0 && bytes + size > MAX_BYTES_PER_CALL)) {
        batches.push([slice]);
        bytes = size;
      } else {
        current.push(slice);
        bytes += size;
      }
    }
    const answers = await Promise.all(batches.map((batch) => this.call(batch.map((s) => s.text))));
    const results = texts.map(() => ({ score: 0, keywords: [] as string[] }));
    let headVersion: string | null = null;
    let keywordsDigest: string | null = null;
    for (const [b, answer] of answers.entries()) {
      headVersion = answer.headVersion;
      keywordsDigest = answer.keywordsDigest ?? null;
      for (const [i, result] of answer.results.entries()) {
        const slice = batches[b]?.[i];
        const target = slice ? results[slice.owner] : undefined;
        if (!target) continue;
        if (result.score === null) throw new ClassifierUnavailable('no-head', 'no trained head is loaded');
        target.score = Math.max(target.score, result.score);
        for (const k of result.keywords) if (!target.keywords.includes(k)) target.keywords.push(k);
      }
    }
    return { results, headVersion, keywordsDigest };
  }

  private async call(texts: string[]) {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ClassifierUnavailable(
        timedOut ? 'timeout' : 'error',
        timedOut ? `no answer within ${this.timeoutMs} ms` : `unreachable: ${String(error)}`,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ClassifierUnavailable(timedOut ? 'timeout' : 'error', 'unreadable answer');
    }
    if (!response.ok) {
      throw new ClassifierUnavailable('error', `HTTP ${response.status}`);
    }
    const parsed = classifyResponseSchema.safeParse(body);
    if (!parsed.success || parsed.data.results.length !== texts.length) {
      throw new ClassifierUnavailable('error', 'the answer does not have one result per text');
    }
    return parsed.data;
  }
}

/** `text.slice(start, end)` that never cuts a surrogate pair (a half would make the classifier answer 400). */
export function sliceOnCodePoints(text: string, start: number, end: number): string {
  const isLow = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff;
  };
  const from = start > 0 && isLow(start) ? start + 1 : start;
  const to = end < text.length && isLow(end) ? end - 1 : end;
  return text.slice(from, to);
}
