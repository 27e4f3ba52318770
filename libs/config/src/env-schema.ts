import { z } from 'zod';

/**
 * Building blocks for environment schemas. Every variable is a string in the environment; these parse it
 * into the typed value and say what was expected when it is not.
 */

export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * The address a service listens on: all interfaces in images and the chart (a pod is reached through its
 * Service), loopback on a laptop, where `bun run dev` sets 127.0.0.1.
 */
export const listenHost = z
  .string()
  .regex(/^[A-Za-z0-9.:_-]+$/, 'expected an address such as 0.0.0.0, 127.0.0.1 or ::')
  .default('0.0.0.0');

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const boolFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'expected true or false',
    })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** A comma-separated list; blanks dropped, entries trimmed. */
export const csvList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

/** Optional string where an empty value means "not set" (Kubernetes often renders empty env values). */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v))
  .pipe(httpUrl.optional());

export const requiredString = (what: string) =>
  z
    .string({ error: `required: ${what}` })
    .refine((v) => v.trim().length > 0, { message: `required: ${what}` });
