import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClassifierConfig } from '@split-brain/config';
import { type Logger, Metrics } from '@split-brain/http';
import { openStore } from '@split-brain/store';
import { createClassifierApp } from './app.ts';
import { type Classifier, keywordsClassifier, minilmClassifier } from './classifier.ts';
import { loadMiniLm, MODEL_FILES } from './embedder.ts';
import { EmbeddingEngine } from './embedding-engine.ts';
import { HeadHolder, HeadRejected } from './head.ts';
import { LiveKeywords } from './keywords.ts';

/** Where `bun run model:fetch` puts the model; used when the configured folder (the image's) is absent. */
export const REPO_MODEL_DIR = resolve(import.meta.dir, '../../../models/all-MiniLM-L6-v2');

export function modelPresent(dir: string): boolean {
  return (
    Object.values(MODEL_FILES).every((file) => existsSync(join(dir, file))) &&
    existsSync(join(dir, 'tokenizer.json'))
  );
}

/** The configured model folder, or the repo's provisioned one on a laptop where the image path is absent. */
export function resolveModelDir(configured: string): string {
  if (modelPresent(configured)) return configured;
  return modelPresent(REPO_MODEL_DIR) ? REPO_MODEL_DIR : configured;
}

export interface StartOptions {
  /** Dev only: run the keywords kind instead of failing when the minilm model is not provisioned. */
  keywordsWhenNoModel?: boolean;
}

export interface RunningClassifier {
  app: ReturnType<typeof createClassifierApp>;
  classifier: Classifier;
  engine: EmbeddingEngine | undefined;
  heads: HeadHolder | undefined;
  banner: string;
  stop(): Promise<void>;
}

/** Builds the classifier from its config: keyword list, model, heads (and their watcher). */
export async function startClassifier(
  config: ClassifierConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningClassifier> {
  const metrics = new Metrics('split_brain_classifier');
  const keywords = new LiveKeywords(config.keywordsPath, (message) => logger.warn(message));
  if (config.keywordsPath) {
    // The first read must succeed: a classifier without its keyword list would call proprietary text public.
    await readFile(config.keywordsPath, 'utf8');
    await keywords.refresh();
  }
  // Polled like the head pointer: an edited keyword file applies within CLASSIFIER_HEAD_POLL_MS.
  keywords.watch(config.headPollMs);
  const terms = keywords.terms;
  const modelDir = resolveModelDir(config.modelDir);
  let kind = config.modelKind;
  let why = '';
  if (kind === 'minilm' && !modelPresent(modelDir)) {
    if (!options.keywordsWhenNoModel) {
      throw new Error(
        `no model in ${config.modelDir} (${Object.values(MODEL_FILES).join(', ')}, tokenizer.json); ` +
          'run `bun run model:fetch`',
      );
    }
    kind = 'keywords';
    why = ' (no model provisioned: run `bun run model:fetch` for minilm)';
  }
  if (kind === 'keywords') {
    const classifier = keywordsClassifier(keywords);
    return {
      app: createClassifierApp({ classifier, logger, metrics }),
      classifier,
      engine: undefined,
      heads: undefined,
      banner: `classifier: keywords kind${why}, ${terms.length} keywords`,
      stop: async () => keywords.stop(),
    };
  }

  const embedder = await loadMiniLm(modelDir, { dtype: config.modelDtype, threads: config.threads });
  const engine = new EmbeddingEngine(embedder, {
    maxWaitMs: config.batchWaitMs,
    maxBatchTokens: config.batchMaxTokens,
  });
  const store = openStore(config.dataDir);
  const headVersion = metrics.gauge(
    'split_brain_classifier_head_info',
    'The head this replica serves (value 1).',
  );
  const heads = new HeadHolder(store.heads, store.paths.headPointerFile, engine, logger, (head) => {
    headVersion.set(1, { version: head.version });
  });
  try {
    await heads.reload();
  } catch (error) {
    if (!(error instanceof HeadRejected)) throw error;
    logger.warn('starting without a head; /classify answers score null until one is promoted', {
      reason: error.message,
    });
  }
  heads.watch(config.headPollMs);
  const classifier = minilmClassifier(engine, heads, keywords);
  return {
    app: createClassifierApp({ classifier, engine, heads, logger, metrics }),
    classifier,
    engine,
    heads,
    banner: `classifier: minilm kind, model ${modelDir} (${config.modelDtype}), head ${heads.current?.version ?? 'none'}, ${terms.length} keywords`,
    async stop() {
      heads.stop();
      keywords.stop();
      await embedder.dispose();
    },
  };
}
