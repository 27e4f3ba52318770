import { ClientError, createServiceApp, type Logger, type Metrics } from '@split-brain/http';
import type { ModelTiming } from './batcher.ts';
import { type Classifier, embedForTraining } from './classifier.ts';
import type { EmbeddingEngine } from './embedding-engine.ts';
import { type HeadHolder, HeadRejected } from './head.ts';
import { readTexts } from './request-texts.ts';

export interface ClassifierAppDeps {
  classifier: Classifier;
  /** Present for the minilm kind: /embed and /reload need the model and heads. */
  engine?: EmbeddingEngine;
  heads?: HeadHolder;
  logger: Logger;
  metrics: Metrics;
}

/** The classifier's HTTP surface (SPEC section 4): /classify, /embed, /reload plus the shared probes. */
export function createClassifierApp(deps: ClassifierAppDeps) {
  const { classifier, engine, heads, metrics } = deps;
  const texts = metrics.counter('classifier_texts_total', 'Texts classified or embedded, by endpoint.');
  const windows = metrics.counter('classifier_windows_total', 'Model windows embedded, by endpoint.');
  const reloads = metrics.counter('classifier_head_reloads_total', 'POST /reload calls by result.');

  const app = createServiceApp({
    service: 'classifier',
    logger: deps.logger,
    metrics,
    ready: async () => ({
      ready: true,
      checks: {
        modelKind: classifier.kind,
        modelId: classifier.modelId,
        headVersion: classifier.headVersion(),
        keywordsDigest: classifier.keywordsDigest(),
      },
    }),
  });

  app.post('/classify', async (c) => {
    const startedAt = performance.now();
    const input = await readTexts(c.req.raw);
    const timing: ModelTiming = { queuedMs: 0, modelMs: 0 };
    const result = await classifier.classify(input, timing);
    c.header('server-timing', serverTiming(timing, startedAt));
    texts.inc({ endpoint: 'classify' }, input.length);
    windows.inc(
      { endpoint: 'classify' },
      result.results.reduce((n, r) => n + r.windows, 0),
    );
    return c.json(result);
  });

  app.post('/embed', async (c) => {
    if (!engine) {
      throw new ClientError(
        409,
        'no_model',
        'this classifier runs the keywords kind and has no embedding model',
      );
    }
    const startedAt = performance.now();
    const input = await readTexts(c.req.raw);
    const timing: ModelTiming = { queuedMs: 0, modelMs: 0 };
    // ?windows=1 gives every window's embedding, so a candidate head can be scored exactly as /classify
    // scores (max over windows) without being promoted: the console's replay needs that.
    if (c.req.query('windows') === '1') {
      const embedded = await engine.embedTexts(input, timing);
      c.header('server-timing', serverTiming(timing, startedAt));
      texts.inc({ endpoint: 'embed' }, input.length);
      return c.json({
        modelId: engine.modelId,
        dimension: engine.dimension,
        windows: embedded.map((e) => e.windows.map((w) => Array.from(w))),
      });
    }
    const embeddings = await embedForTraining(engine, input, timing);
    c.header('server-timing', serverTiming(timing, startedAt));
    texts.inc({ endpoint: 'embed' }, input.length);
    return c.json({ modelId: engine.modelId, dimension: engine.dimension, embeddings });
  });

  app.post('/reload', async (c) => {
    if (!heads) {
      throw new ClientError(
        409,
        'no_model',
        'this classifier runs the keywords kind; it has no head to load',
      );
    }
    const previous = heads.current?.version ?? null;
    try {
      const head = await heads.reload();
      reloads.inc({ result: 'ok' });
      return c.json({ headVersion: head.version, previous, changed: head.version !== previous });
    } catch (error) {
      if (!(error instanceof HeadRejected)) throw error;
      reloads.inc({ result: 'rejected' });
      throw new ClientError(409, 'head_rejected', `${error.message}; still serving ${previous ?? 'no head'}`);
    }
  });

  return app;
}

/**
 * The standard Server-Timing header (W3C): time waiting for the model, inside ONNX Runtime, and in the
 * handler in all (body read to answer built), in ms. Shows where a slow answer spent its time (queue
 * behind other batches, the model, or the service around it), in browser devtools, curl -v and the
 * benchmark alike.
 */
function serverTiming(timing: ModelTiming, startedAt: number): string {
  const total = performance.now() - startedAt;
  return `queue;dur=${timing.queuedMs.toFixed(3)}, model;dur=${timing.modelMs.toFixed(3)}, total;dur=${total.toFixed(3)}`;
}
