import type { Head, Label, Store } from '@split-brain/store';
import { chunkDocument, type ChunkOptions } from './chunking.ts';
import { type CrossValidationResult, crossValidate } from './cross-validation.ts';
import { type EmbedResult, embedViaClassifier } from './embed-client.ts';
import { DEVELOPER_TOOL_NEGATIVES_PATH, loadGeneralNegatives } from './general-negatives.ts';
import { fitLogistic, type LogisticOptions } from './logistic.ts';

export interface TrainingExample {
  text: string;
  label: 0 | 1;
  source: 'document' | 'label' | 'general';
}

export interface TrainingInput {
  /** Proprietary documents' extracted text: every chunk is a positive. */
  documents: { name: string; text: string }[];
  /** Curated labels: proprietary ones are positives, public ones negatives. */
  labels: Pick<Label, 'text' | 'label'>[];
  /** Ordinary text (the shipped general set unless given). */
  generalNegatives?: string[];
  /** Use at most this many general negatives (a seeded sample), to bound embedding time. */
  maxGeneralNegatives?: number;
}

export type TrainingStage = 'chunking' | 'embedding' | 'cross-validating' | 'fitting' | 'done';

export interface TrainingOptions {
  classifierUrl: string;
  targetRecall?: number;
  folds?: number;
  logistic?: Partial<LogisticOptions>;
  chunking?: Partial<ChunkOptions>;
  /** Injected so tests and the UI can name versions; default h<UTC time>-<random>. */
  version?: string;
  now?: Date;
  fetch?: typeof fetch;
  onProgress?: (stage: TrainingStage, done: number, total: number) => void;
}

export interface TrainingResult {
  head: Head;
  crossValidation: CrossValidationResult;
  counts: { documentChunks: number; proprietaryLabels: number; publicLabels: number; general: number };
}

export function headVersionFor(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `h${stamp}-${crypto.randomUUID().slice(0, 6)}`;
}

/** Deterministic sample without replacement (every k-th after a seeded rotation keeps the mix of templates). */
function sample<T>(items: T[], max: number | undefined): T[] {
  if (max === undefined || items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]!);
}

export async function buildExamples(
  input: TrainingInput,
  chunking?: Partial<ChunkOptions>,
): Promise<TrainingExample[]> {
  const examples: TrainingExample[] = [];
  for (const doc of input.documents) {
    for (const chunk of chunkDocument(doc.text, chunking))
      examples.push({ text: chunk, label: 1, source: 'document' });
  }
  for (const l of input.labels) {
    examples.push({ text: l.text, label: l.label === 'proprietary' ? 1 : 0, source: 'label' });
  }
  const general = sample(input.generalNegatives ?? (await loadGeneralNegatives()), input.maxGeneralNegatives);
  for (const text of general) examples.push({ text, label: 0, source: 'general' });
  if (!input.generalNegatives) {
    for (const text of await loadGeneralNegatives(DEVELOPER_TOOL_NEGATIVES_PATH))
      examples.push({ text, label: 0, source: 'general' });
  }
  return examples;
}

/**
 * Builds a head: chunk, embed through the classifier, cross-validate, fit on everything, and return the
 * head with its metrics (not yet saved). Never calls an LLM.
 */
export async function trainHead(input: TrainingInput, options: TrainingOptions): Promise<TrainingResult> {
  const progress = options.onProgress ?? (() => {});
  const folds = options.folds ?? 5;
  const targetRecall = options.targetRecall ?? 0.95;
  progress('chunking', 0, 1);
  const examples = await buildExamples(input, options.chunking);
  const y = examples.map((e) => e.label);
  const positives = y.filter((v) => v === 1).length;
  if (positives === 0)
    throw new Error('nothing proprietary to learn from: upload documents or label proprietary texts');
  progress('embedding', 0, examples.length);
  const embedded: EmbedResult = await embedViaClassifier(
    examples.map((e) => e.text),
    {
      classifierUrl: options.classifierUrl,
      fetch: options.fetch,
      onProgress: (done, total) => progress('embedding', done, total),
    },
  );
  progress('cross-validating', 0, folds);
  const cv = crossValidate(embedded.embeddings, y, {
    folds,
    targetRecall,
    logistic: options.logistic,
    onFold: (fold) => progress('cross-validating', fold + 1, folds),
  });
  progress('fitting', 0, 1);
  const model = fitLogistic(embedded.embeddings, y, options.logistic);
  const now = options.now ?? new Date();
  const counts = {
    documentChunks: examples.filter((e) => e.source === 'document').length,
    proprietaryLabels: examples.filter((e) => e.source === 'label' && e.label === 1).length,
    publicLabels: examples.filter((e) => e.source === 'label' && e.label === 0).length,
    general: examples.filter((e) => e.source === 'general').length,
  };
  const head: Head = {
    v: 1,
    version: options.version ?? headVersionFor(now),
    createdAt: now.toISOString(),
    modelId: embedded.modelId,
    dimension: embedded.dimension,
    weights: Array.from(model.weights),
    bias: model.bias,
    suggestedThreshold: cv.threshold,
    metrics: {
      folds,
      targetRecall,
      cvPrecision: cv.precision,
      cvRecall: cv.recall,
      cvRocAuc: cv.rocAuc,
      cvFalsePositiveRate: cv.falsePositiveRate,
      cvPrecisionAtHalf: cv.precisionAtHalf,
      cvRecallAtHalf: cv.recallAtHalf,
      positives,
      negatives: y.length - positives,
      ...counts,
      trainingLoss: model.loss,
      iterations: model.iterations,
    },
  };
  progress('done', 1, 1);
  return { head, crossValidation: cv, counts };
}

/** Training from what the store holds: its documents and labels, plus the shipped general set. */
export async function trainFromStore(
  store: Store,
  options: TrainingOptions & { maxGeneralNegatives?: number },
): Promise<TrainingResult> {
  const metas = await store.documents.list();
  const documents = await Promise.all(
    metas.map(async (m) => ({ name: m.name, text: await store.documents.text(m.id) })),
  );
  const labels = await store.labels.list();
  return trainHead({ documents, labels, maxGeneralNegatives: options.maxGeneralNegatives }, options);
}

/** Writes the head through the store (versions are immutable); promoting it is a separate, deliberate step. */
export async function saveHead(store: Store, head: Head): Promise<void> {
  await store.heads.save(head);
}
