/** What the console and the evaluation report draw: score distributions by class, ROC and precision-recall curves. */

export interface ScoreHistogram {
  /** Bin edges: bins[i] counts scores in [i/bins, (i+1)/bins), the last bin includes 1. */
  bins: number;
  positives: number[];
  negatives: number[];
}

export function scoreHistogram(scores: number[], labels: number[], bins = 20): ScoreHistogram {
  const positives = new Array<number>(bins).fill(0);
  const negatives = new Array<number>(bins).fill(0);
  scores.forEach((s, i) => {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    (labels[i] === 1 ? positives : negatives)[bin]!++;
  });
  return { bins, positives, negatives };
}

export interface CurvePoint {
  threshold: number;
  recall: number;
  falsePositiveRate: number;
  precision: number;
}

export interface Curves {
  /** One point per distinct score, from the highest threshold down (at most ~200, evenly thinned). */
  points: CurvePoint[];
}

export function curves(scores: number[], labels: number[], maxPoints = 200): Curves {
  const order = scores.map((s, i) => ({ s, y: labels[i]! })).sort((a, b) => b.s - a.s);
  const positives = order.filter((o) => o.y === 1).length;
  const negatives = order.length - positives;
  const points: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; ) {
    const threshold = order[i]!.s;
    while (i < order.length && order[i]!.s === threshold) {
      if (order[i]!.y === 1) tp++;
      else fp++;
      i++;
    }
    points.push({
      threshold,
      recall: positives === 0 ? 1 : tp / positives,
      falsePositiveRate: negatives === 0 ? 0 : fp / negatives,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    });
  }
  if (points.length <= maxPoints) return { points };
  const step = (points.length - 1) / (maxPoints - 1);
  return { points: Array.from({ length: maxPoints }, (_, i) => points[Math.round(i * step)]!) };
}
