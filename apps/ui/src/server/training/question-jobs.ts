import type { Logger } from '@split-brain/http';
import type { Store } from '@split-brain/store';
import { generateQuestions, tidyQuestions, trainingInputFromStore } from '@split-brain/training';

export interface ScalarLmTarget {
  baseUrl: string;
  /** 'auto' asks ScalarLM which model it serves. */
  model: string;
  apiKey: string | undefined;
}

export interface GenerationJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  progress: { done: number; total: number };
  error: string | null;
  /** Questions kept (after dedup and caps) and sections that failed. */
  result: { questions: number; failures: { doc: string; section: string; error: string }[] } | null;
}

export class GenerationUnavailable extends Error {}
export class GenerationBusy extends Error {}

async function servedModel(target: ScalarLmTarget, doFetch: typeof fetch): Promise<string> {
  if (target.model !== 'auto') return target.model;
  const res = await doFetch(`${target.baseUrl}/models`, {
    headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`ScalarLM /models answered ${res.status}`);
  const id = ((await res.json()) as { data?: { id?: string }[] }).data?.[0]?.id;
  if (!id) throw new Error('ScalarLM serves no model');
  return id;
}

/**
 * Question generation by the local brain, one run at a time in the background (the browser polls progress).
 * A finished run replaces generated/questions.jsonl; reviewing (drop, relabel) edits that file.
 */
export class QuestionJobs {
  private current: { job: GenerationJob; abort: AbortController } | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      scalarlm: ScalarLmTarget | undefined;
      logger: Logger;
      fetch?: typeof fetch;
    },
  ) {}

  get available() {
    return this.deps.scalarlm !== undefined;
  }

  latest(): GenerationJob | undefined {
    return this.current?.job;
  }

  start(by: string): GenerationJob {
    const target = this.deps.scalarlm;
    if (!target)
      throw new GenerationUnavailable(
        'no ScalarLM is configured for the console (SCALARLM_BASE_URL); import a questions file instead',
      );
    if (this.current?.job.status === 'running')
      throw new GenerationBusy('questions are already being generated');
    const job: GenerationJob = {
      id: crypto.randomUUID(),
      status: 'running',
      startedBy: by,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { done: 0, total: 0 },
      error: null,
      result: null,
    };
    const abort = new AbortController();
    this.current = { job, abort };
    const doFetch = this.deps.fetch ?? fetch;
    (async () => {
      const input = await trainingInputFromStore(this.deps.store);
      if (!input.documents.some((d) => !d.public)) throw new Error('upload proprietary documents first');
      const model = await servedModel(target, doFetch);
      const result = await generateQuestions(input.documents, {
        baseUrl: target.baseUrl,
        model,
        apiKey: target.apiKey,
        fetch: doFetch,
        signal: abort.signal,
        onProgress: (done, total) => {
          job.progress = { done, total };
        },
      });
      await this.deps.store.generatedQuestions.replaceAll(tidyQuestions(result.questions));
      return result;
    })().then(
      (result) => {
        job.status = 'succeeded';
        job.result = { questions: result.questions.length, failures: result.failures.slice(0, 20) };
        job.finishedAt = new Date().toISOString();
      },
      (error: unknown) => {
        job.status = abort.signal.aborted ? 'cancelled' : 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        job.finishedAt = new Date().toISOString();
        this.deps.logger.warn('question generation failed', { jobId: job.id, error: job.error });
      },
    );
    return job;
  }

  cancel(): boolean {
    if (this.current?.job.status !== 'running') return false;
    this.current.abort.abort();
    return true;
  }
}
