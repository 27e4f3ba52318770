import { confusionAt, rocAuc, thresholdForRecall } from './evaluation.ts';
import { fitLogistic, predict } from './logistic.ts';

export interface CrossValidationResult {
  folds: number;
  /** Out-of-fold scores: each sample scored by the model that did not see its group. */
  scores: number[];
  rocAuc: number;
  /** At the threshold that reaches the target recall. */
  targetRecall: number;
  threshold: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  /** At a plain 0.5 threshold, for comparison. */
  precisionAtHalf: number;
  recallAtHalf: number;
}

/** A seeded xorshift generator: folds and splits are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Stratified fold assignment: each class is dealt round-robin in a seeded shuffle, so folds keep the class mix. */
export function stratifiedFolds(labels: number[], k: number, seed = 1): number[] {
  return groupedFolds(
    labels.map((_, i) => String(i)),
    labels,
    k,
    seed,
  );
}

/**
 * Fold assignment that keeps each group whole (all chunks and questions of one document in one fold), so a
 * fold is scored by a model that never saw its documents. Groups are dealt largest first to the fold with the
 * fewest examples of the group's majority class, which keeps the class mix even across folds.
 */
export function groupedFolds(groups: string[], labels: number[], k: number, seed = 1): number[] {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  });
  const random = seededRandom(seed);
  const entries = shuffle([...byGroup.values()], random).sort((a, b) => b.length - a.length);
  const perFold = Array.from({ length: k }, () => [0, 0]);
  const folds = new Array<number>(labels.length).fill(0);
  for (const members of entries) {
    const positives = members.filter((i) => labels[i] === 1).length;
    const cls = positives * 2 >= members.length ? 1 : 0;
    let best = 0;
    for (let f = 1; f < k; f++) if (perFold[f]![cls]! < perFold[best]![cls]!) best = f;
    for (const i of members) folds[i] = best;
    perFold[best]![1]! += positives;
    perFold[best]![0]! += members.length - positives;
  }
  return folds;
}

/** How many folds the groups allow: each fold needs a positive group and a negative group to test. */
export function usableFolds(groups: string[], labels: number[], wanted: number): number {
  const positiveGroups = new Set(groups.filter((_, i) => labels[i] === 1));
  const negativeGroups = new Set(groups.filter((_, i) => labels[i] === 0));
  return Math.min(wanted, positiveGroups.size, negativeGroups.size);
}

/** A fitted scorer: the probability that a sample (an embedding, or a text with its embedding) is proprietary. */
export type ScoreFn<S = ArrayLike<number>> = (x: S) => number;
export type FitFn<S = ArrayLike<number>> = (x: S[], y: number[], weights: number[]) => ScoreFn<S>;

/** Class-weighted logistic regression over embeddings: the scorer when none is given. */
const fitPlainLogistic: FitFn = (fx, fy, fw) => {
  const model = fitLogistic(fx, fy, {}, fw);
  return (v) => predict(model, v);
};

export function crossValidate<S = ArrayLike<number>>(
  x: S[],
  y: number[],
  options: {
    folds: number;
    targetRecall: number;
    /** Group of each sample (see groupedFolds); each sample its own group when absent. */
    groups?: string[];
    /** Per-sample weights; class-balanced when absent. */
    weights?: number[];
    /** The scorer to fit per fold; class-weighted logistic regression over embeddings when absent. */
    fit?: FitFn<S>;
    onFold?: (fold: number) => void;
  },
): CrossValidationResult {
  const groups = options.groups ?? y.map((_, i) => String(i));
  const folds = usableFolds(groups, y, options.folds);
  if (folds < 2) {
    throw new Error(
      'cross-validation needs at least two proprietary documents (or labels) and two public sources to hold out in turn',
    );
  }
  const assignment = groupedFolds(groups, y, folds);
  // Without a fit of their own, samples are embeddings.
  const fit = options.fit ?? (fitPlainLogistic as unknown as FitFn<S>);
  const positives = y.filter((v) => v === 1).length;
  const weights =
    options.weights ??
    y.map((v) => (v === 1 ? y.length / (2 * positives) : y.length / (2 * (y.length - positives))));
  const scores = new Array<number>(y.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const train = y.flatMap((_, i) => (assignment[i] !== fold ? [i] : []));
    const trainY = train.map((i) => y[i]!);
    if (!trainY.includes(0) || !trainY.includes(1)) continue;
    const score = fit(
      train.map((i) => x[i]!),
      trainY,
      train.map((i) => weights[i]!),
    );
    y.forEach((_, i) => {
      if (assignment[i] === fold) scores[i] = score(x[i]!);
    });
    options.onFold?.(fold);
  }
  const atTarget = thresholdForRecall(scores, y, options.targetRecall);
  const atHalf = confusionAt(scores, y, 0.5);
  return {
    folds,
    scores,
    rocAuc: rocAuc(scores, y),
    targetRecall: options.targetRecall,
    threshold: atTarget.threshold,
    precision: atTarget.precision,
    recall: atTarget.recall,
    falsePositiveRate: atTarget.falsePositiveRate,
    precisionAtHalf: atHalf.precision,
    recallAtHalf: atHalf.recall,
  };
}
