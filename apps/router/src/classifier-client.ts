import { z } from 'zod';
import type { ClassificationCache, TextVerdict } from './classification-cache.ts';
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
 * How long a request waits for the classifier: `baseMs` plus `perKbMs` for every 1024 characters of text
 * the classifier has to read (pieces not already cached). The wait exists to stop a sick classifier from
 * holding requests, not to cap honest work: an agent's first request carries 70 KB of tool definitions
 * (about 90 model windows, over a second of CPU on 2 cores), while a short prompt still fails closed after
 * `baseMs`. See docs/router.md, "Classifier timeout".
 */
export interface ClassifierTimeout {
  baseMs: number;
  perKbMs: number;
}

/** The longest any request waits, however much text it carries (a 8 MB body must not hold a slot for minutes). */
const MAX_BUDGET_MS = 20_000;
/** However long the asking request waits, a classifier call is abandoned after this many of its budgets. */
const BACKGROUND_BUDGETS = 10;
const BACKGROUND_CAP_MS = 120_000;

/** One piece's verdict, as the classifier gave it (or the cache remembered it). */
export interface PieceVerdict {
  key: string;
  score: number;
  keywords: string[];
}

interface Judged {
  verdict: TextVerdict;
  headVersion: string | null;
  keywordsDigest: string | null;
}

/**
 * Asks the classifier (SPEC section 4) about every piece of a conversation. Pieces already judged come from
 * the cache; pieces another request is already asking about are waited for, not asked again; only new ones
 * cross the network. A verdict is cached the moment it arrives, even when the request that asked has
 * already given up waiting and failed closed, so the same text is decided from the cache next time. Any
 * failure — refused connection, HTTP error, a malformed answer, no head, or no answer within the budget —
 * is a ClassifierUnavailable for the asking request, never a guess.
 */
export class ClassifierClient {
  private readonly timeout: ClassifierTimeout;
  /** Pieces being classified right now, by key: concurrent requests share one classification. */
  private readonly inflight = new Map<string, { judged: Promise<Judged>; joinUntil: number }>();

  constructor(
    private readonly baseUrl: string,
    timeout: number | ClassifierTimeout,
    private readonly cache: ClassificationCache | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
    /** Told of every verdict the classifier gives (the router shares them with other pods). */
    private readonly onVerdict: (
      key: string,
      verdict: TextVerdict,
      basis: { headVersion: string | null; keywordsDigest: string | null },
    ) => void = () => {},
  ) {
    this.timeout = typeof timeout === 'number' ? { baseMs: timeout, perKbMs: 0 } : timeout;
  }

  /** The wait budget for this many characters of text to classify. */
  budgetMs(chars: number): number {
    const scaled = Math.round(this.timeout.baseMs + (this.timeout.perKbMs * chars) / 1024);
    return Math.max(this.timeout.baseMs, Math.min(scaled, MAX_BUDGET_MS));
  }

  async classify(pieces: readonly TextPiece[]): Promise<Classification & { pieces: PieceVerdict[] }> {
    const known = new Map<string, TextVerdict>();
    const waiting = new Map<string, Promise<Judged>>();
    const fresh = new Map<string, TextPiece>();
    let pendingChars = 0;
    for (const piece of pieces) {
      if (known.has(piece.key) || waiting.has(piece.key) || fresh.has(piece.key)) continue;
      const hit = this.cache?.get(piece.key);
      if (hit) {
        known.set(piece.key, hit);
        continue;
      }
      // Join a classification only while its own asker still waits for it: a call past that point is
      // slow or hung, and a request joining it would fail closed on its account even after the classifier
      // recovered. A fresh call is made instead; the old one still caches its verdict if it ever answers.
      const running = this.inflight.get(piece.key);
      if (running && performance.now() < running.joinUntil) waiting.set(piece.key, running.judged);
      else fresh.set(piece.key, piece);
      pendingChars += piece.text.length;
    }
    if (waiting.size === 0 && fresh.size === 0)
      return this.combine(pieces, known, this.cache?.currentHead ?? null, true);

    const budgetMs = this.budgetMs(pendingChars);
    if (fresh.size > 0) {
      for (const [key, judged] of this.start([...fresh.values()], budgetMs)) waiting.set(key, judged);
    }
    let headVersion: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ClassifierUnavailable(
              'timeout',
              `no answer within ${budgetMs} ms (${Math.ceil(pendingChars / 1024)} KB of new text); the verdict is cached when it arrives`,
            ),
          ),
        budgetMs,
      );
    });
    try {
      const answers = await Promise.race([
        Promise.all([...waiting].map(async ([key, judged]) => [key, await judged] as const)),
        deadline,
      ]);
      for (const [key, judged] of answers) {
        known.set(key, judged.verdict);
        headVersion = judged.headVersion;
      }
    } finally {
      clearTimeout(timer);
    }
    return this.combine(pieces, known, headVersion, false);
  }

  /**
   * Starts one classifier call for the given pieces and registers each piece's verdict as in flight. The
   * call runs to its own, longer limit whatever the asking request does, and caches what it learns.
   */
  private start(pieces: TextPiece[], budgetMs: number): Map<string, Promise<Judged>> {
    const hardLimitMs = Math.min(budgetMs * BACKGROUND_BUDGETS, BACKGROUND_CAP_MS);
    const call = this.judge(
      pieces.map((p) => p.text),
      hardLimitMs,
    );
    const out = new Map<string, Promise<Judged>>();
    for (const [i, piece] of pieces.entries()) {
      const judged = call.then(({ results, headVersion, keywordsDigest }) => {
        const verdict = results[i] ?? { score: 0, keywords: [] };
        this.cache?.set(piece.key, verdict, headVersion, keywordsDigest);
        this.onVerdict(piece.key, verdict, { headVersion, keywordsDigest });
        return { verdict, headVersion, keywordsDigest };
      });
      const settled = () => {
        if (this.inflight.get(piece.key)?.judged === judged) this.inflight.delete(piece.key);
      };
      judged.then(settled, settled);
      // Nobody may be left waiting (the asker timed out): a failure must not become an unhandled rejection.
      judged.catch(() => {});
      this.inflight.set(piece.key, { judged, joinUntil: performance.now() + budgetMs });
      out.set(piece.key, judged);
    }
    return out;
  }

  private combine(
    pieces: readonly TextPiece[],
    known: Map<string, TextVerdict>,
    headVersion: string | null,
    cached: boolean,
  ): Classification & { pieces: PieceVerdict[] } {
    let score = 0;
    const keywords = new Set<string>();
    const perPiece: PieceVerdict[] = [];
    for (const piece of pieces) {
      const verdict = known.get(piece.key) ?? { score: 0, keywords: [] };
      score = Math.max(score, verdict.score);
      for (const k of verdict.keywords) keywords.add(k);
      perPiece.push({ key: piece.key, score: verdict.score, keywords: verdict.keywords });
    }
    return { score, keywords: [...keywords], headVersion, cached, pieces: perPiece };
  }

  /** One verdict per text, splitting long texts and large batches into calls the classifier accepts. */
  private async judge(texts: string[], limitMs: number) {
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
    const answers = await Promise.all(
      batches.map((batch) =>
        this.call(
          batch.map((s) => s.text),
          limitMs,
        ),
      ),
    );
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

  private async call(texts: string[], limitMs: number) {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts }),
        signal: AbortSignal.timeout(limitMs),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ClassifierUnavailable(
        timedOut ? 'timeout' : 'error',
        timedOut ? `no answer within ${limitMs} ms` : `unreachable: ${String(error)}`,
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
