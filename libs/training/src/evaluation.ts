/** Binary-classification measures over scores in [0,1] and labels 0/1. */

export interface ConfusionAt {
  threshold: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
}

export function confusionAt(scores: number[], labels: number[], threshold: number): ConfusionAt {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  scores.forEach((s, i) => {
    const positive = labels[i] === 1;
    if (s >= threshold) positive ? tp++ : fp++;
    else positive ? fn++ : tn++;
  });
  return {
    threshold,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    falsePositiveRate: fp + tn === 0 ? 0 : fp / (fp + tn),
  };
}

/** ROC-AUC as the probability that a random positive outscores a random negative (ties count half). */
export function rocAuc(scores: number[], labels: number[]): number {
  const order = scores.map((s, i) => ({ s, y: labels[i]! })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if (order[k]!.y === 1) {
        rankSum += averageRank;
        positives++;
      }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The highest threshold whose recall reaches `targetRecall` (so precision is as high as that recall
 * allows), with the precision there.
 */
export function thresholdForRecall(scores: number[], labels: number[], targetRecall: number): ConfusionAt {
  const positiveScores = scores.filter((_, i) => labels[i] === 1).sort((a, b) => b - a);
  if (positiveScores.length === 0) throw new Error('no positive examples to set a threshold on');
  const needed = Math.max(1, Math.ceil(targetRecall * positiveScores.length));
  const threshold = positiveScores[needed - 1]!;
  return confusionAt(scores, labels, threshold);
}
