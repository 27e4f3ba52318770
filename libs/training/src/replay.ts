/**
 * Before promoting: recent audited traffic scored by a candidate head, to see how many requests would change
 * brain each way. Only decisions the score made can change: a keyword match, a client's request for local,
 * session taint or a classifier outage route local whatever the head says, so those records are counted as
 * unchanged. The audit keeps the conversation's text (capped for very long ones), scored here as one text
 * (max over model windows, as /classify does); the router scores each piece of a request separately, so a
 * replayed score can differ slightly from the live one.
 */
import type { AuditRecord, Head, Store } from '@split-brain/store';
import { headScorer } from './head-scorer.ts';

export interface ReplayExample {
  id: string;
  time: string;
  user: string;
  oldScore: number | null;
  newScore: number;
  text: string;
}

export interface ReplayResult {
  /** Records read (routed by a brain: refused requests are skipped). */
  records: number;
  /** Records whose route the score decided, and so could change. */
  scored: number;
  threshold: number;
  /** Went to Claude, would now stay local. */
  toLocal: { count: number; examples: ReplayExample[] };
  /** Stayed local by score, would now go to Claude. */
  toClaude: { count: number; examples: ReplayExample[] };
  unchanged: number;
}

const SCORE_DECIDED = new Set(['score', 'below-threshold']);

export interface ReplayOptions {
  classifierUrl: string;
  /** The router's threshold; each record's own threshold is used when absent. */
  threshold?: number;
  /** How many of the most recent records to replay. */
  limit?: number;
  examples?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

async function embedWindows(
  texts: string[],
  options: ReplayOptions,
  dimension: number,
): Promise<number[][][]> {
  const doFetch = options.fetch ?? fetch;
  const out: number[][][] = [];
  for (let i = 0; i < texts.length; i += 32) {
    const res = await doFetch(new URL('/embed?windows=1', options.classifierUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: texts.slice(i, i + 32) }),
      signal: options.signal,
    });
    if (!res.ok)
      throw new Error(`classifier /embed answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const body = (await res.json()) as { dimension: number; windows?: number[][][] };
    if (!body.windows)
      throw new Error('the classifier does not return window embeddings (?windows=1); update it');
    if (body.dimension !== dimension)
      throw new Error(`the classifier's model gives ${body.dimension} dimensions, the head has ${dimension}`);
    out.push(...body.windows);
    options.onProgress?.(out.length, texts.length);
  }
  return out;
}

/** Scores recorded texts with the candidate and compares with the routes they took. */
export async function replayRecords(
  records: AuditRecord[],
  head: Head,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const routed = records.filter((r) => r.route !== null && r.text.trim() !== '');
  const decidable = routed.filter((r) => SCORE_DECIDED.has(r.reason));
  const scorer = headScorer(head);
  const windows =
    decidable.length > 0
      ? await embedWindows(
          decidable.map((r) => r.text),
          options,
          head.dimension,
        )
      : [];
  const maxExamples = options.examples ?? 5;
  const result: ReplayResult = {
    records: routed.length,
    scored: decidable.length,
    threshold: options.threshold ?? decidable[0]?.threshold ?? 0.4,
    toLocal: { count: 0, examples: [] },
    toClaude: { count: 0, examples: [] },
    unchanged: routed.length - decidable.length,
  };
  decidable.forEach((r, i) => {
    const newScore = scorer.scoreText(r.text, windows[i]!);
    const threshold = options.threshold ?? r.threshold;
    const wouldBe = newScore >= threshold ? 'local' : 'claude';
    const example: ReplayExample = {
      id: r.id,
      time: r.time,
      user: r.user,
      oldScore: r.score,
      newScore,
      text: r.text.slice(0, 300),
    };
    if (wouldBe === r.route) result.unchanged++;
    else {
      const bucket = wouldBe === 'local' ? result.toLocal : result.toClaude;
      bucket.count++;
      if (bucket.examples.length < maxExamples) bucket.examples.push(example);
    }
  });
  return result;
}

/** Replays the most recent audited requests on the store (default the last 500). */
export async function replayRecent(store: Store, head: Head, options: ReplayOptions): Promise<ReplayResult> {
  const page = await store.audit.page({ limit: options.limit ?? 500 });
  return replayRecords(page.records, head, options);
}
