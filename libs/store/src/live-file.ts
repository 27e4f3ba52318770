import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from './atomic-file.ts';
import { logProblem, type ProblemSink, StoreDataError } from './problems.ts';

/**
 * A JSON file that running pods follow (limits.json, settings.json): polled cheaply by mtime and size, a
 * version that fails validation is reported and ignored, and the last good value stays in force.
 */
export class LiveFile<S extends z.ZodType> {
  private value: z.output<S>;
  private seen = '';
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly fallback: z.output<S>,
    private readonly onProblem: ProblemSink = logProblem,
  ) {
    this.value = fallback;
  }

  get(): z.output<S> {
    return this.value;
  }

  /** Re-reads the file if it changed; returns true when a new value took effect. */
  async refresh(): Promise<boolean> {
    let signature: string;
    try {
      const s = await stat(this.path);
      signature = `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      signature = 'absent';
    }
    if (signature === this.seen) return false;
    this.seen = signature;
    if (signature === 'absent') {
      this.value = this.fallback;
      return true;
    }
    try {
      const next = await readJsonFile(this.path, this.schema);
      this.value = next ?? this.fallback;
      return true;
    } catch (error) {
      if (!(error instanceof StoreDataError)) throw error;
      this.onProblem({ ...error.problem, message: `${error.problem.message}; keeping the last good values` });
      return false;
    }
  }

  /** Polls every `intervalMs` until stopped. */
  async follow(intervalMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error) => this.onProblem({ path: this.path, message: String(error) }));
    }, intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Validates and replaces the file atomically (the UI's write path). */
  async write(value: z.input<S>): Promise<z.output<S>> {
    const valid = this.schema.parse(value);
    await writeJsonAtomic(this.path, valid);
    await this.refresh();
    return valid;
  }
}
