/**
 * Time to first byte of streamed answers. wrk times whole responses only, so this probe opens streams
 * itself (a fixed number, a few at a time) and times the first body chunk, which is the first SSE event
 * a user's client would see. It is the same code for every target, so its own cost cancels out in the
 * comparison with the floor.
 */
import type { LoadRequest } from './wrk.ts';

export interface TtfbResult {
  concurrency: number;
  streams: number;
  failed: number;
  ttfbP50Ms: number;
  ttfbP99Ms: number;
  totalP50Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

async function oneStream(request: LoadRequest): Promise<{ ttfbMs: number; totalMs: number } | null> {
  const started = performance.now();
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok || !response.body) {
      await response.arrayBuffer().catch(() => undefined);
      return null;
    }
    const reader = response.body.getReader();
    let ttfbMs = -1;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (ttfbMs < 0 && value && value.byteLength > 0) ttfbMs = performance.now() - started;
    }
    return ttfbMs < 0 ? null : { ttfbMs, totalMs: performance.now() - started };
  } catch {
    return null;
  }
}

export async function probeTtfb(
  request: LoadRequest,
  concurrency: number,
  streams: number,
): Promise<TtfbResult> {
  const ttfbs: number[] = [];
  const totals: number[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < streams) {
      next += 1;
      const result = await oneStream(request);
      if (result) {
        ttfbs.push(result.ttfbMs);
        totals.push(result.totalMs);
      } else {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  ttfbs.sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  return {
    concurrency,
    streams,
    failed,
    ttfbP50Ms: percentile(ttfbs, 50),
    ttfbP99Ms: percentile(ttfbs, 99),
    totalP50Ms: percentile(totals, 50),
  };
}
