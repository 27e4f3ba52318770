import { confusionAt, rocAuc, thresholdForRecall } from './evaluation.ts';
import { fitLogistic, type LogisticOptions, predict } from './logistic.ts';

export interface CrossValidationResult {
  folds: number;
  /** Out-of-fold scores: each sample scored by the model that did not see it. */
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

/** Stratified fold assignment: each class is dealt round-robin in a seeded shuffle, so folds keep the class mix. */
export function stratifiedFolds(labels: number[], k: number, seed = 1): number[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const folds = new Array<number>(labels.length).fill(0);
  for (const cls of [0, 1]) {
    const idx = labels.flatMap((y, i) => (y === cls ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((sample, position) => {
      folds[sample] = position % k;
    });
  }
  return folds;
}

export function crossValidate(
  x: ArrayLike<number>[],
  y: number[],
  options: {
    folds: number;
    targetRecall: number;
    logistic?: Partial<LogisticOptions>;
    onFold?: (fold: number) => void;
  },
): CrossValidationResult {
  const positives = y.filter((v) => v === 1).length;
  if (positives < options.folds || y.length - positives < options.folds) {
    throw new Error(
      `${options.folds}-fold cross-validation needs at least ${options.folds} examples of each class`,
    );
  }
  const assignment = stratifiedFolds(y, options.folds);
  const scores = new Array<number>(y.length).fill(0);
  for (let fold = 0; fold < options.folds; fold++) {
    const train = y.flatMap((_, i) => (assignment[i] !== fold ? [i] : []));
    const model = fitLogistic(
      train.map((i) => x[i]!),
      train.map((i) => y[i]!),
      options.logistic,
    );
    y.forEach((_, i) => {
      if (assignment[i] === fold) scores[i] = predict(model, x[i]!);
    });
    options.onFold?.(fold);
  }
  const atTarget = thresholdForRecall(scores, y, options.targetRecall);
  const atHalf = confusionAt(scores, y, 0.5);
  return {
    folds: options.folds,
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
