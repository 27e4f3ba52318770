import type { Logger } from '@split-brain/http';
import type { SharedVerdicts } from '@split-brain/store';
import type { ClassificationCache } from './classification-cache.ts';

/** What decides a verdict: the classifier's head and keyword list. */
export interface VerdictBasis {
  headVersion: string | null;
  keywordsDigest: string | null;
}

/**
 * The data-volume folder that holds verdicts given under one basis (`verdicts/<id>/<pod>.jsonl`): the head
 * version, plus the keyword list's digest when there is one, so a keyword edit starts a fresh folder just
 * as a new head does. Null for no head (nothing is shared without a verdict-giving head).
 */
export function sharedVerdictsId(basis: VerdictBasis): string | null {
  if (basis.headVersion === null) return null;
  const id = basis.keywordsDigest ? `${basis.headVersion}.kw-${basis.keywordsDigest}` : basis.headVersion;
  return id.slice(0, 128);
}

/**
 * Polls the classifier's /readyz for its head version and keyword-list digest, so the verdict cache is
 * emptied within `pollMs` of a promoted head or an edited keyword list, even while every request is served
 * from the cache. With `shared`, each poll also adopts the verdicts other router pods learned under the
 * same basis, so an agent's first request classified on one pod is a cache hit on all of them a poll
 * later. A failed poll changes nothing (requests that miss the cache still report the basis).
 */
export function followClassifierBasis(
  classifierUrl: string,
  cache: ClassificationCache,
  pollMs: number,
  shared?: { verdicts: SharedVerdicts; logger: Logger },
) {
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(`${classifierUrl}/readyz`, { signal: AbortSignal.timeout(pollMs) });
      const body = (await response.json()) as { headVersion?: unknown; keywordsDigest?: unknown };
      if (!response.ok || !('keywordsDigest' in body)) return;
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const basis = { headVersion: text(body.headVersion), keywordsDigest: text(body.keywordsDigest) };
      cache.observe(basis.headVersion, basis.keywordsDigest);
      const id = sharedVerdictsId(basis);
      if (!shared || id === null || basis.headVersion === null) return;
      for (const v of await shared.verdicts.readNew(id))
        cache.adopt(v.k, { score: v.s, keywords: v.kw }, basis.headVersion, basis.keywordsDigest);
    } catch (error) {
      // The classifier is restarting or the volume hiccuped: the next round tries again.
      shared?.logger.debug('classifier basis or shared verdicts not read', { error: String(error) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), pollMs);
  timer.unref?.();
  void poll();
  return () => clearInterval(timer);
}
