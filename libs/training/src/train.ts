import type { GeneratedQuestion, Head, Label, Store } from '@split-brain/store';
import { type ChunkOptions, chunkDocument } from './chunking.ts';
import { type CrossValidationResult, crossValidate, type FitFn, seededRandom } from './cross-validation.ts';
import { type EmbedResult, embedViaClassifier } from './embed-client.ts';
import { type Curves, curves, scoreHistogram, type ScoreHistogram } from './curves.ts';
import { rocAuc, thresholdForRecall } from './evaluation.ts';
import {
  countBySource,
  exampleWeights,
  isQuestionForm,
  type SourceWeights,
  type TrainingExample,
} from './examples.ts';
import {
  DEVELOPER_TOOL_NEGATIVES_PATH,
  loadGeneralNegatives,
  PROFESSIONAL_NEGATIVES_PATH,
} from './general-negatives.ts';
import { tidyQuestions } from './generated-questions.ts';
import { fnv1a } from './hash.ts';
import { requestFragments } from './request-fragments.ts';
import {
  blendedScorer,
  DEFAULT_NEIGHBOURS,
  encodeVectors,
  headScorer,
  type NeighbourOptions,
  vectorSet,
} from './head-scorer.ts';
import { encodeLexical, fitLexical, type LexicalOptions } from './lexical.ts';
import { fitLogistic, type LogisticOptions } from './logistic.ts';
import { type DocumentFormat, documentSections, formatFromName } from './plain-text.ts';

export type { TrainingExample };

export interface TrainingDocument {
  name: string;
  /** The document's text in its format (Markdown and HTML are turned into plain sentences first). */
  text: string;
  format?: DocumentFormat;
  /** A public reference document: its chunks are negatives. */
  public?: boolean;
}

export interface TrainingInput {
  /** Proprietary documents (chunks are positives) and public reference documents (chunks are negatives). */
  documents: TrainingDocument[];
  /** Curated labels: proprietary ones are positives, public ones negatives. */
  labels: Pick<Label, 'text' | 'label'>[];
  /** Generated questions (from the ScalarLM generator or any other), deduplicated and capped here. */
  generated?: GeneratedQuestion[];
  /** Ordinary text (the shipped general set unless given). */
  generalNegatives?: string[];
  /** Use at most this many general negatives (an even sample), to bound embedding time. */
  maxGeneralNegatives?: number;
}

export type TrainingStage = 'chunking' | 'embedding' | 'cross-validating' | 'fitting' | 'evaluating' | 'done';

export interface TrainingOptions {
  classifierUrl: string;
  targetRecall?: number;
  folds?: number;
  /** Share of question-form groups (document sections, labels) held out of training to set the threshold. */
  heldOutFraction?: number;
  sourceWeights?: Partial<SourceWeights>;
  logistic?: Partial<LogisticOptions>;
  /** The nearest-neighbour blend (see head-scorer.ts); false leaves it out. */
  neighbours?: Partial<NeighbourOptions> | false;
  /** The word model (see lexical.ts); false leaves it out. */
  lexical?: Partial<LexicalOptions> | false;
  chunking?: Partial<ChunkOptions>;
  /** Injected so tests and the UI can name versions; default h<UTC time>-<random>. */
  version?: string;
  now?: Date;
  fetch?: typeof fetch;
  onProgress?: (stage: TrainingStage, done: number, total: number) => void;
}

export const DEFAULT_TRAINING = {
  targetRecall: 0.99,
  folds: 5,
  heldOutFraction: 0.2,
  maxGeneralNegatives: 3000,
  /** Less smoothing than the library default: with question-form examples the head can afford sharper weights. */
  logistic: { l2: 1e-4, maxIterations: 1500 } satisfies Partial<LogisticOptions>,
  /** Proprietary generated questions and labels needed before the neighbour blend and the lighter penalty apply. */
  minQuestionsForBlend: 50,
};

