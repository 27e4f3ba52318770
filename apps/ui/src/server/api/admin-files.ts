import { type LiveFile, limitsSchema, type Settings, type Store, settingsSchema } from '@split-brain/store';
import { Hono } from 'hono';
import type { z } from 'zod';
import type { AuthEnv } from '../auth/sign-in-layers.ts';
import { jsonBody } from './body.ts';

/** Limits and settings (admin): the UI is their single writer; router pods follow the files. */
export function limitsRoutes(store: Store) {
  return liveFileRoutes('limits', store.limits, limitsSchema);
}

export function settingsRoutes(store: Store) {
  return liveFileRoutes('settings', store.settings, settingsSchema, settingsProblems);
}

/** Claude model names as Anthropic spells them; the router forwards only claude-* names. */
const CLAUDE_MODEL = /^claude-[a-z0-9.-]+$/;

/**
 * Settings checked as a whole, field by field, before anything is written: each problem is keyed by the
 * field the Settings form shows it beside. A default model outside the allowed list would make every
 * Claude-routed request fail, so it is refused here rather than discovered there.
 */
export function settingsProblems(s: Omit<Settings, 'v'>): Record<string, string> {
  const problems: Record<string, string> = {};
  const badNames = s.allowedClaudeModels.filter((m) => !CLAUDE_MODEL.test(m));
  if (badNames.length > 0) {
    problems.allowedClaudeModels = `not a Claude model name: ${badNames.slice(0, 5).join(', ')} (expected e.g. claude-sonnet-4-6)`;
  } else if (new Set(s.allowedClaudeModels).size !== s.allowedClaudeModels.length) {
    problems.allowedClaudeModels = 'a model is listed twice';
  }
  if (s.defaultClaudeModel !== null) {
    if (!CLAUDE_MODEL.test(s.defaultClaudeModel)) {
      problems.defaultClaudeModel = `${s.defaultClaudeModel} is not a Claude model name (expected e.g. claude-sonnet-4-6)`;
    } else if (s.allowedClaudeModels.length > 0 && !s.allowedClaudeModels.includes(s.defaultClaudeModel)) {
      problems.defaultClaudeModel = `${s.defaultClaudeModel} is not among the allowed models; add it there or pick one of them`;
    }
  }
  return problems;
}

/** GET answers `{ [field]: the current record }`; PUT takes the record without its `v` and writes it. */
function liveFileRoutes<S extends z.ZodObject<{ v: z.ZodType }>>(
  field: string,
  file: LiveFile<S>,
  schema: S,
  problemsOf: (value: Omit<z.output<S>, 'v'>) => Record<string, string> = () => ({}),
) {
  const routes = new Hono<AuthEnv>();
  routes.get('/', async (c) => {
    await file.refresh();
    return c.json({ [field]: file.get() });
  });
  routes.put('/', async (c) => {
    const input = await jsonBody(c, schema.omit({ v: true }));
    const problems = problemsOf(input as unknown as Omit<z.output<S>, 'v'>);
    if (Object.keys(problems).length > 0) {
      const message = Object.entries(problems)
        .map(([name, problem]) => `${name}: ${problem}`)
        .join('; ');
      return c.json({ error: { type: 'invalid_request_error', message, fields: problems } }, 400);
    }
    // write() validates the whole record against the schema again.
    return c.json({ [field]: await file.write({ v: 1, ...input } as z.input<S>) });
  });
  return routes;
}
