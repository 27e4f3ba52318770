import { Hono } from 'hono';
import { z } from 'zod';
import { ClientError } from '@split-brain/http';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { notFound } from '../errors.ts';
import { TrainingBusy, type TrainingJobs, TrainingUnavailable } from '../training/jobs.ts';
import { jsonBody } from './body.ts';

const startSchema = z.object({ targetRecall: z.number().min(0.5).max(1).default(0.95) });

/** Training runs: start one, watch its progress, cancel it, save its head. */
export function trainingRoutes(jobs: TrainingJobs) {
  const routes = new Hono<AuthEnv>();
  const mapError = (error: unknown): never => {
    if (error instanceof TrainingBusy) throw new ClientError(409, 'conflict_error', error.message);
    if (error instanceof TrainingUnavailable)
      throw new ClientError(503, 'training_unavailable', error.message);
    throw error;
  };

  routes.get('/jobs/latest', (c) => c.json({ job: jobs.latest() ?? null, available: jobs.available }));

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
  return routes;
}
