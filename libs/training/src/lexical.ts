/**
 * The head's word evidence: logistic regression over the words and word pairs of a text (hashed, so the
 * vocabulary needs no list). Sentence embeddings know what a text is about, which is the field; the words
 * know what it names: the organisation's products, systems, places, figures and phrasings that appear in its
 * documents and employee questions and nowhere in public text. Blended into the head's logit, it took false
 * positives at 99% recall from about 5-6% to under 1% on both of the team's evaluation sets
 * (docs/training.md).
 *
 * Text goes through the keyword normaliser first (@split-brain/keywords), so look-alike letters, zero-width
 * characters and case do not hide a word from it.
 */
import { normalizeForMatching } from '@split-brain/keywords';
import type { Head } from '@split-brain/store';
import { fnv1a } from './hash.ts';
import { sigmoid } from './logistic.ts';

export interface LexicalOptions {
  /** L2 penalty per unit of total sample weight: small, because the word pairs that matter are rare. */
  l2: number;
  iterations: number;
  learningRate: number;
  /** log2 of the number of hash buckets. */
  bits: number;
  /** How much one unit of word logit moves the head's logit. */
  weight: number;
  /**
   * Texts with fewer words and pairs than this count as having this many: a model name, a tool id or a
   * two-word fragment carries too few words to be judged by them (their embedding still is).
   */
  minTerms: number;
}

/** Chosen on both evaluation sets (bench/classifier-eval); see docs/training.md. */
export const DEFAULT_LEXICAL: LexicalOptions = {
  l2: 1e-5,
  iterations: 300,
  learningRate: 0.05,
  bits: 18,
  weight: 1,
  minTerms: 16,
};

/** A fitted word model: only the buckets training touched carry a weight. */
export interface LexicalModel {
  bits: number;
  bias: number;
  weight: number;
  minTerms: number;
  weights: Map<number, number>;
}

function bucket(term: string, bits: number): number {
  return fnv1a(term) & ((1 << bits) - 1);
}

/** The distinct buckets of a text's words and adjacent word pairs. */
export function lexicalFeatures(text: string, bits = DEFAULT_LEXICAL.bits): Uint32Array {
  const words = normalizeForMatching(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  const buckets = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    buckets.add(bucket(words[i]!, bits));
    if (i > 0) buckets.add(bucket(`${words[i - 1]} ${words[i]}`, bits));
  }
  return Uint32Array.from(buckets);
}

/**
 * The word logit of a text, before `weight`. Each present bucket counts 1/sqrt(n), so a long text is not
 * proprietary merely for having many words; n is at least `minTerms`.
 */
export function lexicalLogit(
  model: Pick<LexicalModel, 'bits' | 'bias' | 'weights' | 'minTerms'>,
  text: string,
): number {
  const features = lexicalFeatures(text, model.bits);
  let sum = 0;
  for (const f of features) sum += model.weights.get(f) ?? 0;
  return model.bias + sum / Math.sqrt(Math.max(features.length, model.minTerms, 1));
}

