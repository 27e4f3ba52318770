import type { Store } from '@split-brain/store';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { ClassifierUnavailable, type ClassifierClient } from '../classifier-client.ts';
import { ClientError } from '@split-brain/http';
import { jsonBody } from './body.ts';

/** The router's default; the live value is taken from the newest audit record, which carries it. */
const DEFAULT_THRESHOLD = 0.4;

/** Probe: what would the router decide for this text? Same rule as the router: score ≥ threshold or a keyword. */
export function probeRoutes(store: Store, classifier: ClassifierClient) {
  const routes = new Hono<AuthEnv>();
  routes.post('/', async (c) => {
    const { text } = await jsonBody(
      c,
      z.object({ text: z.string().trim().min(1, 'type some text').max(100_000) }),
    );
    let result: Awaited<ReturnType<ClassifierClient['classify']>>;
    try {
      result = await classifier.classify(text);
    } catch (error) {
      if (error instanceof ClassifierUnavailable)
        throw new ClientError(503, 'classifier_unavailable', error.message);
      throw error;
    }
    // Settings' threshold is what every router pod uses; without it, the pods' CLASSIFIER_THRESHOLD, which
    // the newest audit record carries.
    await store.settings.refresh();
    const configured = store.settings.get().classifierThreshold;
    const newest = configured === undefined ? (await store.audit.page({ limit: 1 })).records[0] : undefined;
    const threshold = configured ?? newest?.threshold ?? DEFAULT_THRESHOLD;
    const thresholdSource =
      configured !== undefined ? 'Settings' : newest ? 'the router (newest request)' : 'the default';
    const local = result.keywords.length > 0 || result.maxScore === null || result.maxScore >= threshold;
    const reason =
      result.keywords.length > 0
        ? 'keyword'
        : result.maxScore === null
          ? 'no trained head (the router fails closed to local)'
          : result.maxScore >= threshold
            ? 'score at or above threshold'
            : 'below threshold';
    return c.json({
      score: result.maxScore,
      keywords: result.keywords,
      headVersion: result.headVersion,
      modelId: result.modelId,
      threshold,
      thresholdSource,
      route: local ? 'local' : 'claude',
      reason,
    });
  });
  return routes;
}
