import { WireError } from '@split-brain/wire';
import { z } from 'zod';

const modelListSchema = z.object({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      parent: z.string().nullish(),
      /** vLLM (and so ScalarLM) reports each model's context length. */
      max_model_len: z.number().int().positive().nullish(),
    }),
  ),
});

/**
 * The models ScalarLM serves. With SCALARLM_MODEL=auto the router uses the base model it finds at
 * `${SCALARLM_BASE_URL}/models` (an entry without a `parent`; trained adapters name their base as parent).
 * The list is cached, refreshed every minute in the background, and re-read at once after a failure.
 */
export class LocalModels {
  private served: string[] = [];
  private contextLengths = new Map<string, number>();
  private discovered: string | undefined;
  private fetchedAt = 0;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly configured: string,
    private readonly headers: Record<string, string>,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 60_000,
  ) {}

  /** The model a local request goes to. */
  async model(): Promise<string> {
    if (this.configured !== 'auto') return this.configured;
    if (!this.discovered || this.now() - this.fetchedAt > this.maxAgeMs) await this.refresh();
    if (!this.discovered) {
      throw new WireError(
        503,
        'overloaded',
        'the local brain (ScalarLM) is unavailable: its model list could not be read; the request was not sent to Claude',
      );
    }
    return this.discovered;
  }

  /** Whether ScalarLM serves a model of this id (an adapter a client may ask for by name). */
  isServed(id: string): boolean {
    if (id === 'auto') return false; // SCALARLM_MODEL=auto is an instruction, not a model name
    return id === this.configured || id === this.discovered || this.served.includes(id);
  }

  get ids(): string[] {
    const out = new Set(this.served);
    if (this.configured !== 'auto') out.add(this.configured);
    return [...out];
  }

  /** The context length ScalarLM reported for a model, if it reported one. */
  contextLength(id: string): number | undefined {
    return this.contextLengths.get(id);
  }

  /** Forgets the discovered model (after ScalarLM said it does not know it), so the next call re-reads. */
  invalidate() {
    this.fetchedAt = 0;
  }

  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load() {
    try {
      const response = await this.fetchImpl(`${this.baseUrl}/models`, {
        headers: this.headers,
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) return;
      const parsed = modelListSchema.safeParse(await response.json());
      if (!parsed.success) return;
      this.served = parsed.data.data.map((m) => m.id);
      this.contextLengths = new Map(
        parsed.data.data.flatMap((m) => (m.max_model_len ? [[m.id, m.max_model_len] as const] : [])),
      );
      const base = parsed.data.data.find((m) => !m.parent) ?? parsed.data.data[0];
      if (base) {
        this.discovered = base.id;
        this.fetchedAt = this.now();
      }
    } catch {
      // unreachable: keep what we had; model() reports the outage when there is nothing
    }
  }
}
