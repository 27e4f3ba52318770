import { type AuditRecord, type Pin, pieceHash, type Route } from '@split-brain/store';
import { WireError } from '@split-brain/wire';
import { type ClassifierClient, ClassifierUnavailable } from './classifier-client.ts';
import type { RouterMetrics } from './router-metrics.ts';
import type { SessionTaint } from './session-taint.ts';
import type { TextPiece } from './text-pieces.ts';

export type RouteReason =
  | 'client-asked-local'
  | 'opaque-content'
  | 'session-taint'
  | 'keyword'
  | 'score'
  | 'below-threshold'
  | 'no-text'
  | 'classifier-unavailable'
  | 'pinned-public'
  | 'pinned-proprietary';

type AuditPiece = NonNullable<AuditRecord['pieces']>[number];
/** The pinned verdict for a piece hash (see PinStore), if an admin pinned one. */
export type PinLookup = (hash: string) => Pin['verdict'] | undefined;

/** The audit keeps this many pieces per request (an agent's request has about 30) and this much of each. */
const AUDIT_PIECES = 64;
const AUDIT_PREVIEW_CHARS = 160;

export interface RouteDecision {
  route: Route;
  reason: RouteReason;
  score: number | null;
  keywords: string[];
  headVersion: string | null;
  /** The threshold the score was held against (settings.json's, else CLASSIFIER_THRESHOLD). */
  threshold: number;
  /** What went wrong with the classifier, when the decision failed closed. */
  classifierProblem?: string;
  /** Each distinct piece with its score or pin, for the audit's frequent-pieces list. */
  pieces?: AuditPiece[];
}

/** The 503 of CLASSIFIER_FAIL_MODE=refuse: audited with its own reason. */
export class FailClosedRefusal extends WireError {}

export interface DecisionInputs {
  pieces: readonly TextPiece[];
  /** Content in the Claude-bound request that the classifier cannot read (images, audio, files, URLs). */
  opaque?: readonly string[];
  taintKeys: readonly string[];
  /** The client sent `x-split-brain-route: local`. */
  askedLocal: boolean;
}

/**
 * SPEC section 3's routing rule. Claude is chosen only when the classifier positively answered below the
 * threshold with no keyword; every other path — a client asking for local, a tainted conversation, a
 * classifier that errs, times out or has no head — ends local (or refused, with CLASSIFIER_FAIL_MODE=refuse).
 */
export class RoutingPolicy {
  constructor(
    private readonly classifier: ClassifierClient,
    private readonly taint: SessionTaint,
    /** A number, or a function read at each decision (the live value from settings.json). */
    private readonly threshold: number | (() => number),
    private readonly failMode: 'local' | 'refuse',
    private readonly metrics: RouterMetrics,
    private readonly pins: PinLookup = () => undefined,
  ) {}

  /** A relayed local answer taints its conversation (keyed by session-taint.ts answerKey). */
  taintAnswer(key: string) {
    this.taint.taint([key]);
  }

  async decide(inputs: DecisionInputs): Promise<RouteDecision> {
    const decision = await this.classify(inputs);
    // Taint records what was found, not doubt: a request that failed closed (timeout, no head) is classified
    // afresh next turn — from the cache, since late verdicts are kept — instead of pinning the whole session.
    if (decision.route === 'local' && decision.reason !== 'classifier-unavailable')
      this.taint.taint(inputs.taintKeys);
    return decision;
  }

  private async classify(inputs: DecisionInputs): Promise<RouteDecision> {
    const threshold = typeof this.threshold === 'function' ? this.threshold() : this.threshold;
    const none = { score: null, keywords: [], headVersion: null, threshold };
    if (inputs.askedLocal) return { route: 'local', reason: 'client-asked-local', ...none };
    // What the classifier cannot read, it cannot call public.
    if (inputs.opaque && inputs.opaque.length > 0)
      return { route: 'local', reason: 'opaque-content', ...none };
    if (this.taint.isTainted(inputs.taintKeys)) return { route: 'local', reason: 'session-taint', ...none };
    // Nothing the classifier can read (images only): doubt, so local.
    if (inputs.pieces.length === 0) return { route: 'local', reason: 'no-text', ...none };
    const hashes = inputs.pieces.map((p) => pieceHash(p.text));
    const pinned = hashes.map((h) => this.pins(h));
    const scores = new Map<string, number>();
    const audit = () => auditPieces(inputs.pieces, hashes, pinned, scores);
    if (pinned.includes('proprietary'))
      return { route: 'local', reason: 'pinned-proprietary', ...none, pieces: audit() };
    // A piece pinned public is not classified again; the rest of the request still is.
    const toClassify = inputs.pieces.filter((_, i) => pinned[i] !== 'public');
    const pinnedPublic = toClassify.length < inputs.pieces.length;
    if (toClassify.length === 0)
      return { route: 'claude', reason: 'pinned-public', ...none, score: 0, pieces: audit() };
    const started = performance.now();
    try {
      const verdict = await this.classifier.classify(toClassify);
      for (const p of verdict.pieces) scores.set(p.key, p.score);
      if (verdict.cached) this.metrics.cacheHit.inc();
      else {
        this.metrics.cacheMiss.inc();
        this.metrics.classifierLatency.observe((performance.now() - started) / 1000);
      }
      const base = {
        ...none,
        score: verdict.score,
        keywords: verdict.keywords,
        headVersion: verdict.headVersion,
        pieces: audit(),
      };
      if (verdict.keywords.length > 0) return { route: 'local', reason: 'keyword', ...base };
      if (verdict.score >= threshold) return { route: 'local', reason: 'score', ...base };
      return { route: 'claude', reason: pinnedPublic ? 'pinned-public' : 'below-threshold', ...base };
    } catch (error) {
      const problem = error instanceof ClassifierUnavailable ? error : undefined;
      this.metrics.classifierFailures.inc({ reason: problem?.reason ?? 'error' });
      this.metrics.failClosed.inc({ mode: this.failMode });
      const detail = problem ? `${problem.reason}: ${problem.message}` : String(error);
      if (this.failMode === 'refuse') {
        throw new FailClosedRefusal(
          503,
          'overloaded',
          `the privacy classifier could not decide (${problem?.reason ?? 'error'}), and this gateway refuses rather than guess (CLASSIFIER_FAIL_MODE=refuse); retry shortly`,
        );
      }
      return {
        route: 'local',
        reason: 'classifier-unavailable',
        ...none,
        classifierProblem: detail,
        pieces: audit(),
      };
    }
  }
}

function auditPieces(
  pieces: DecisionInputs['pieces'],
  hashes: string[],
  pinned: (Pin['verdict'] | undefined)[],
  scores: Map<string, number>,
): AuditPiece[] {
  const out = new Map<string, AuditPiece>();
  for (const [i, piece] of pieces.entries()) {
    const hash = hashes[i]!;
    if (out.has(hash)) continue;
    const pin = pinned[i];
    out.set(hash, {
      hash,
      score: scores.get(piece.key) ?? null,
      ...(pin ? { pinned: pin } : {}),
      chars: piece.text.length,
      preview: piece.text.slice(0, AUDIT_PREVIEW_CHARS),
    });
  }
  return [...out.values()].slice(0, AUDIT_PIECES);
}
