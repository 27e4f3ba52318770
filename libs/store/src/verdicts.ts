import { readdir, rm } from 'node:fs/promises';
import { z } from 'zod';
import { JsonlAppender, readLinesForward } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink } from './problems.ts';

/** One classifier verdict on one piece, by the router's cache key (a hash: no text is stored). */
export const sharedVerdictSchema = z.object({
  k: z.string().min(1).max(256),
  s: z.number().min(0).max(1),
  kw: z.array(z.string()),
  /** The classifier's keyword-list digest the verdict was given under. */
  d: z.string().nullish(),
});
export type SharedVerdict = z.infer<typeof sharedVerdictSchema>;

/**
 * Classifier verdicts shared between router pods through the data volume, so an agent's 50-70 KB of
 * system prompt and tools is classified once per head for the whole deployment, not once per pod.
 * `verdicts/<head>/<pod>.jsonl`: each pod appends what it learned to its own file and reads the other pods'
 * files from where it left off (torn last lines wait for the next read). A head's folder is only read while
 * that head is in force; a pod deletes its own file of a head it has moved past.
 */
export class SharedVerdicts {
  private writer: { head: string; appender: JsonlAppender } | undefined;
  private readonly offsets = new Map<string, number>();

  constructor(
    private readonly paths: StorePaths,
    private readonly pod: string,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  append(head: string, verdict: SharedVerdict): void {
    if (this.writer?.head !== head) {
      const previous = this.writer;
      previous?.appender.close();
      this.writer = { head, appender: new JsonlAppender(() => this.paths.verdictsFile(head, this.pod)) };
      if (previous)
        void rm(this.paths.verdictsFile(previous.head, this.pod), { force: true }).catch(() => {});
    }
    this.writer.appender.append(verdict);
  }

  /** The verdicts other pods wrote for `head` since the last call. */
  async readNew(head: string): Promise<SharedVerdict[]> {
    let files: string[];
    try {
      files = (await readdir(this.paths.verdictsHeadDir(head))).filter(
        (f) => f.endsWith('.jsonl') && f !== `${this.pod}.jsonl`,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: SharedVerdict[] = [];
    for (const file of files) {
      const path = this.paths.verdictsFile(head, file.slice(0, -'.jsonl'.length));
      const { lines, nextOffset } = await readLinesForward(path, this.offsets.get(path) ?? 0);
      this.offsets.set(path, nextOffset);
      for (const line of lines) {
        try {
          const parsed = sharedVerdictSchema.safeParse(JSON.parse(line.text));
          if (parsed.success) out.push(parsed.data);
          else this.onProblem({ path, message: `line at byte ${line.offset} is not a verdict; skipped` });
        } catch {
          this.onProblem({ path, message: `line at byte ${line.offset} is not JSON; skipped` });
        }
      }
    }
    return out;
  }

  close(): void {
    this.writer?.appender.close();
  }
}
