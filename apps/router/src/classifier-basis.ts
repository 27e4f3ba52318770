import type { ClassificationCache } from './classification-cache.ts';

/**
 * Polls the classifier's /readyz for its head version and keyword-list digest, so the verdict cache is
 * emptied within `pollMs` of a promoted head or an edited keyword list, even while every request is served
 * from the cache. A failed poll changes nothing (requests that miss the cache still report the basis).
 */
export function followClassifierBasis(classifierUrl: string, cache: ClassificationCache, pollMs: number) {
  const poll = async () => {
    try {
      const response = await fetch(`${classifierUrl}/readyz`, { signal: AbortSignal.timeout(pollMs) });
      const body = (await response.json()) as { headVersion?: unknown; keywordsDigest?: unknown };
      if (!response.ok || !('keywordsDigest' in body)) return;
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      cache.observe(text(body.headVersion), text(body.keywordsDigest));
    } catch {}
  };
  const timer = setInterval(() => void poll(), pollMs);
  timer.unref?.();
  void poll();
  return () => clearInterval(timer);
}
