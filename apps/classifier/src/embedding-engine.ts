import { type BatcherOptions, type ModelTiming, WindowBatcher } from './batcher.ts';
import { MINILM_WINDOW_TOKENS, type Embedder } from './embedder.ts';
import { splitIntoWindows } from './windows.ts';

/** Overlap between consecutive windows of a long text, in word pieces. */
export const WINDOW_OVERLAP_TOKENS = 32;

export interface TextEmbeddings {
  /** One normalised embedding per window of the text (one window for texts up to 254 word pieces). */
  windows: Float32Array[];
  tokens: number;
}

/** Texts in, window embeddings out: tokenises, splits long texts, and batches with concurrent callers. */
export class EmbeddingEngine {
  readonly batcher: WindowBatcher;

  constructor(
    readonly embedder: Embedder,
    batching: BatcherOptions,
    private readonly windowTokens = MINILM_WINDOW_TOKENS,
  ) {
    this.batcher = new WindowBatcher((windows) => embedder.embedWindows(windows), batching);
  }

  get modelId(): string {
    return this.embedder.modelId;
  }

  get dimension(): number {
    return this.embedder.dimension;
  }

  async embedTexts(texts: string[], timing?: ModelTiming): Promise<TextEmbeddings[]> {
    const tokenized = texts.map((text) => this.embedder.tokenize(text));
    const perText = tokenized.map((ids) => splitIntoWindows(ids, this.windowTokens, WINDOW_OVERLAP_TOKENS));
    const vectors = await this.batcher.embed(perText.flat(), timing);
    let next = 0;
    return perText.map((windows, i) => {
      const own = vectors.slice(next, next + windows.length);
      next += windows.length;
      return { windows: own, tokens: tokenized[i]!.length };
    });
  }
}

/** A single vector for a text: its only window, or the normalised mean of its windows for long texts. */
export function textVector(embeddings: TextEmbeddings): Float32Array {
  const [first, ...rest] = embeddings.windows;
  if (first === undefined) throw new Error('a text always has at least one window');
  if (rest.length === 0) return first;
  const sum = new Float64Array(first.length);
  for (const w of embeddings.windows) for (let d = 0; d < w.length; d++) sum[d]! += w[d]!;
  const norm = Math.sqrt(sum.reduce((s, v) => s + v * v, 0)) || 1;
  return Float32Array.from(sum, (v) => v / norm);
}
