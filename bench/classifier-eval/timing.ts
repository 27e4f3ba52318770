/**
 * How long training takes at the size the issue names: 1,000 document chunks and 2,000 generated questions
 * (plus the default sample of everyday prompts), embedding included, through a real classifier with the
 * provisioned model. The texts are the evaluation set's, varied so every one is distinct (the trainer embeds
 * each distinct text once). Run under the shared lock: `flock /tmp/sb-heavy.lock bun bench/classifier-eval/timing.ts`.
 */
import { loadClassifierConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import {
  documentChunks,
  readGeneratedQuestionsFile,
  type TrainingStage,
  trainHead,
} from '@split-brain/training';
import { startClassifier } from '../../apps/classifier/src/start.ts';
import { generatedQuestionsPath, loadEvalDocuments } from './eval-set.ts';

const CHUNKS = 1000;
const QUESTIONS = 2000;

const { internal, publicDocs } = await loadEvalDocuments();
const baseChunks = internal.flatMap((d) => documentChunks(d).map((c) => c.text));
const chunkDocs = Array.from({ length: Math.ceil(CHUNKS / baseChunks.length) }, (_, copy) => ({
  name: `copy-${copy}.txt`,
  // One chunk per paragraph: each paragraph is a base chunk with a marker that makes it distinct.
  text: baseChunks.map((c) => `Revision ${copy + 1}. ${c}`).join('\n\n'),
  format: 'text/plain' as const,
}));
const base = await readGeneratedQuestionsFile(generatedQuestionsPath());
const generated = Array.from({ length: QUESTIONS }, (_, i) => {
  const q = base[i % base.length]!;
  return {
    ...q,
    doc: `copy-${i % chunkDocs.length}.txt`,
    text: `${q.text} (${Math.floor(i / base.length) + 1})`,
  };
});

const config = { ...loadClassifierConfig({}), port: 0, logLevel: 'error' as const };
const running = await startClassifier(config, createLogger('classifier', 'error'));
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: running.app.fetch });
const stages = new Map<TrainingStage, number>();
const started = performance.now();
try {
  const result = await trainHead(
    { documents: [...chunkDocs, ...publicDocs.map((d) => ({ ...d, public: true }))], labels: [], generated },
    {
      classifierUrl: `http://127.0.0.1:${server.port}`,
      onProgress: (stage) => {
        if (!stages.has(stage)) stages.set(stage, performance.now());
      },
    },
  );
  const total = (performance.now() - started) / 1000;
  const at = (s: TrainingStage) => ((stages.get(s) ?? performance.now()) - started) / 1000;
  console.log(
    JSON.stringify(
      {
        documentChunks: result.counts.documentChunks,
        generated: result.counts.generatedProprietary + result.counts.generatedPublic + result.counts.heldOut,
        general: result.counts.general,
        seconds: {
          total: Number(total.toFixed(1)),
          embedding: Number((at('cross-validating') - at('embedding')).toFixed(1)),
          crossValidation: Number((at('fitting') - at('cross-validating')).toFixed(1)),
          fitAndEvaluate: Number((total - at('fitting')).toFixed(1)),
        },
        cores: navigator.hardwareConcurrency,
      },
      null,
      1,
    ),
  );
} finally {
  await server.stop(true);
  await running.stop();
}