/** Question-form examples never trained on: the headline numbers and the suggested threshold come from here. */
export interface HeldOutResult {
  positives: number;
  negatives: number;
  threshold: number;
  recall: number;
  precision: number;
  falsePositiveRate: number;
  rocAuc: number;
  examples: { text: string; label: 0 | 1; source: string; score: number }[];
}

export interface TrainingReport {
  /** Where the suggested threshold came from: the held-out questions, or cross-validation when there are none. */
  thresholdFrom: 'held-out' | 'cross-validation';
  heldOut: HeldOutResult | null;
  crossValidation: CrossValidationResult;
  /** Score distributions and curves of the split the threshold came from, for the console. */
  histogram: ScoreHistogram;
  curves: Curves;
}

export interface TrainingResult {
  head: Head;
  crossValidation: CrossValidationResult;
  report: TrainingReport;
  counts: {
    documentChunks: number;
    publicChunks: number;
    generatedProprietary: number;
    generatedPublic: number;
    proprietaryLabels: number;
    publicLabels: number;
    general: number;
    heldOut: number;
  };
}

export function headVersionFor(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `h${stamp}-${crypto.randomUUID().slice(0, 6)}`;
}

/** Deterministic even sample without replacement (every k-th keeps the mix of templates). */
function sample<T>(items: T[], max: number | undefined): T[] {
  if (max === undefined || items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]!);
}

/** Chunks of a document, section by section (a chunk never spans two sections). */
export function documentChunks(doc: TrainingDocument, chunking?: Partial<ChunkOptions>) {
  const format = doc.format ?? formatFromName(doc.name);
  return documentSections(doc.text, format).flatMap((section) =>
    chunkDocument(section.title ? `${section.title}.\n\n${section.text}` : section.text, chunking).map(
      (text) => ({ text, section: section.title }),
    ),
  );
}

/**
 * Whether a run has enough proprietary question-form examples (generated questions, labels) for the parts that
 * need prompts to contrast with: the neighbour blend, the word model, professional text and request fragments.
 */
export function withQuestions(examples: Pick<TrainingExample, 'label' | 'source'>[]): boolean {
  const positives = examples.filter((e) => isQuestionForm(e) && e.label === 1).length;
  return positives >= DEFAULT_TRAINING.minQuestionsForBlend;
}

export async function buildExamples(
  input: TrainingInput,
  chunking?: Partial<ChunkOptions>,
): Promise<TrainingExample[]> {
  const examples: TrainingExample[] = [];
  for (const doc of input.documents) {
    for (const chunk of documentChunks(doc, chunking)) {
      examples.push({
        text: chunk.text,
        label: doc.public ? 0 : 1,
        source: doc.public ? 'public-document' : 'document',
        group: `doc:${doc.name}`,
      });
    }
  }
  for (const q of tidyQuestions(input.generated ?? [])) {
    examples.push({
      text: q.text,
      label: q.label === 'proprietary' ? 1 : 0,
      source: 'generated',
      group: `doc:${q.doc}`,
    });
  }
  input.labels.forEach((l, i) => {
    examples.push({
      text: l.text,
      label: l.label === 'proprietary' ? 1 : 0,
      source: 'label',
      group: `label:${i}`,
    });
  });
  const general = sample(
    input.generalNegatives ?? (await loadGeneralNegatives()),
    input.maxGeneralNegatives ?? DEFAULT_TRAINING.maxGeneralNegatives,
  );
  general.forEach((text, i) => {
    examples.push({ text, label: 0, source: 'general', group: `general:${i}` });
  });
  if (!input.generalNegatives) {
    // Developer and agent text is always included whole: agent-sized requests are public until shown otherwise.
    (await loadGeneralNegatives(DEVELOPER_TOOL_NEGATIVES_PATH)).forEach((text, i) => {
      examples.push({ text, label: 0, source: 'general', group: `developer-tool-negatives:${i}` });
    });
    // Professional text and request fragments join only a run with employee questions to set them against.
    // From documents alone, the head's positives are all document-shaped, and these question-shaped public
    // texts taught it that questions are public: on the boatyard fixture, held-out employee questions kept
    // local at 0.4 fell from 97% to 63% with them (docs/training.md).
    if (withQuestions(examples)) {
      requestFragments().forEach((text, i) => {
        examples.push({ text, label: 0, source: 'general', group: `request-fragment:${i}` });
      });
      (await loadGeneralNegatives(PROFESSIONAL_NEGATIVES_PATH)).forEach((text, i) => {
        examples.push({ text, label: 0, source: 'general', group: `professional-negatives:${i}` });
      });
    }
  }
  return examples;
}

