import { z } from 'zod';
import { listenHost, optionalString, port, positiveInt } from './env-schema.ts';
import { type EnvSource, parseEnv } from './load.ts';

/** The classifier's environment (SPEC section 4). It never holds the Anthropic key. */
export const classifierEnvSchema = z.object({
  PORT: port(8080),
  HOST: listenHost,
  SPLIT_BRAIN_DATA_DIR: z.string().min(1).default('/var/split-brain'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  CLASSIFIER_MODEL_KIND: z.enum(['minilm', 'keywords']).default('minilm'),
  CLASSIFIER_MODEL_DIR: z.string().min(1).default('/models/all-MiniLM-L6-v2'),
  CLASSIFIER_KEYWORDS_PATH: optionalString,
  /** How often each replica checks the current-head pointer, so a promotion reaches every replica. */
  CLASSIFIER_HEAD_POLL_MS: positiveInt(2000),
  /** `q8`: int8 model (default, about twice as fast); `fp32`: the full-precision one. */
  CLASSIFIER_MODEL_DTYPE: z.enum(['q8', 'fp32']).default('q8'),
  /** ONNX Runtime threads per model call; 0 = one per core the runtime sees (set it to the CPU limit). */
  CLASSIFIER_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  /**
   * Most padded tokens (windows x longest) per model call. 2048 keeps ONNX Runtime's memory arena near
   * 110 MB above the model; 64x64 calls grew it by 210 MB for no more throughput.
   */
  CLASSIFIER_BATCH_MAX_TOKENS: positiveInt(2048),
  CLASSIFIER_BATCH_WAIT_MS: z.coerce.number().min(0).max(100).default(0),
});

export type ClassifierEnv = z.output<typeof classifierEnvSchema>;

export interface ClassifierConfig {
  port: number;
  host: string;
  dataDir: string;
  logLevel: ClassifierEnv['LOG_LEVEL'];
  modelKind: 'minilm' | 'keywords';
  modelDir: string;
  modelDtype: ClassifierEnv['CLASSIFIER_MODEL_DTYPE'];
  threads: number;
  keywordsPath: string | undefined;
  headPollMs: number;
  batchMaxTokens: number;
  batchWaitMs: number;
}

export function loadClassifierConfig(env: EnvSource): ClassifierConfig {
  const e = parseEnv('classifier', classifierEnvSchema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.SPLIT_BRAIN_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    modelKind: e.CLASSIFIER_MODEL_KIND,
    modelDir: e.CLASSIFIER_MODEL_DIR,
    modelDtype: e.CLASSIFIER_MODEL_DTYPE,
    threads: e.CLASSIFIER_THREADS,
    keywordsPath: e.CLASSIFIER_KEYWORDS_PATH,
    headPollMs: e.CLASSIFIER_HEAD_POLL_MS,
    batchMaxTokens: e.CLASSIFIER_BATCH_MAX_TOKENS,
    batchWaitMs: e.CLASSIFIER_BATCH_WAIT_MS,
  };
}
