import { type TrainingResult, trainFromStore } from '@split-brain/training';
import type { Trainer, TrainingEvaluation } from './jobs.ts';

/** The part of a training report the console shows (the held-out examples cut to the worst few). */
export function evaluationOf(result: TrainingResult): TrainingEvaluation {
  const { report, counts } = result;
  const h = report.heldOut;
  const threshold = result.head.suggestedThreshold ?? 0.5;
  return {
    thresholdFrom: report.thresholdFrom,
    heldOut: h && {
      positives: h.positives,
      negatives: h.negatives,
      recall: h.recall,
      falsePositiveRate: h.falsePositiveRate,
      precision: h.precision,
      rocAuc: h.rocAuc,
      worstMisses: h.examples
        .filter((e) => e.label === 1)
        .sort((a, b) => a.score - b.score)
        .slice(0, 8)
        .map((e) => ({ text: e.text, score: e.score })),
      worstFalsePositives: h.examples
        .filter((e) => e.label === 0 && e.score >= Math.min(threshold, 0.5))
        .sort((a, b) => b.score - a.score)
        .slice(0, 8)
        .map((e) => ({ text: e.text, score: e.score })),
    },
    histogram: report.histogram,
    curves: report.curves,
    sources: { ...counts },
  };
}

/**
 * The console's trainer: the training library over the store's documents (proprietary and public), labels
 * and generated questions plus its shipped general-text negatives, embedding through the classifier's /embed.
 * Cancelling aborts the embedding calls. `bun run train` and `bun run eval:classifier` run this same path.
 */
export function storeTrainer(classifierUrl: string, options: { maxGeneralNegatives?: number } = {}): Trainer {
  return async ({ store, targetRecall, signal, onProgress }) => {
    const result = await trainFromStore(store, {
      classifierUrl,
      targetRecall,
      maxGeneralNegatives: options.maxGeneralNegatives,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, { ...init, signal })) as typeof fetch,
      onProgress: (stage, done, total) => onProgress({ phase: stage, done, total }),
    });
    const c = result.counts;
    return {
      head: result.head,
      counts: {
        positives: c.documentChunks + c.generatedProprietary + c.proprietaryLabels,
        negatives: c.publicChunks + c.generatedPublic + c.publicLabels + c.general,
      },
      evaluation: evaluationOf(result),
    };
  };
}
