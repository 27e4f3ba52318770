/** The evaluation summary a training run prints (the CLI) and shows (the console), in words people use. */
import type { ReplayResult } from './replay.ts';
import type { TrainingResult } from './train.ts';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`;

export function formatTrainingSummary(result: TrainingResult, routerThreshold?: number): string {
  const { report, counts, head } = result;
  const cv = report.crossValidation;
  const h = report.heldOut;
  const lines = [
    `head ${head.version} (${head.modelId}, ${[
      'logistic',
      ...(head.neighbours ? [`${head.neighbours.k} nearest neighbours`] : []),
      ...(head.lexical ? [`words (${head.lexical.count} terms)`] : []),
    ].join(' + ')})`,
    `trained on: ${counts.documentChunks} document chunks, ${counts.publicChunks} public-document chunks, ` +
      `${counts.generatedProprietary} + ${counts.generatedPublic} generated questions (proprietary + public), ` +
      `${counts.proprietaryLabels} + ${counts.publicLabels} labels, ${counts.general} general prompts`,
  ];
  if (h) {
    lines.push(
      `held-out questions (never trained on: ${h.positives} proprietary, ${h.negatives} public):`,
      `  at the suggested threshold ${head.suggestedThreshold?.toFixed(3)}: recall ${pct(h.recall)}, false positives ${pct(h.falsePositiveRate)}, precision ${pct(h.precision)}, ROC-AUC ${h.rocAuc.toFixed(3)}`,
    );
    if (routerThreshold !== undefined) {
      const scores = h.examples;
      const pos = scores.filter((e) => e.label === 1);
      const neg = scores.filter((e) => e.label === 0);
      const recall = pos.filter((e) => e.score >= routerThreshold).length / Math.max(1, pos.length);
      const fpr = neg.filter((e) => e.score >= routerThreshold).length / Math.max(1, neg.length);
      lines.push(
        `  at the router's threshold ${routerThreshold}: recall ${pct(recall)}, false positives ${pct(fpr)}`,
      );
    }
  } else {
    lines.push(
      'held-out questions: none (no generated questions or labels of both kinds); threshold from cross-validation',
    );
  }
  lines.push(
    `cross-validation by document (${cv.folds} folds): ROC-AUC ${cv.rocAuc.toFixed(3)}, at recall ${pct(cv.recall)}: false positives ${pct(cv.falsePositiveRate)}`,
    `suggested threshold: ${head.suggestedThreshold?.toFixed(3)} (target recall ${pct(Number(head.metrics.targetRecall))}, from ${report.thresholdFrom})`,
  );
  return lines.join('\n');
}

export function formatReplaySummary(replay: ReplayResult): string {
  const lines = [
    `replay of ${replay.records} recent requests at threshold ${replay.threshold} (${replay.scored} decided by the score):`,
    `  ${replay.toLocal.count} would go local instead of Claude, ${replay.toClaude.count} would go to Claude instead of local, ${replay.unchanged} unchanged`,
  ];
  for (const [title, bucket] of [
    ['now local', replay.toLocal],
    ['now Claude', replay.toClaude],
  ] as const) {
    for (const e of bucket.examples)
      lines.push(
        `  ${title}: ${e.oldScore?.toFixed(3) ?? '-'} -> ${e.newScore.toFixed(3)}  ${e.text.replace(/\s+/g, ' ').slice(0, 100)}`,
      );
  }
  return lines.join('\n');
}
