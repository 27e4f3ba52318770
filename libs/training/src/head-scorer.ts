/**
 * The head's scorer: logistic regression over the embedding, blended with nearest-neighbour evidence and with
 * the text's words (lexical.ts). The logistic part knows the field's broad shape; the neighbour part knows the
 * organisation's specific examples, so a same-field public question that is close to public examples and far
 * from every proprietary one is pulled down, and a paraphrase close to a generated employee question is pulled
 * up; the words know the organisation's names and phrasings. Measured on the team's evaluation sets
 * (docs/training.md).
 *
 * One implementation, used by training (cross-validation, held-out split), the console's replay and the
 * classifier service, so a score means the same everywhere.
 */
import type { Head } from '@split-brain/store';
import { decodeLexical, type LexicalModel, lexicalLogit } from './lexical.ts';
import { sigmoid } from './logistic.ts';

export interface NeighbourOptions {
  k: number;
  /** How much one unit of similarity margin moves the logit. */
  weight: number;
}

/** Weight 20 rather than 10 lowered same-field false positives on both evaluation sets (docs/training.md). */
export const DEFAULT_NEIGHBOURS: NeighbourOptions = { k: 3, weight: 20 };

/** A set of unit vectors stored row-major as float32 for dot products. */
export interface VectorSet {
  count: number;
  dimension: number;
  data: Float32Array;
}

export function vectorSet(vectors: ArrayLike<number>[], dimension: number): VectorSet {
  const data = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => {
    for (let d = 0; d < dimension; d++) data[i * dimension + d] = v[d]!;
  });
  return { count: vectors.length, dimension, data };
}

/**
 * Mean of the k largest dot products between `v` and the set's vectors. The query is read as a
 * Float64Array (copied into one unless it is one) and the dot product runs four lanes at a time: about three times faster in Bun than indexing a
 * number[] (cross-validation scores every example against every other, so this is most of training's time).
 */
export function meanTopSimilarity(set: VectorSet, v: ArrayLike<number>, k: number): number {
  const top = new Float64Array(Math.min(k, set.count)).fill(-Infinity);
  const dim = set.dimension;
  const data = set.data;
  const q = v instanceof Float64Array ? v : Float64Array.from({ length: dim }, (_, d) => v[d]!);
  const lanes = dim - (dim % 4);
  for (let i = 0; i < set.count; i++) {
    const base = i * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < lanes; d += 4) {
      s0 += data[base + d]! * q[d]!;
      s1 += data[base + d + 1]! * q[d + 1]!;
      s2 += data[base + d + 2]! * q[d + 2]!;
      s3 += data[base + d + 3]! * q[d + 3]!;
    }
    for (let d = lanes; d < dim; d++) s0 += data[base + d]! * q[d]!;
    const s = s0 + s1 + s2 + s3;
    if (s > top[top.length - 1]!) {
      let j = top.length - 1;
      while (j > 0 && top[j - 1]! < s) {
        top[j] = top[j - 1]!;
        j--;
      }
      top[j] = s;
    }
  }
  if (top.length === 0) return 0;
  let sum = 0;
  for (const t of top) sum += t;
  return sum / top.length;
}

export interface HeadScorer {
  /**
   * The probability that a text is proprietary, from its model windows' embeddings (the most proprietary
   * window counts) and its words.
   */
  scoreText(text: string, windows: ArrayLike<number>[]): number;
}

export function blendedScorer(input: {
  weights: ArrayLike<number>;
  bias: number;
  neighbours?: { k: number; weight: number; positives: VectorSet; negatives: VectorSet };
  lexical?: LexicalModel;
}): HeadScorer {
  const { weights, bias, neighbours, lexical } = input;
  const windowLogit = (v: ArrayLike<number>) => {
    let z = bias;
    for (let d = 0; d < v.length; d++) z += weights[d]! * v[d]!;
    if (neighbours && neighbours.weight > 0) {
      // Copied once for both searches (meanTopSimilarity reads a Float64Array as it is).
      const q = Float64Array.from(v);
      z +=
        neighbours.weight *
        (meanTopSimilarity(neighbours.positives, q, neighbours.k) -
          meanTopSimilarity(neighbours.negatives, q, neighbours.k));
    }
    return z;
  };
  return {
    scoreText(text, windows) {
      if (windows.length === 0) throw new Error('a text needs at least one embedded window to be scored');
      let z = -Infinity;
      for (const v of windows) z = Math.max(z, windowLogit(v));
      if (lexical && lexical.weight > 0) z += lexical.weight * lexicalLogit(lexical, text);
      return sigmoid(z);
    },
  };
}

type StoredSet = NonNullable<Head['neighbours']>['positives'];

/** int8 per component with a scale per row: a quarter of float32's size, similarity error about 1e-3. */
export function encodeVectors(vectors: ArrayLike<number>[], dimension: number): StoredSet {
  const bytes = new Int8Array(vectors.length * dimension);
  const scales = vectors.map((v, i) => {
    let max = 0;
    for (let d = 0; d < dimension; d++) max = Math.max(max, Math.abs(v[d]!));
    const scale = max === 0 ? 1 : max / 127;
    for (let d = 0; d < dimension; d++) bytes[i * dimension + d] = Math.round(v[d]! / scale);
    return Number(scale.toPrecision(7));
  });
  return { count: vectors.length, scales, data: Buffer.from(bytes.buffer).toString('base64') };
}

export function decodeVectors(stored: StoredSet, dimension: number): VectorSet {
  const raw = Buffer.from(stored.data, 'base64');
  if (raw.byteLength !== stored.count * dimension) {
    throw new Error(
      `neighbour set holds ${raw.byteLength} bytes; ${stored.count} vectors of ${dimension} need ${stored.count * dimension}`,
    );
  }
  const bytes = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < stored.count; i++) {
    const scale = stored.scales[i]!;
    for (let d = 0; d < dimension; d++) data[i * dimension + d] = bytes[i * dimension + d]! * scale;
  }
  return { count: stored.count, dimension, data };
}

/** The scorer a stored head describes. Throws when its neighbour sets or word model do not fit. */
export function headScorer(
  head: Pick<Head, 'weights' | 'bias' | 'dimension' | 'neighbours' | 'lexical'>,
): HeadScorer {
  const n = head.neighbours;
  return blendedScorer({
    lexical: head.lexical && decodeLexical(head.lexical),
    weights: Float32Array.from(head.weights),
    bias: head.bias,
    neighbours: n && {
      k: n.k,
      weight: n.weight,
      positives: decodeVectors(n.positives, head.dimension),
      negatives: decodeVectors(n.negatives, head.dimension),
    },
  });
}