function hashUnit(key: string, seed: number): number {
  return seededRandom(fnv1a(key, seed))();
}

/** The smallest held-out split worth setting a threshold on. */
export const MIN_HELD_OUT = { proprietary: 20, public: 10 };

/**
 * Which question-form examples are held out: drawn by a hash of the text (see TrainingExample.heldOutGroup), so
 * the split is the same on every run. Held out only when the split has at
 * least MIN_HELD_OUT of each class; otherwise nothing is held out and the threshold comes from cross-validation.
 */
export function heldOutSplit(examples: TrainingExample[], fraction: number, seed = 7): boolean[] {
  const held = examples.map(
    (e) => isQuestionForm(e) && fraction > 0 && hashUnit(e.heldOutGroup ?? e.text, seed) < fraction,
  );
  const count = (side: boolean, label: 0 | 1) =>
    examples.filter((e, i) => held[i] === side && e.label === label).length;
  // A threshold for 99% recall read off a handful of questions is one question's score: below these sizes
  // nothing is held out, everything trains, and the threshold comes from cross-validation.
  if (count(true, 1) < MIN_HELD_OUT.proprietary || count(true, 0) < MIN_HELD_OUT.public)
    return examples.map(() => false);
  if (count(false, 0) === 0 || count(false, 1) === 0) return examples.map(() => false);
  return held;
}

/** A training sample: the text (for its words) and its embedding. */
interface Sample {
  text: string;
  vector: ArrayLike<number>;
}

/**
 * The head's scorer: class- and source-weighted logistic regression over embeddings, blended with nearest
 * neighbours and with a word model fitted on the same examples and weights.
 */
function fitHead(
  samples: Sample[],
  y: number[],
  weights: number[],
  options: {
    logistic: Partial<LogisticOptions>;
    neighbours: NeighbourOptions | false;
    lexical: Partial<LexicalOptions> | false;
  },
) {
  const x = samples.map((s) => s.vector);
  const model = fitLogistic(x, y, options.logistic, weights);
  const dimension = x[0]!.length;
  const neighbours = options.neighbours
    ? {
        ...options.neighbours,
        positives: x.filter((_, i) => y[i] === 1),
        negatives: x.filter((_, i) => y[i] === 0),
      }
    : undefined;
  const lexical = options.lexical
    ? fitLexical(
        samples.map((s) => s.text),
        y,
        weights,
        options.lexical,
      )
    : undefined;
  const scorer = blendedScorer({
    weights: model.weights,
    bias: model.bias,
    neighbours: neighbours && {
      ...neighbours,
      positives: vectorSet(neighbours.positives, dimension),
      negatives: vectorSet(neighbours.negatives, dimension),
    },
    lexical,
  });
  return { model, neighbours, lexical, scorer };
}

/**
 * Builds a head: chunk, embed through the classifier, cross-validate by document, fit on everything but the
 * held-out questions, set the threshold on those, and return the head with its report (not yet saved).
 * Never calls an LLM.
 */
