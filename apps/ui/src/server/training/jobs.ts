import type { Logger } from '@split-brain/http';
import type { Head, Store } from '@split-brain/store';
import type { TrainingReport } from '@split-brain/training';

export interface TrainingProgress {
  phase: string;
  done: number;
  total: number;
}

/** What the console shows of a run's evaluation: the headline split, its distributions and curves. */
export interface TrainingEvaluation {
  thresholdFrom: TrainingReport['thresholdFrom'];
  heldOut: {
    positives: number;
    negatives: number;
    recall: number;
    falsePositiveRate: number;
    precision: number;
    rocAuc: number;
    /** The held-out questions the head got most wrong, for the operator to read. */
    worstMisses: { text: string; score: number }[];
    worstFalsePositives: { text: string; score: number }[];
  } | null;
  histogram: TrainingReport['histogram'];
  curves: TrainingReport['curves'];
  sources: Record<string, number>;
}

export interface TrainingOutcome {
  /** The trained head, not yet saved. */
  head: Head;
  counts: { positives: number; negatives: number };
  evaluation?: TrainingEvaluation;
}

/** Builds a head from the store's documents and labels (the training library); reports progress as it goes. */
export type Trainer = (input: {
  store: Store;
  targetRecall: number;
  signal: AbortSignal;
  onProgress: (p: TrainingProgress) => void;
}) => Promise<TrainingOutcome>;

export interface TrainingJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  targetRecall: number;
  progress: TrainingProgress;
  error: string | null;
  result: {
    version: string;
    metrics: Head['metrics'];
    suggestedThreshold: number | null;
    counts: TrainingOutcome['counts'];
    evaluation: TrainingEvaluation | null;
  } | null;
  savedVersion: string | null;
}

export class TrainingBusy extends Error {}
export class TrainingUnavailable extends Error {}

/**
 * Training runs in the background, one at a time; the browser polls the job for progress. A finished job
 * keeps its head in memory until someone saves it (or a new job replaces it).
 */
export class TrainingJobs {
  private readonly jobs = new Map<string, { job: TrainingJob; head?: Head; abort: AbortController }>();

  constructor(private readonly deps: { store: Store; trainer: Trainer | undefined; logger: Logger }) {}

  get available() {
    return this.deps.trainer !== undefined;
  }

  start(input: { by: string; targetRecall: number }): TrainingJob {
    const trainer = this.deps.trainer;
    if (!trainer) throw new TrainingUnavailable('training is not available in this build');
    if ([...this.jobs.values()].some((j) => j.job.status === 'running')) {
      throw new TrainingBusy('a training run is already in progress; wait for it or cancel it');
    }
    // Keep the last few jobs only; their heads are large arrays.
    for (const [id, j] of [...this.jobs].slice(0, Math.max(0, this.jobs.size - 4))) {
      if (j.job.status !== 'running') this.jobs.delete(id);
    }
    const job: TrainingJob = {
      id: crypto.randomUUID(),
      status: 'running',
      startedBy: input.by,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      targetRecall: input.targetRecall,
      progress: { phase: 'starting', done: 0, total: 0 },
      error: null,
      result: null,
      savedVersion: null,
    };
    const entry: { job: TrainingJob; head?: Head; abort: AbortController } = {
      job,
      abort: new AbortController(),
    };
    this.jobs.set(job.id, entry);
    trainer({
      store: this.deps.store,
      targetRecall: input.targetRecall,
      signal: entry.abort.signal,
      onProgress: (p) => {
        job.progress = p;
      },
    }).then(
      (outcome) => {
        entry.head = outcome.head;
        job.status = 'succeeded';
        job.result = {
          version: outcome.head.version,
          metrics: outcome.head.metrics,
          suggestedThreshold: outcome.head.suggestedThreshold ?? null,
          counts: outcome.counts,
          evaluation: outcome.evaluation ?? null,
        };
        job.finishedAt = new Date().toISOString();
      },
      (error: unknown) => {
        job.status = entry.abort.signal.aborted ? 'cancelled' : 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        job.finishedAt = new Date().toISOString();
        this.deps.logger.warn('training failed', { jobId: job.id, error: job.error });
      },
    );
    return job;
  }

  get(id: string): TrainingJob | undefined {
    return this.jobs.get(id)?.job;
  }

  latest(): TrainingJob | undefined {
    return [...this.jobs.values()].at(-1)?.job;
  }

  cancel(id: string): boolean {
    const entry = this.jobs.get(id);
    if (entry?.job.status !== 'running') return false;
    entry.abort.abort();
    return true;
  }

  cancelAll() {
    for (const entry of this.jobs.values()) entry.abort.abort();
  }

  /** The job's head (saved or not), for replay before promoting. */
  head(id: string): Head | undefined {
    return this.jobs.get(id)?.head;
  }

  /** Saves the job's head under its version (heads are immutable; saving twice is refused). */
  async save(id: string): Promise<string> {
    const entry = this.jobs.get(id);
    if (!entry) throw new Error('no such training run');
    if (!entry.head) throw new TrainingBusy('this run has no trained head to save');
    if (entry.job.savedVersion) return entry.job.savedVersion;
    await this.deps.store.heads.save(entry.head);
    entry.job.savedVersion = entry.head.version;
    return entry.head.version;
  }
}
