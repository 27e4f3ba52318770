/**
 * Session taint shared by the router pods (docs/router.md "Session taint"): each pod appends the keys it
 * taints to its own daily file, `router/taint/<day>/<pod>.jsonl`, like the usage ledgers, and reads what
 * the other pods appended since its last look. A key tainted on one pod applies on every pod within one
 * poll of the readers (the router polls every second) plus the append itself.
 */
import { z } from 'zod';
import { listPodFiles } from './audit.ts';
import { JsonlAppender, parseLine, readLinesForward } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import type { ProblemSink } from './problems.ts';
import { dayOf } from './safe-id.ts';

export const taintEntrySchema = z.object({
  /** The key (a hash scoped to the user; see apps/router session-taint.ts). */
  k: z.string().min(1).max(200),
  /** Until when it holds, epoch ms. */
  u: z.number(),
});
export type TaintEntry = z.infer<typeof taintEntrySchema>;

const DAY_MS = 24 * 3600 * 1000;

export class TaintLog {
  private readonly offsets = new Map<string, number>();

  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** This pod's appender (one write per call; flushed to disk within a second). */
  writer(pod: string) {
    const appender = new JsonlAppender((day) => this.paths.taintFile(day, pod), { now: this.now });
    return {
      append: (entries: readonly TaintEntry[]) => appender.appendMany(entries),
      close: () => appender.close(),
    };
  }

  /**
   * Entries appended (by any pod) since the last call, from the files of the last `days` days (taint lasts
   * SESSION_TAINT_TTL_MS, default one day, so two files per pod cover it).
   */
  async readNew(days = 2): Promise<TaintEntry[]> {
    const out: TaintEntry[] = [];
    const now = this.now();
    for (let back = days - 1; back >= 0; back--) {
      const day = dayOf(now - back * DAY_MS);
      for (const pod of await listPodFiles(this.paths.taintDayDir(day))) {
        const path = this.paths.taintFile(day, pod);
        const { lines, nextOffset } = await readLinesForward(path, this.offsets.get(path) ?? 0);
        for (const line of lines) {
          const entry = parseLine(path, line, taintEntrySchema, this.onProblem);
          if (entry && entry.u > now) out.push(entry);
        }
        this.offsets.set(path, nextOffset);
      }
    }
    return out;
  }
}
