import { z } from 'zod';

const classificationSchema = z.object({
  maxScore: z.number().nullable(),
  keywords: z.array(z.string()),
  headVersion: z.string().nullable(),
  modelId: z.string(),
  modelKind: z.string().optional(),
});
export type ProbeClassification = z.infer<typeof classificationSchema>;

export class ClassifierUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifierUnavailable';
  }
}

/** The UI's calls to the classifier service: probe (classify) and reload after a promotion. */
export function classifierClient(
  baseUrl: string,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const call = async (path: string, body: unknown) => {
    try {
      return await doFetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ClassifierUnavailable(
        `the classifier at ${baseUrl} did not answer (${error instanceof Error ? error.name : 'error'})`,
      );
    }
  };
  return {
    baseUrl,
    async classify(text: string): Promise<ProbeClassification> {
      const response = await call('/classify', { texts: [text] });
      if (!response.ok) throw new ClassifierUnavailable(`the classifier answered ${response.status}`);
      const parsed = classificationSchema.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new ClassifierUnavailable('the classifier answered in an unexpected shape');
      return parsed.data;
    },
    /** Asks one replica to re-read the current head. Others pick it up on their own within seconds. */
    async reload(): Promise<{ ok: boolean; status: number; message: string }> {
      try {
        const response = await call('/reload', {});
        const text = await response.text();
        return { ok: response.ok, status: response.status, message: text.slice(0, 500) };
      } catch (error) {
        return { ok: false, status: 0, message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

export type ClassifierClient = ReturnType<typeof classifierClient>;