export async function trainHead(input: TrainingInput, options: TrainingOptions): Promise<TrainingResult> {
  const progress = options.onProgress ?? (() => {});
  const folds = options.folds ?? DEFAULT_TRAINING.folds;
  const targetRecall = options.targetRecall ?? DEFAULT_TRAINING.targetRecall;
  progress('chunking', 0, 1);
  const all = await buildExamples(input, options.chunking);
  if (!all.some((e) => e.label === 1))
    throw new Error('nothing proprietary to learn from: upload documents or label proprietary texts');
  const held = heldOutSplit(all, options.heldOutFraction ?? DEFAULT_TRAINING.heldOutFraction);
  const train = all.filter((_, i) => !held[i]);
  const heldOut = all.filter((_, i) => held[i]);

  // Each distinct text is embedded once (a label may repeat a generated question, a chunk may repeat).
  const distinct = [...new Set(all.map((e) => e.text))];
  progress('embedding', 0, distinct.length);
  const embedded: EmbedResult = await embedViaClassifier(distinct, {
    classifierUrl: options.classifierUrl,
    fetch: options.fetch,
    onProgress: (done, total) => progress('embedding', done, total),
  });
  const vectorOf = new Map(distinct.map((t, i) => [t, embedded.embeddings[i]!] as const));
  const samples: Sample[] = train.map((e) => ({ text: e.text, vector: vectorOf.get(e.text)! }));
  const y = train.map((e) => e.label);
  const weights = exampleWeights(train, options.sourceWeights);
  // The neighbour blend and the lighter penalty pay off when there are question-form examples to be neighbours
  // of prompts (measured on the evaluation set); from documents and a few labels alone, the plain logistic head
  // with the library's penalty did better on held-out questions (docs/training.md).
  // Decided on all examples, as buildExamples decided which negatives to add, so the two always agree.
  const questions = withQuestions(all);
  const scorerOptions = {
    logistic: { ...(questions ? DEFAULT_TRAINING.logistic : {}), ...options.logistic },
    neighbours:
      options.neighbours === false || (!questions && options.neighbours === undefined)
        ? (false as const)
        : { ...DEFAULT_NEIGHBOURS, ...options.neighbours },
    // From documents alone the word model learned document words, not question words, and pulled employee
    // questions below the threshold (boatyard fixture: 97% kept local at 0.4 without it, 80% with it).
    lexical:
      options.lexical === false || (!questions && options.lexical === undefined)
        ? (false as const)
        : { ...options.lexical },
  };
  const fit: FitFn<Sample> = (fx, fy, fw) => {
    const { scorer } = fitHead(fx, fy, fw, scorerOptions);
    return (s) => scorer.scoreText(s.text, [s.vector]);
  };

  progress('cross-validating', 0, folds);
  const cv = crossValidate(samples, y, {
    folds,
    targetRecall,
    groups: train.map((e) => e.group),
    weights,
    fit,
    onFold: (fold) => progress('cross-validating', fold + 1, folds),
  });

  progress('fitting', 0, 1);
  const { model, neighbours, lexical } = fitHead(samples, y, weights, scorerOptions);
  const storedNeighbours = neighbours && {
    k: neighbours.k,
    weight: neighbours.weight,
    positives: encodeVectors(neighbours.positives, embedded.dimension),
    negatives: encodeVectors(neighbours.negatives, embedded.dimension),
  };
  const storedLexical = lexical && encodeLexical(lexical);
  // Held-out questions are scored by the head exactly as the classifier will load it (int8 neighbours,
  // float32 word weights).
  const served = headScorer({
    weights: Array.from(model.weights),
    bias: model.bias,
    dimension: embedded.dimension,
    neighbours: storedNeighbours,
    lexical: storedLexical,
  });

  progress('evaluating', 0, 1);
  let heldOutResult: HeldOutResult | null = null;
  if (heldOut.length > 0) {
    const scores = heldOut.map((e) => served.scoreText(e.text, [vectorOf.get(e.text)!]));
    const labels = heldOut.map((e) => e.label);
    const at = thresholdForRecall(scores, labels, targetRecall);
    heldOutResult = {
      positives: labels.filter((l) => l === 1).length,
      negatives: labels.filter((l) => l === 0).length,
      threshold: at.threshold,
      recall: at.recall,
      precision: at.precision,
      falsePositiveRate: at.falsePositiveRate,
      rocAuc: rocAuc(scores, labels),
      examples: heldOut.map((e, i) => ({
        text: e.text,
        label: e.label,
        source: e.source,
        score: scores[i]!,
      })),
    };
  }
  const evaluated = heldOutResult
    ? {
        scores: heldOutResult.examples.map((e) => e.score),
        labels: heldOutResult.examples.map((e) => e.label),
      }
    : { scores: cv.scores, labels: y };
  const threshold = heldOutResult?.threshold ?? cv.threshold;
  const report: TrainingReport = {
    thresholdFrom: heldOutResult ? 'held-out' : 'cross-validation',
    heldOut: heldOutResult,
    crossValidation: cv,
    histogram: scoreHistogram(evaluated.scores, evaluated.labels),
    curves: curves(evaluated.scores, evaluated.labels),
  };

  const now = options.now ?? new Date();
  const bySource = countBySource(train);
  const counts = {
    documentChunks: bySource['document:proprietary'] ?? 0,
    publicChunks: bySource['public-document:public'] ?? 0,
    generatedProprietary: bySource['generated:proprietary'] ?? 0,
    generatedPublic: bySource['generated:public'] ?? 0,
    proprietaryLabels: bySource['label:proprietary'] ?? 0,
    publicLabels: bySource['label:public'] ?? 0,
    general: bySource['general:public'] ?? 0,
    heldOut: heldOut.length,
  };
  const positives = y.filter((v) => v === 1).length;
  const head: Head = {
    v: 1,
    version: options.version ?? headVersionFor(now),
    createdAt: now.toISOString(),
    modelId: embedded.modelId,
    dimension: embedded.dimension,
    weights: Array.from(model.weights),
    bias: model.bias,
    suggestedThreshold: threshold,
    ...(storedNeighbours ? { neighbours: storedNeighbours } : {}),
    ...(storedLexical ? { lexical: storedLexical } : {}),
    metrics: {
      targetRecall,
      thresholdFrom: report.thresholdFrom,
      heldOutRecall: heldOutResult?.recall ?? null,
      heldOutFalsePositiveRate: heldOutResult?.falsePositiveRate ?? null,
      heldOutPrecision: heldOutResult?.precision ?? null,
      heldOutRocAuc: heldOutResult?.rocAuc ?? null,
      heldOutPositives: heldOutResult?.positives ?? null,
      heldOutNegatives: heldOutResult?.negatives ?? null,
      folds: cv.folds,
      cvPrecision: cv.precision,
      cvRecall: cv.recall,
      cvRocAuc: cv.rocAuc,
      cvFalsePositiveRate: cv.falsePositiveRate,
      cvThreshold: cv.threshold,
      positives,
      negatives: y.length - positives,
      ...counts,
      trainingLoss: model.loss,
      iterations: model.iterations,
      neighbourK: storedNeighbours?.k ?? null,
      neighbourWeight: storedNeighbours?.weight ?? null,
      lexicalWeight: storedLexical?.weight ?? null,
      lexicalTerms: storedLexical?.count ?? null,
    },
  };
  progress('done', 1, 1);
  return { head, crossValidation: cv, report, counts };
}

/** Training input from what the store holds: documents (proprietary and public), labels, generated questions. */
export async function trainingInputFromStore(store: Store): Promise<TrainingInput> {
  const metas = await store.documents.list();
  const documents = await Promise.all(
    metas.map(async (m): Promise<TrainingDocument> => {
      // HTML is re-read from the original so its tables become sentences row by row.
      const text =
        m.mediaType === 'text/html'
          ? new TextDecoder().decode(await store.documents.original(m.id))
          : await store.documents.text(m.id);
      return { name: m.name, text, format: m.mediaType, public: m.public === true };
    }),
  );
  return {
    documents,
    labels: await store.labels.list(),
    generated: await store.generatedQuestions.list(),
  };
}

/** Training from what the store holds, plus the shipped general set. */
export async function trainFromStore(
  store: Store,
  options: TrainingOptions & { maxGeneralNegatives?: number },
): Promise<TrainingResult> {
  const input = await trainingInputFromStore(store);
  return trainHead({ ...input, maxGeneralNegatives: options.maxGeneralNegatives }, options);
}

/** Writes the head through the store (versions are immutable); promoting it is a separate, deliberate step. */
export async function saveHead(store: Store, head: Head): Promise<void> {
  await store.heads.save(head);
}
