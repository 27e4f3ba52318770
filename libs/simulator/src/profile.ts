/**
 * How the simulator behaves: timing, output size, auth, and faults. Each dialect side has its own
 * profile, so a test can slow down or break one brain and not the other. Patches arrive in-process
 * (`setProfile`) or over HTTP (`POST /_sim/profile`), validated by the same schema.
 */
import { z } from 'zod';

export const faultSchema = z.discriminatedUnion('kind', [
  /** Answer with this HTTP status (429 and 529 carry Retry-After). */
  z.object({
    kind: z.literal('http'),
    status: z.number().int().min(400).max(599),
    message: z.string().optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    times: z.number().int().positive().optional(),
  }),
  /** Streaming: send this many events, then half of the next one, then close the connection. */
  z.object({
    kind: z.literal('cut'),
    afterEvents: z.number().int().min(0),
    times: z.number().int().positive().optional(),
  }),
  /** Never answer (no afterEvents), or stop sending after this many stream events without closing. */
  z.object({
    kind: z.literal('hang'),
    afterEvents: z.number().int().min(0).optional(),
    times: z.number().int().positive().optional(),
  }),
  /** Output that does not parse: a truncated JSON body, or a garbage stream event after afterEvents. */
  z.object({
    kind: z.literal('malformed'),
    afterEvents: z.number().int().min(0).optional(),
    times: z.number().int().positive().optional(),
  }),
  /**
   * The upstream's own in-band failure: ScalarLM's HTTP 200 `data: {"error": …}` stream (or its
   * finish_reason "error" body), Anthropic's `event: error` after afterEvents events.
   */
  z.object({
    kind: z.literal('upstream-error'),
    message: z.string().optional(),
    afterEvents: z.number().int().min(0).optional(),
    times: z.number().int().positive().optional(),
  }),
]);
export type Fault = z.infer<typeof faultSchema>;

export const profileSchema = z.object({
  /** Delay before the response starts. */
  latencyMs: z.number().min(0),
  /** Streaming: delay between the stream's opening event and the first token. */
  ttftMs: z.number().min(0),
  /** Output pacing; 0 sends every token at once. */
  tokensPerSecond: z.number().min(0),
  /** Words in a text answer (capped by the request's max tokens). */
  outputTokens: z.number().int().min(0),
  /** ScalarLM non-streaming: interval of whitespace heartbeats while the answer is pending. */
  heartbeatMs: z.number().min(1),
  /** ScalarLM non-streaming: send one heartbeat byte before every body, so clients must tolerate it. */
  leadingHeartbeat: z.boolean(),
  /** When set, requests must carry this key (x-api-key or Authorization: Bearer). */
  apiKey: z.string().nullable(),
  /** Emit reasoning (OpenAI side) even when the request did not ask for thinking. */
  reasoning: z.boolean(),
  /** Tools called at once when a request forces "any" tool. */
  parallelToolCalls: z.number().int().min(1),
  /** Models served; the first one answers `model: "latest"` on the ScalarLM side. */
  models: z.array(z.string().min(1)).min(1),
  fault: faultSchema.nullable(),
  /** Keep a log of received requests (turn off for long benchmarks). */
  recordRequests: z.boolean(),
});
export type Profile = z.infer<typeof profileSchema>;
export const profilePatchSchema = profileSchema.partial();
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export type SimDialect = 'openai' | 'anthropic';

const base = {
  latencyMs: 0,
  ttftMs: 0,
  tokensPerSecond: 0,
  outputTokens: 24,
  heartbeatMs: 4000,
  leadingHeartbeat: true,
  apiKey: null,
  reasoning: false,
  parallelToolCalls: 1,
  fault: null,
  recordRequests: true,
} satisfies Omit<Profile, 'models'>;

export function defaultProfile(dialect: SimDialect): Profile {
  return {
    ...base,
    models:
      dialect === 'openai'
        ? ['Qwen/Qwen3-14B']
        : ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5-20251001'],
  };
}
