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
  results: z.array(z.object({ score: z.number().min(0).max(1), keywords: z.array(z.string()) })),
  headVersion: z.string().nullable(),
  modelId: z.string().optional(),
  /** false when the model kind needs a trained head and none is loaded: the scores mean nothing. */
  ready: z.boolean().optional(),
});

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
    const answer = await this.call(missing.map((m) => m.text));
    for (const [i, result] of answer.results.entries()) {
      score = Math.max(score, result.score);
      for (const k of result.keywords) keywords.add(k);
      const piece = missing[i];
      if (piece) this.cache?.set(piece.key, result, answer.headVersion);
    }
    return { score, keywords: [...keywords], headVersion: answer.headVersion, cached: false };
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
      const noHead = response.status === 503 && JSON.stringify(body).includes('head');
      throw new ClassifierUnavailable(noHead ? 'no-head' : 'error', `HTTP ${response.status}`);
    }
    const parsed = classifyResponseSchema.safeParse(body);
    if (!parsed.success || parsed.data.results.length !== texts.length) {
      throw new ClassifierUnavailable('error', 'the answer does not have one result per text');
    }
    if (parsed.data.ready === false) throw new ClassifierUnavailable('no-head', 'no trained head loaded');
    return parsed.data;
  }
}
