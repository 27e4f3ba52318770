import { listDays, listPodFiles } from './audit.ts';
import {
  fileSizeNow,
  parseLine,
  readJsonl,
  readLinesForward,
  type PodWriter,
  type PodWriterOptions,
  podWriter,
} from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink } from './problems.ts';
import { type Route, type UsageEntry, usageEntrySchema } from './records.ts';
import { assertDay, assertSafeId } from './safe-id.ts';

export interface UserDayTotal {
  /** Reserved-but-unsettled plus settled tokens: what counts against the daily limit. */
  tokens: number;
  byBrain: Record<Route, { inputTokens: number; outputTokens: number }>;
}

/** Usage ledgers: one JSONL file per router pod per day; totals are the sum over every pod's file. */
export class UsageLedger {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  /** This pod's appender (see PodWriterOptions for `validate`). */
  writer(pod: string, options: PodWriterOptions = {}): PodWriter<UsageEntry> {
    assertSafeId(pod, 'pod name');
    return podWriter((day) => this.paths.usageFile(day, pod), usageEntrySchema, options);
  }

  async days(): Promise<string[]> {
    return listDays(this.paths.usageDir);
  }

  async readDay(day: string): Promise<UsageEntry[]> {
    const out: UsageEntry[] = [];
    for (const pod of await listPodFiles(this.paths.usageDayDir(day))) {
      out.push(...(await readJsonl(this.paths.usageFile(day, pod), usageEntrySchema, this.onProblem)));
    }
    return out;
  }

  /**
   * An incremental tally of one day: each refresh reads only what the pods appended since the last one.
   * With `ownPod`, that pod's file is read only as far as it reached when the tally was made; what the
   * pod appends after that is given to the tally with `record` (the router's own entries, counted at once
   * and never parsed back from disk).
   */
  tally(day: string, options: { ownPod?: string } = {}): UsageTally {
    return new UsageTally(this.paths, assertDay(day), this.onProblem, options.ownPod);
  }
}

export class UsageTally {
  private readonly offsets = new Map<string, number>();
  readonly totals = new Map<string, UserDayTotal>();
  /** Where the own pod's file ended when the tally was made: later entries come through `record`. */
  private readonly ownEnd: number;

  constructor(
    private readonly paths: StorePaths,
    readonly day: string,
    private readonly onProblem: ProblemSink,
    private readonly ownPod?: string,
  ) {
    // Taken synchronously, before the caller can append: every entry is counted once, from the file or
    // from `record`.
    this.ownEnd = ownPod ? fileSizeNow(paths.usageFile(day, assertSafeId(ownPod, 'pod name'))) : 0;
  }

  /** An entry the own pod has just appended (or is about to). */
  record(entry: UsageEntry): void {
    this.add(entry);
  }

  async refresh(): Promise<void> {
    for (const pod of await listPodFiles(this.paths.usageDayDir(this.day))) {
      const path = this.paths.usageFile(this.day, pod);
      const from = this.offsets.get(pod) ?? 0;
      if (pod === this.ownPod && from >= this.ownEnd) continue;
      const until = pod === this.ownPod ? this.ownEnd : undefined;
      const { lines, nextOffset } = await readLinesForward(path, from, until);
      for (const line of lines) {
        const entry = parseLine(path, line, usageEntrySchema, this.onProblem);
        if (entry) this.add(entry);
      }
      this.offsets.set(pod, nextOffset);
    }
  }

  private add(entry: UsageEntry) {
    let t = this.totals.get(entry.user);
    if (!t) {
      t = {
        tokens: 0,
        byBrain: { claude: { inputTokens: 0, outputTokens: 0 }, local: { inputTokens: 0, outputTokens: 0 } },
      };
      this.totals.set(entry.user, t);
    }
    t.tokens += entry.tokens;
    if (entry.kind === 'settle') {
      t.byBrain[entry.brain].inputTokens += entry.inputTokens ?? 0;
      t.byBrain[entry.brain].outputTokens += entry.outputTokens ?? 0;
    }
  }

  tokensFor(user: string): number {
    return this.totals.get(user)?.tokens ?? 0;
  }
}
