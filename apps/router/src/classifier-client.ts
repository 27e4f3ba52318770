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
  modelId: z.string().optional(),
});

/** What one classifier call may carry (its REQUEST_LIMITS, with room to spare). */
const MAX_TEXTS_PER_CALL = 128;
const MAX_CHARS_PER_CALL = 1_000_000;
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
      if (piece) this.cache?.set(piece.key, verdict, verdicts.headVersion);
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
          slices.push({ owner, text: text.slice(at, at + MAX_CHARS_PER_TEXT) });
    }
    const batches: (typeof slices)[] = [[]];
    let chars = 0;
    for (const slice of slices) {
      const current = batches.at(-1) ?? [];
      if (
        current.length >= MAX_TEXTS_PER_CALL ||
        (current.length > 0 && chars + slice.text.length > MAX_CHARS_PER_CALL)
      ) {
        batches.push([slice]);
        chars = slice.text.length;
      } else {
        current.push(slice);
        chars += slice.text.length;
      }
    }
    const answers = await Promise.all(batches.map((batch) => this.call(batch.map((s) => s.text))));
    const results = texts.map(() => ({ score: 0, keywords: [] as string[] }));
    let headVersion: string | null = null;
    for (const [b, answer] of answers.entries()) {
      headVersion = answer.headVersion;
      for (const [i, result] of answer.results.entries()) {
        const slice = batches[b]?.[i];
        const target = slice ? results[slice.owner] : undefined;
        if (!target) continue;
        if (result.score === null) throw new ClassifierUnavailable('no-head', 'no trained head is loaded');
        target.score = Math.max(target.score, result.score);
        for (const k of result.keywords) if (!target.keywords.includes(k)) target.keywords.push(k);
      }
    }
    return { results, headVersion };
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
