import { describe, expect, test } from 'bun:test';
import { chunkDocument } from './chunking.ts';
import { crossValidate, stratifiedFolds } from './cross-validation.ts';
import { confusionAt, rocAuc, thresholdForRecall } from './evaluation.ts';
import {
  GENERAL_NEGATIVES_PATH,
  generateGeneralNegatives,
  loadGeneralNegatives,
} from './general-negatives.ts';
import { fitLogistic, predict } from './logistic.ts';

/** Two Gaussian blobs in 8-d, seeded, with `positives` of class 1. */
function blobs(n: number, positives: number, separation: number) {
  let s = 7;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i < positives ? 1 : 0;
    x.push(Array.from({ length: 8 }, (_, d) => gauss() + (d === 0 && label === 1 ? separation : 0)));
    y.push(label);
  }
  return { x, y };
}

describe('evaluation', () => {
  test('ROC-AUC is 1 for a perfect ranking, 0.5 for ties, and counts tie halves', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    expect(rocAuc([0.9, 0.3, 0.6, 0.1], [1, 1, 0, 0])).toBe(0.75);
  });

  test('the target-recall threshold is the highest that keeps that recall', () => {
    const scores = [0.95, 0.9, 0.7, 0.4, 0.8, 0.3, 0.2, 0.1];
    const labels = [1, 1, 1, 1, 0, 0, 0, 0];
    const at = thresholdForRecall(scores, labels, 0.75);
    expect(at.threshold).toBe(0.7);
    expect(at.recall).toBe(0.75);
    expect(at.precision).toBe(0.75);
    expect(confusionAt(scores, labels, 0.4)).toMatchObject({ recall: 1, precision: 0.8 });
  });
});

describe('logistic regression', () => {
  test('separates separable classes and balanced weighting lifts recall on a rare class', () => {
    const { x, y } = blobs(600, 30, 2.5);
    const balanced = fitLogistic(x, y, { classWeight: 'balanced' });
    const plain = fitLogistic(x, y, { classWeight: 'none' });
    const recall = (m: typeof plain) =>
      confusionAt(
        x.map((xi) => predict(m, xi)),
        y,
        0.5,
      ).recall;
    expect(recall(balanced)).toBeGreaterThan(recall(plain));
    expect(
      rocAuc(
        x.map((xi) => predict(balanced, xi)),
        y,
      ),
    ).toBeGreaterThan(0.95);
  });

  test('a stronger L2 penalty gives smaller weights', () => {
    const { x, y } = blobs(300, 100, 3);
    const norm = (m: { weights: Float64Array }) => Math.hypot(...m.weights);
    expect(norm(fitLogistic(x, y, { l2: 1 }))).toBeLessThan(norm(fitLogistic(x, y, { l2: 1e-4 })));
  });

  test('refuses a training set with one class', () => {
    expect(() => fitLogistic([[1], [2]], [0, 0])).toThrow('both positive and negative');
  });
});

describe('cross-validation', () => {
  test('stratified folds keep the class mix in every fold', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
    const folds = stratifiedFolds(y, 5);
    for (let f = 0; f < 5; f++) {
      expect(y.filter((v, i) => v === 1 && folds[i] === f)).toHaveLength(4);
      expect(folds.filter((g) => g === f)).toHaveLength(20);
    }
  });

  test('out-of-fold metrics are high on separable data and lower on overlapping data', () => {
    const easy = blobs(400, 80, 4);
    const hard = blobs(400, 80, 0.3);
    const a = crossValidate(easy.x, easy.y, { folds: 5, targetRecall: 0.95 });
    const b = crossValidate(hard.x, hard.y, { folds: 5, targetRecall: 0.95 });
    expect(a.recall).toBeGreaterThanOrEqual(0.95);
    expect(a.rocAuc).toBeGreaterThan(0.99);
    expect(b.rocAuc).toBeLessThan(a.rocAuc);
    expect(b.precision).toBeLessThan(a.precision);
  });
});

describe('chunking', () => {
  test('cuts between sentences, within the word budget, with one sentence of overlap', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence ${i} has exactly six words.`).join(' ');
    const chunks = chunkDocument(text, { maxWords: 20 });
    for (const c of chunks) expect(c.split(' ').length).toBeLessThanOrEqual(20);
    expect(chunks[0]!.endsWith('.')).toBe(true);
    const lastOfFirst = chunks[0]!.split('. ').at(-1)!;
    expect(chunks[1]!.startsWith(lastOfFirst.replace(/\.$/, ''))).toBe(true);
    expect(chunks.join(' ')).toContain('Sentence 29 has');
  });

  test('splits on blank lines and cuts over-long sentences into runs', () => {
    const chunks = chunkDocument(`# Title line here now\n\n${'word '.repeat(100)}`, { maxWords: 40 });
    expect(chunks[0]).toBe('# Title line here now');
    expect(chunks.slice(1).every((c) => c.split(' ').length <= 40)).toBe(true);
  });
});

describe('general negative set', () => {
  test('the shipped file is exactly what the generator makes: several thousand distinct prompts', async () => {
    const shipped = await loadGeneralNegatives(GENERAL_NEGATIVES_PATH);
    expect(shipped).toEqual(generateGeneralNegatives());
    expect(new Set(shipped).size).toBeGreaterThanOrEqual(5000);
    expect(GENERAL_NEGATIVES_PATH.endsWith('data/general-negatives.txt')).toBe(true);
  });
});
