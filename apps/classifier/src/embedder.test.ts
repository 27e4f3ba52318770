import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Embedder, loadMiniLm } from './embedder.ts';
import { EmbeddingEngine } from './embedding-engine.ts';
import { REPO_MODEL_DIR } from './start.ts';

interface Reference {
  text: string;
  input_ids: number[];
  embedding: number[];
}
// Computed by scripts/model/minilm_onnx.py `reference`: float64 numpy forward pass from the upstream
// safetensors, tokenised by the Rust tokenizers library (no code shared with the service).
const { references } = (await Bun.file(`${import.meta.dir}/fixtures/reference-embeddings.json`).json()) as {
  references: Reference[];
};

let embedder: Embedder;
let quantized: Embedder;
beforeAll(async () => {
  embedder = await loadMiniLm(REPO_MODEL_DIR, { dtype: 'fp32' });
  quantized = await loadMiniLm(REPO_MODEL_DIR, { dtype: 'q8' });
});
afterAll(async () => {
  await embedder.dispose();
  await quantized.dispose();
});

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('all-MiniLM-L6-v2 through transformers.js (fp32)', () => {
  test('tokenises known sentences exactly as the reference tokenizer', () => {
    for (const ref of references) {
      expect([101, ...embedder.tokenize(ref.text), 102]).toEqual(ref.input_ids);
    }
  });

  test('gives the reference embeddings to 1e-4, one at a time and padded in one batch', async () => {
    const single = await Promise.all(
      references.map((r) => embedder.embedWindows([embedder.tokenize(r.text)])),
    );
    const batched = await embedder.embedWindows(references.map((r) => embedder.tokenize(r.text)));
    references.forEach((ref, i) => {
      expect(single[i]![0]!.length).toBe(384);
      for (const vector of [single[i]![0]!, batched[i]!]) {
        const worst = Math.max(...ref.embedding.map((v, d) => Math.abs(v - vector[d]!)));
        expect(worst).toBeLessThan(1e-4);
      }
    });
  });

  test('matches the published value for "This is an example sentence"', async () => {
    // The first components sentence-transformers documents for this model and sentence.
    const [vector] = await embedder.embedWindows([embedder.tokenize('This is an example sentence')]);
    expect(Array.from(vector!.slice(0, 3)).map((v) => Number(v.toFixed(4)))).toEqual([
      0.0677, 0.0635, 0.0487,
    ]);
  });

  test('paraphrases are closer than unrelated sentences', async () => {
    const texts = [
      'How do I reset my password?',
      'What are the steps to change my login password?',
      'The recipe needs two cups of flour and an egg.',
      'A cat is sleeping on the warm windowsill.',
      'There is a kitten napping in the sun by the window.',
    ];
    const [a, b, c, d, e] = await embedder.embedWindows(texts.map((t) => embedder.tokenize(t)));
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!) + 0.3);
    expect(cosine(d!, e!)).toBeGreaterThan(cosine(d!, a!) + 0.3);
    expect(cosine(d!, e!)).toBeGreaterThan(cosine(b!, e!));
  });
});

describe('the int8 model (q8, the default)', () => {
  test('stays within a cosine of 0.98 of every reference embedding', async () => {
    const vectors = await quantized.embedWindows(references.map((r) => quantized.tokenize(r.text)));
    references.forEach((ref, i) => {
      expect(cosine(ref.embedding, vectors[i]!)).toBeGreaterThan(0.98);
    });
  });

  test('keeps paraphrases closer than unrelated sentences', async () => {
    const texts = [
      'How do I reset my password?',
      'What are the steps to change my login password?',
      'The recipe needs two cups of flour and an egg.',
    ];
    const [a, b, c] = await quantized.embedWindows(texts.map((t) => quantized.tokenize(t)));
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!) + 0.3);
  });

  test('gives a prompt the same embedding alone and in any batch (fixed activation scales)', async () => {
    // With per-call scales a batch's range set every row's rounding: a prompt's score then depended on
    // the traffic it happened to share a model call with.
    const prompt = quantized.tokenize('Summarise the quarterly revenue figures for the board.');
    const [alone] = await quantized.embedWindows([prompt]);
    const company = [
      'An extremely long and unusual sentence full of numbers 1234567 and symbols %$#@! to stretch ranges.',
      'hi',
      'Which programming language should I learn first?',
    ].map((t) => quantized.tokenize(t));
    const batched = await quantized.embedWindows([...company, prompt]);
    const worst = Math.max(...Array.from(alone!, (v, d) => Math.abs(v - batched[3]![d]!)));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('the embedding engine', () => {
  test('long texts are split into overlapping windows, each embedded', async () => {
    const engine = new EmbeddingEngine(embedder, { maxWaitMs: 1, maxBatchTokens: 8192 });
    const long = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} talks about the harbour.`).join(
      ' ',
    );
    const [result] = await engine.embedTexts([long]);
    expect(result!.tokens).toBeGreaterThan(600);
    expect(result!.windows.length).toBe(Math.ceil((result!.tokens - 32) / (254 - 32)));
    for (const w of result!.windows) expect(Math.abs(cosine(w, w) - 1)).toBeLessThan(1e-5);
  });

  test('concurrent callers share model calls', async () => {
    const engine = new EmbeddingEngine(quantized, { maxWaitMs: 0, maxBatchTokens: 8192 });
    const texts = Array.from({ length: 24 }, (_, i) => `Question ${i} about the weather tomorrow?`);
    const results = await Promise.all(texts.map((t) => engine.embedTexts([t])));
    expect(results).toHaveLength(24);
    expect(engine.batcher.stats.windows).toBe(24);
    expect(engine.batcher.stats.batches).toBeLessThan(24);
    // Batching must not change results.
    const [alone] = await engine.embedTexts([texts[7]!]);
    expect(Math.abs(cosine(alone!.windows[0]!, results[7]![0]!.windows[0]!) - 1)).toBeLessThan(1e-5);
  });

  test('timing: a caller behind a running batch is charged its wait, and each caller its own model time', async () => {
    const engine = new EmbeddingEngine(quantized, { maxWaitMs: 0, maxBatchTokens: 8192 });
    const long = Array.from({ length: 40 }, (_, i) => `Line ${i} of the harbour log.`).join(' ');
    const first = { queuedMs: 0, modelMs: 0 };
    const second = { queuedMs: 0, modelMs: 0 };
    const running = engine.embedTexts([long], first);
    // Queued after the first batch has started, so it waits for that batch to finish.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const started = performance.now();
    await Promise.all([running, engine.embedTexts(['a short question'], second)]);
    const elapsed = performance.now() - started;
    expect(first.modelMs).toBeGreaterThan(0);
    expect(second.modelMs).toBeGreaterThan(0);
    expect(second.queuedMs).toBeGreaterThan(0);
    // The second caller's queue and model time together are its whole wait, never more.
    expect(second.queuedMs + second.modelMs).toBeLessThanOrEqual(elapsed + 1);
    expect(engine.batcher.stats.batches).toBe(2);
  });
});
