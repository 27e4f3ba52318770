import type { Route } from '@split-brain/store';
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
  | 'classifier-unavailable';

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
  ) {}

  /** A relayed local answer taints its conversation (keyed by session-taint.ts answerKey). */
  taintAnswer(key: string) {
    this.taint.taint([key]);
  }

  async decide(inputs: DecisionInputs): Promise<RouteDecision> {
    const decision = await this.classify(inputs);
    if (decision.route === 'local') this.taint.taint(inputs.taintKeys);
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
    const started = performance.now();
    try {
      const verdict = await this.classifier.classify(inputs.pieces);
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
      };
      if (verdict.keywords.length > 0) return { route: 'local', reason: 'keyword', ...base };
      if (verdict.score >= threshold) return { route: 'local', reason: 'score', ...base };
      return { route: 'claude', reason: 'below-threshold', ...base };
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
      return { route: 'local', reason: 'classifier-unavailable', ...none, classifierProblem: detail };
    }
  }
}
