import type { z } from 'zod';

/** Thrown when the environment does not satisfy an app's schema; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `${service}: invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export type EnvSource = Record<string, string | undefined>;

/** Parses the variables an app's schema names out of `env`; unknown variables are ignored. */
export function parseEnv<S extends z.ZodObject>(service: string, schema: S, env: EnvSource): z.output<S> {
  const picked: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) picked[name] = env[name];
  const result = schema.safeParse(picked);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? '(env)'),
    message: issue.message,
  }));
  throw new ConfigError(service, problems);
}
