import { createHash } from 'node:crypto';
import { writeFileAtomic } from './atomic-file.ts';
import { readJsonl } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink } from './problems.ts';
import { type GeneratedQuestion, generatedQuestionSchema } from './records.ts';

/** A question's id: a hash of its text (texts are unique in the file), so review actions need no stored id. */
export const generatedQuestionId = (text: string) =>
  createHash('sha256').update(text.trim()).digest('hex').slice(0, 16);

/**
 * Generated training questions in generated/questions.jsonl, one `{text, label, doc, source}` per line.
 * Written whole (a generation run, an import, a review action), so every write is atomic.
 */
export class GeneratedQuestionStore {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  async list(): Promise<GeneratedQuestion[]> {
    return readJsonl(this.paths.generatedQuestionsFile, generatedQuestionSchema, this.onProblem);
  }

  async replaceAll(questions: GeneratedQuestion[]): Promise<void> {
    const valid = questions.map((q) => generatedQuestionSchema.parse(q));
    await writeFileAtomic(
      this.paths.generatedQuestionsFile,
      valid.map((q) => `${JSON.stringify(q)}\n`).join(''),
    );
  }

  /** Drops the questions with these ids; returns how many went. */
  async drop(ids: string[]): Promise<number> {
    const wanted = new Set(ids);
    const all = await this.list();
    const kept = all.filter((q) => !wanted.has(generatedQuestionId(q.text)));
    if (kept.length !== all.length) await this.replaceAll(kept);
    return all.length - kept.length;
  }

  /** Gives the questions with these ids a new label; returns how many changed. */
  async relabel(ids: string[], label: GeneratedQuestion['label']): Promise<number> {
    const wanted = new Set(ids);
    let changed = 0;
    const next = (await this.list()).map((q) => {
      if (!wanted.has(generatedQuestionId(q.text)) || q.label === label) return q;
      changed++;
      return { ...q, label };
    });
    if (changed > 0) await this.replaceAll(next);
    return changed;
  }
}
