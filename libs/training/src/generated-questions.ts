/**
 * Generated questions as training data: reading a `{text, label, doc, source}` JSONL file from any generator,
 * and the deduplication and cap every set goes through before it is stored or trained on.
 */
import { type GeneratedQuestion, generatedQuestionSchema } from '@split-brain/store';

export type { GeneratedQuestion };

/** Parses JSONL text; a bad line is an error naming the line and what is wrong with it. */
export function parseGeneratedQuestions(text: string, where = 'questions file'): GeneratedQuestion[] {
  const out: GeneratedQuestion[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(
        `${where} line ${index + 1}: not JSON; each line must be {"text","label","doc","source"}`,
      );
    }
    const parsed = generatedQuestionSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${where} line ${index + 1}: ${issue.path.join('.') || 'record'}: ${issue.message}`);
    }
    out.push(parsed.data);
  });
  return out;
}

export async function readGeneratedQuestionsFile(path: string): Promise<GeneratedQuestion[]> {
  const file = Bun.file(path);
  if (!(await file.exists())) throw new Error(`${path}: no such file`);
  return parseGeneratedQuestions(await file.text(), path);
}

/** Case, punctuation and spacing do not make a question new. */
export const questionKey = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export interface TidyOptions {
  /** At most this many questions per document and label (the first ones kept). */
  perDocumentAndLabel?: number;
  /** At most this many in all, taken evenly across documents. */
  total?: number;
}

export const DEFAULT_QUESTION_CAPS = { perDocumentAndLabel: 200, total: 5000 } satisfies TidyOptions;

/**
 * Drops repeats (the same question twice, or once under each label: a question a generator could not place
 * is no evidence either way) and caps the count, per document and label, and in all.
 */
export function tidyQuestions(
  questions: GeneratedQuestion[],
  options: TidyOptions = {},
): GeneratedQuestion[] {
  const caps = { ...DEFAULT_QUESTION_CAPS, ...options };
  const labelsByKey = new Map<string, Set<string>>();
  for (const q of questions) {
    const key = questionKey(q.text);
    if (key === '') continue;
    const set = labelsByKey.get(key) ?? new Set<string>();
    set.add(q.label);
    labelsByKey.set(key, set);
  }
  const seen = new Set<string>();
  const perBucket = new Map<string, { q: GeneratedQuestion; at: number }[]>();
  questions.forEach((q, at) => {
    const key = questionKey(q.text);
    if (key === '' || seen.has(key) || labelsByKey.get(key)!.size > 1) return;
    seen.add(key);
    const bucket = `${q.doc}\u0000${q.label}`;
    const list = perBucket.get(bucket) ?? [];
    if (list.length < caps.perDocumentAndLabel) list.push({ q: { ...q, text: q.text.trim() }, at });
    perBucket.set(bucket, list);
  });
  // Round-robin over buckets so a total cap keeps every document and both labels represented.
  const buckets = [...perBucket.values()];
  const out: { q: GeneratedQuestion; at: number }[] = [];
  for (let i = 0; out.length < caps.total; i++) {
    let any = false;
    for (const list of buckets) {
      if (i < list.length && out.length < caps.total) {
        out.push(list[i]!);
        any = true;
      }
    }
    if (!any) break;
  }
  // Back in file order, so a reviewer reads each document's questions together.
  return out.sort((a, b) => a.at - b.at).map((e) => e.q);
}
