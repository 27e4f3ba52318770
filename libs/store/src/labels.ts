import { randomUUID } from 'node:crypto';
import { writeFileAtomic } from './atomic-file.ts';
import { readJsonl } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink } from './problems.ts';
import { type Label, labelSchema } from './records.ts';

/** Curated training labels in labels/labels.jsonl. The UI is the only writer; every change rewrites the file atomically. */
export class LabelStore {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  async list(): Promise<Label[]> {
    return readJsonl(this.paths.labelsFile, labelSchema, this.onProblem);
  }

  /** Adds a label; a label for the same request replaces the earlier one. */
  async add(input: Omit<Label, 'v' | 'id' | 'createdAt'> & { createdAt?: string }): Promise<Label> {
    const label = labelSchema.parse({
      v: 1,
      id: randomUUID(),
      createdAt: input.createdAt ?? new Date().toISOString(),
      ...input,
    });
    const others = (await this.list()).filter((l) => !(label.requestId && l.requestId === label.requestId));
    await this.replaceAll([...others, label]);
    return label;
  }

  async remove(id: string): Promise<boolean> {
    const all = await this.list();
    const kept = all.filter((l) => l.id !== id);
    if (kept.length === all.length) return false;
    await this.replaceAll(kept);
    return true;
  }

  async replaceAll(labels: Label[]): Promise<void> {
    const valid = labels.map((l) => labelSchema.parse(l));
    await writeFileAtomic(this.paths.labelsFile, valid.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }
}
