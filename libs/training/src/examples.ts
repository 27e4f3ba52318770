/**
 * Training examples, where each came from, and how much each weighs. Document chunks teach the head what the
 * organisation's text looks like; public reference documents and public generated questions teach it what the
 * same field looks like when it is not ours; generated employee questions and labels teach it what a prompt
 * about our facts looks like. Weights by source say how much each kind counts; class balancing then makes both
 * classes weigh the same in total, whatever their sizes.
 */

export type ExampleSource = 'document' | 'public-document' | 'generated' | 'label' | 'general';

export const EXAMPLE_SOURCES: ExampleSource[] = [
  'document',
  'public-document',
  'generated',
  'label',
  'general',
];

export interface TrainingExample {
  text: string;
  label: 0 | 1;
  source: ExampleSource;
  /**
   * What must stay on one side of a split: the document a chunk or generated question came from, so
   * neighbouring chunks that share a sentence never land in different folds. Unique for standalone examples.
   */
  group: string;
  /**
   * The held-out split draws question-form examples one by one (by a hash of the text): prompts in use are new
   * questions about sections the generator did cover, which is what a held-out question is. Holding out whole
   * sections instead measured questions about text no question was trained on, and set the threshold too low.
   */
  heldOutGroup?: string;
}

export type SourceWeights = Record<ExampleSource, number>;

/**
 * Chosen on the team's evaluation sets (bench/classifier-eval, see docs/training.md): question-form examples
 * (generated questions, operator labels) are what prompts look like, so they count far more than chunks;
 * the general set is plentiful and easy, so each of its examples counts less.
 */
export const DEFAULT_SOURCE_WEIGHTS: SourceWeights = {
  document: 1,
  'public-document': 1,
  generated: 10,
  label: 10,
  general: 1,
};

/** Question-form examples: what the held-out split is drawn from. */
export const isQuestionForm = (e: Pick<TrainingExample, 'source'>) =>
  e.source === 'generated' || e.source === 'label';

/**
 * One weight per example: its source's weight, scaled within its class so that each class's weights add up
 * to half the number of examples (the mean weight stays 1, so the L2 penalty means the same at any size).
 */
export function exampleWeights(
  examples: Pick<TrainingExample, 'label' | 'source'>[],
  sourceWeights: Partial<SourceWeights> = {},
): number[] {
  const w = { ...DEFAULT_SOURCE_WEIGHTS, ...sourceWeights };
  for (const [source, value] of Object.entries(w)) {
    if (!(value >= 0) || !Number.isFinite(value))
      throw new Error(`the weight of ${source} must be a finite number >= 0 (got ${value})`);
  }
  const raw = examples.map((e) => w[e.source]);
  const classTotal = [0, 0];
  examples.forEach((e, i) => {
    classTotal[e.label]! += raw[i]!;
  });
  const half = examples.length / 2;
  return examples.map((e, i) => {
    const total = classTotal[e.label]!;
    return total === 0 ? 0 : (raw[i]! * half) / total;
  });
}

/** How many examples of each source and class, for the report. */
export function countBySource(examples: Pick<TrainingExample, 'label' | 'source'>[]) {
  const counts: Record<string, number> = {};
  for (const e of examples) {
    const key = `${e.source}:${e.label === 1 ? 'proprietary' : 'public'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