/** Weighted logistic regression over the hashed words, full-batch Adam (the problem is sparse and convex). */
export function fitLexical(
  texts: string[],
  y: number[],
  sampleWeights: number[],
  options: Partial<LexicalOptions> = {},
): LexicalModel {
  const o = { ...DEFAULT_LEXICAL, ...options };
  if (texts.length !== y.length || texts.length !== sampleWeights.length)
    throw new Error('need one label and one weight per text');
  const features = texts.map((t) => lexicalFeatures(t, o.bits));
  // Buckets used by the training texts, numbered densely so the optimiser's arrays stay small.
  const slot = new Map<number, number>();
  for (const f of features) for (const b of f) if (!slot.has(b)) slot.set(b, slot.size);
  // Every text's slots in one flat array (row i is offsets[i]..offsets[i+1]): plain indexed loops over typed
  // arrays are several times faster in Bun than iterating one small array per text.
  const offsets = new Uint32Array(features.length + 1);
  features.forEach((f, i) => {
    offsets[i + 1] = offsets[i]! + f.length;
  });
  const slots = new Uint32Array(offsets[features.length]!);
  features.forEach((f, i) => {
    for (let j = 0; j < f.length; j++) slots[offsets[i]! + j] = slot.get(f[j]!)!;
  });
  const scale = Float64Array.from(features, (f) => 1 / Math.sqrt(Math.max(f.length, o.minTerms, 1)));
  const total = sampleWeights.reduce((a, b) => a + b, 0) || 1;
  const n = slot.size;
  const w = new Float64Array(n);
  const g = new Float64Array(n);
  const m = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  let bias = 0;
  for (let t = 1; t <= o.iterations; t++) {
    g.fill(0);
    let gBias = 0;
    for (let i = 0; i < features.length; i++) {
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      let sum = 0;
      for (let j = from; j < to; j++) sum += w[slots[j]!]!;
      const z = bias + sum * scale[i]!;
      const d = ((sigmoid(z) - y[i]!) * sampleWeights[i]!) / total;
      gBias += d;
      const gi = d * scale[i]!;
      for (let j = from; j < to; j++) g[slots[j]!]! += gi;
    }
    const c1 = 1 - 0.9 ** t;
    const c2 = 1 - 0.999 ** t;
    const rate = o.learningRate / c1;
    for (let j = 0; j < n; j++) {
      const grad = g[j]! + o.l2 * w[j]!;
      m[j] = 0.9 * m[j]! + 0.1 * grad;
      v[j] = 0.999 * v[j]! + 0.001 * grad * grad;
      w[j]! -= (rate * m[j]!) / (Math.sqrt(v[j]! / c2) + 1e-8);
    }
    m[n] = 0.9 * m[n]! + 0.1 * gBias;
    v[n] = 0.999 * v[n]! + 0.001 * gBias * gBias;
    bias -= (rate * m[n]!) / (Math.sqrt(v[n]! / c2) + 1e-8);
  }
  const weights = new Map<number, number>();
  for (const [b, j] of slot) weights.set(b, w[j]!);
  return { bits: o.bits, bias, weight: o.weight, minTerms: o.minTerms, weights };
}

type StoredLexical = NonNullable<Head['lexical']>;

/** Buckets as uint32 and weights as float32, little-endian, base64: about 11 bytes per word or pair. */
export function encodeLexical(model: LexicalModel): StoredLexical {
  const entries = [...model.weights].sort((a, b) => a[0] - b[0]);
  const buckets = Uint32Array.from(entries, (e) => e[0]);
  const weights = Float32Array.from(entries, (e) => e[1]);
  return {
    bits: model.bits,
    bias: model.bias,
    weight: model.weight,
    minTerms: model.minTerms,
    count: entries.length,
    buckets: Buffer.from(buckets.buffer).toString('base64'),
    weights: Buffer.from(weights.buffer).toString('base64'),
  };
}

export function decodeLexical(stored: StoredLexical): LexicalModel {
  const buckets = Buffer.from(stored.buckets, 'base64');
  const weights = Buffer.from(stored.weights, 'base64');
  if (buckets.byteLength !== stored.count * 4 || weights.byteLength !== stored.count * 4)
    throw new Error(
      `word model holds ${buckets.byteLength} bucket and ${weights.byteLength} weight bytes; ${stored.count} entries need ${stored.count * 4} each`,
    );
  // Copies: Buffer slices of a pooled allocation need not be 4-byte aligned.
  const b = new Uint32Array(new Uint8Array(buckets).buffer);
  const w = new Float32Array(new Uint8Array(weights).buffer);
  const map = new Map<number, number>();
  for (let i = 0; i < stored.count; i++) {
    if (b[i]! >= 2 ** stored.bits) throw new Error(`word bucket ${b[i]} is outside ${stored.bits} bits`);
    if (!Number.isFinite(w[i]!)) throw new Error('a word weight is not a finite number');
    map.set(b[i]!, w[i]!);
  }
  return {
    bits: stored.bits,
    bias: stored.bias,
    weight: stored.weight,
    minTerms: stored.minTerms,
    weights: map,
  };
}
