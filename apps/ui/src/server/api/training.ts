import { ClientError } from '@split-brain/http';
import { generatedQuestionId, type Store } from '@split-brain/store';
import { parseGeneratedQuestions, replayRecent, tidyQuestions } from '@split-brain/training';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { badRequest, notFound } from '../errors.ts';
import { TrainingBusy, type TrainingJobs, TrainingUnavailable } from '../training/jobs.ts';
import { GenerationBusy, GenerationUnavailable, type QuestionJobs } from '../training/question-jobs.ts';
import { jsonBody } from './body.ts';

const startSchema = z.object({ targetRecall: z.number().min(0.5).max(1).default(0.99) });
const idsSchema = z.object({
  ids: z
    .array(z.string().regex(/^[a-f0-9]{16}$/))
    .min(1)
    .max(10_000),
});
const relabelSchema = idsSchema.extend({ label: z.enum(['proprietary', 'public']) });
const replaySchema = z.object({
  threshold: z.number().min(0).max(1).optional(),
  limit: z.number().int().min(1).max(5000).default(500),
});

/** The router's default CLASSIFIER_THRESHOLD (libs/config); settings.json may override it. */
export const ROUTER_DEFAULT_THRESHOLD = 0.4;

/**
 * The threshold the router applies: the optional threshold field of settings/settings.json when present (set in
 * Settings), else the router's default. Read raw so this works whichever build wrote the file.
 */
export async function routerThreshold(
  store: Store,
): Promise<{ value: number; from: 'settings' | 'default' }> {
  try {
    const raw = (await Bun.file(store.paths.settingsFile).json()) as Record<string, unknown>;
    for (const key of ['classifierThreshold', 'threshold']) {
      const v = raw[key];
      if (typeof v === 'number' && v >= 0 && v <= 1) return { value: v, from: 'settings' };
    }
  } catch {}
  return { value: ROUTER_DEFAULT_THRESHOLD, from: 'default' };
}

/** Training runs (start, watch, cancel, save, replay) and the generated questions they learn from. */
export function trainingRoutes(deps: {
  jobs: TrainingJobs;
  questions: QuestionJobs;
  store: Store;
  classifierUrl: string;
}) {
  const { jobs, questions, store } = deps;
  const routes = new Hono<AuthEnv>();
  const mapError = (error: unknown): never => {
    if (error instanceof TrainingBusy || error instanceof GenerationBusy)
      throw new ClientError(409, 'conflict_error', error.message);
    if (error instanceof TrainingUnavailable || error instanceof GenerationUnavailable)
      throw new ClientError(503, 'training_unavailable', error.message);
    throw error;
  };

  routes.get('/jobs/latest', async (c) =>
    c.json({
      job: jobs.latest() ?? null,
      available: jobs.available,
      routerThreshold: await routerThreshold(store),
    }),
  );

  routes.post('/jobs', async (c) => {
    const { targetRecall } = await jsonBody(c, startSchema);
    try {
      return c.json({ job: jobs.start({ by: c.get('identity').email, targetRecall }) }, 202);
    } catch (error) {
      return mapError(error);
    }
  });

  routes.get('/jobs/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) throw notFound('no such training run (runs are kept in memory until the console restarts)');
    return c.json({ job });
  });

  routes.post('/jobs/:id/cancel', (c) => {
    if (!jobs.cancel(c.req.param('id'))) throw notFound('no running training run with that id');
    return c.json({ cancelled: true });
  });

  routes.post('/jobs/:id/save', async (c) => {
    if (!jobs.get(c.req.param('id'))) throw notFound('no such training run');
    try {
      return c.json({ version: await jobs.save(c.req.param('id')) }, 201);
    } catch (error) {
      return mapError(error);
    }
  });

  // Before promoting: how recent audited requests would route under this run's head.
  routes.post('/jobs/:id/replay', async (c) => {
    const head = jobs.head(c.req.param('id'));
    if (!head) throw notFound('no trained head for that run');
    const { threshold, limit } = await jsonBody(c, replaySchema);
    const applied = threshold ?? (await routerThreshold(store)).value;
    try {
      return c.json({
        replay: await replayRecent(store, head, {
          classifierUrl: deps.classifierUrl,
          threshold: applied,
          limit,
        }),
      });
    } catch (error) {
      throw new ClientError(502, 'classifier_error', error instanceof Error ? error.message : String(error));
    }
  });

  routes.get('/questions', async (c) => {
    const all = await store.generatedQuestions.list();
    return c.json({
      questions: all.map((q) => ({ id: generatedQuestionId(q.text), ...q })),
      generation: questions.latest() ?? null,
      generationAvailable: questions.available,
    });
  });

  routes.post('/questions/generate', (c) => {
    try {
      return c.json({ generation: questions.start(c.get('identity').email) }, 202);
    } catch (error) {
      return mapError(error);
    }
  });

  routes.post('/questions/generate/cancel', (c) => {
    if (!questions.cancel()) throw notFound('no question generation is running');
    return c.json({ cancelled: true });
  });

  // A questions file from any generator: JSONL {text, label, doc, source}; replaces the current set.
  routes.post(
    '/questions/import',
    bodyLimit({
      maxSize: 20 * 1024 * 1024,
      onError: () => {
        throw new ClientError(413, 'request_too_large', 'a questions file may be at most 20 MiB');
      },
    }),
    async (c) => {
      let parsed: ReturnType<typeof parseGeneratedQuestions>;
      try {
        parsed = parseGeneratedQuestions(await c.req.text(), 'the questions file');
      } catch (error) {
        throw badRequest(error instanceof Error ? error.message : String(error));
      }
      if (parsed.length === 0) throw badRequest('the questions file holds no questions');
      const kept = tidyQuestions(parsed);
      await store.generatedQuestions.replaceAll(kept);
      return c.json({ imported: kept.length, dropped: parsed.length - kept.length }, 201);
    },
  );

  routes.post('/questions/drop', async (c) => {
    const { ids } = await jsonBody(c, idsSchema);
    return c.json({ dropped: await store.generatedQuestions.drop(ids) });
  });

  routes.post('/questions/relabel', async (c) => {
    const { ids, label } = await jsonBody(c, relabelSchema);
    return c.json({ relabelled: await store.generatedQuestions.relabel(ids, label) });
  });
  return routes;
}
