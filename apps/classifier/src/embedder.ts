import { AutoModel, AutoTokenizer, env, type PreTrainedModel, Tensor } from '@huggingface/transformers';

/** The sentence-embedding model: tokenizer plus ONNX encoder, mean pooling and L2 normalisation. */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  /** Word-piece ids of a text, without the [CLS]/[SEP] markers. */
  tokenize(text: string): number[];
  /** One normalised embedding per window; each window is a list of word-piece ids without markers. */
  embedWindows(windows: number[][]): Promise<Float32Array[]>;
  /** Feeds for the raw ONNX Runtime session, and the session itself (for the benchmark's baseline). */
  rawFeeds(windows: number[][]): Record<string, unknown>;
  readonly session: { run(feeds: Record<string, unknown>): Promise<Record<string, unknown>> };
  dispose(): Promise<void>;
}

export const MINILM_MODEL_ID = 'sentence-transformers/all-MiniLM-L6-v2';
/**
 * Model precisions in the folder: `fp32` is onnx/model.onnx, `q8` onnx/model_quantized.onnx (int8 weights,
 * activation scales fixed at build time; about 2x faster here, cosine >= 0.98 to fp32, see docs/classifier.md).
 */
export const MODEL_DTYPES = ['q8', 'fp32'] as const;
export type ModelDtype = (typeof MODEL_DTYPES)[number];
export const MODEL_FILES: Record<ModelDtype, string> = {
  fp32: 'onnx/model.onnx',
  q8: 'onnx/model_quantized.onnx',
};

export interface LoadOptions {
  dtype?: ModelDtype;
  /** ONNX Runtime intra-op threads; 0 lets it take one per core it sees (not the container's CPU limit). */
  threads?: number;
}
export const MINILM_DIMENSION = 384;
/** all-MiniLM-L6-v2 was trained on 256 word pieces (sentence_bert_config.json); [CLS] and [SEP] take two. */
export const MINILM_WINDOW_TOKENS = 254;

const CLS_ID = 101n;
const SEP_ID = 102n;

/**
 * Loads the model from a local folder in the transformers.js layout (config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model.onnx and onnx/model_quantized.onnx). Remote downloads are switched off:
 * a missing file is an error.
 */
export async function loadMiniLm(modelDir: string, options: LoadOptions = {}): Promise<Embedder> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  const tokenizer = await AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
  const model: PreTrainedModel = await AutoModel.from_pretrained(modelDir, {
    local_files_only: true,
    dtype: options.dtype ?? 'q8',
    device: 'cpu',
    session_options: {
      intraOpNumThreads: options.threads ?? 0,
      // One model call at a time (the batcher serialises them), so no inter-op pool.
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    },
  });
  const session = model.sessions.model as Embedder['session'];

  function feeds(windows: number[][]): Record<string, Tensor> {
    const batch = windows.length;
    const length = Math.max(...windows.map((w) => w.length)) + 2;
    const ids = new BigInt64Array(batch * length);
    const mask = new BigInt64Array(batch * length);
    windows.forEach((window, row) => {
      const base = row * length;
      ids[base] = CLS_ID;
      for (let i = 0; i < window.length; i++) ids[base + 1 + i] = BigInt(window[i]!);
      ids[base + window.length + 1] = SEP_ID;
      mask.fill(1n, base, base + window.length + 2);
    });
    return {
      input_ids: new Tensor('int64', ids, [batch, length]),
      attention_mask: new Tensor('int64', mask, [batch, length]),
      token_type_ids: new Tensor('int64', new BigInt64Array(batch * length), [batch, length]),
    };
  }

  return {
    modelId: MINILM_MODEL_ID,
    dimension: MINILM_DIMENSION,
    tokenize(text) {
      return tokenizer.encode(text, { add_special_tokens: false });
    },
    async embedWindows(windows) {
      if (windows.length === 0) return [];
      const inputs = feeds(windows);
      const output = (await model(inputs)) as { last_hidden_state: Tensor };
      const hidden = output.last_hidden_state.data as Float32Array;
      const [, length, dim] = output.last_hidden_state.dims as [number, number, number];
      return windows.map((window, row) =>
        meanPoolNormalised(hidden, row * length * dim, window.length + 2, dim),
      );
    },
    rawFeeds(windows) {
      return Object.fromEntries(
        Object.entries(feeds(windows)).map(([name, tensor]) => [name, tensor.ort_tensor]),
      );
    },
    session,
    async dispose() {
      await model.dispose();
    },
  };
}

/** Mean over the first `tokens` rows (the unpadded ones, markers included, as sentence-transformers does). */
function meanPoolNormalised(hidden: Float32Array, offset: number, tokens: number, dim: number): Float32Array {
  const sum = new Float64Array(dim);
  for (let t = 0; t < tokens; t++) {
    const row = offset + t * dim;
    for (let d = 0; d < dim; d++) sum[d]! += hidden[row + d]!;
  }
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += sum[d]! * sum[d]!;
  norm = Math.sqrt(norm) || 1;
  const out = new Float32Array(dim);
  for (let d = 0; d < dim; d++) out[d] = sum[d]! / norm;
  return out;
}
