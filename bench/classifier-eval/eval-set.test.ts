import { describe, expect, test } from 'bun:test';
import { questionKey, readGeneratedQuestionsFile } from '@split-brain/training';
import { parseAnswers } from './make-generated.ts';
import {
  EVAL_SETS,
  evalSetDir,
  generatedQuestionsPath,
  loadEvalDocuments,
  loadEvalPrompts,
  PROPRIETARY_KINDS,
  PUBLIC_KINDS,
} from './eval-set.ts';

/** Sections the generator asks about in each set (one stand-in answer block each). */
const SECTIONS: Record<(typeof EVAL_SETS)[number], number> = { fernhill: 39, harbourline: 68 };

describe.each(EVAL_SETS)("the team's classifier evaluation set %s", (name) => {
  const dir = evalSetDir(name);
  test('has the documents and prompts the issue asks for', async () => {
    const { internal, publicDocs } = await loadEvalDocuments(dir);
    expect(internal.length).toBeGreaterThanOrEqual(10);
    expect(publicDocs.length).toBeGreaterThanOrEqual(6);
    const prompts = await loadEvalPrompts(dir);
    expect(prompts.filter((p) => p.proprietary).length).toBeGreaterThanOrEqual(200);
    expect(prompts.filter((p) => !p.proprietary).length).toBeGreaterThanOrEqual(300);
    for (const kind of [...PROPRIETARY_KINDS, ...PUBLIC_KINDS])
      expect(prompts.filter((p) => p.kind === kind).length).toBeGreaterThanOrEqual(40);
    // Multi-turn prompts carry history: earlier turns, and the last turn is the user's.
    const multi = prompts.filter((p) => p.kind === 'multi-turn');
    expect(multi.every((p) => p.messages.length >= 3 && p.messages.at(-1)!.role === 'user')).toBe(true);
    expect(new Set(prompts.map((p) => p.messages.map((m) => m.content).join('\n'))).size).toBe(
      prompts.length,
    );
  });

  test('no prompt is copied into the generated questions (case and punctuation ignored)', async () => {
    const questions = new Set(
      (await readGeneratedQuestionsFile(generatedQuestionsPath(dir))).map((q) => questionKey(q.text)),
    );
    const prompts = await loadEvalPrompts(dir);
    const copied = prompts.filter((p) => p.messages.some((m) => questions.has(questionKey(m.content))));
    expect(copied.map((p) => p.id)).toEqual([]);
  });

  test("every section's stand-in answers are there", async () => {
    const answers = parseAnswers(await Bun.file(`${dir}/generator-answers.txt`).text());
    expect(answers.size).toBe(SECTIONS[name]);
    for (const [key, a] of answers)
      expect(`${key} ${a.employee.length > 0 && a.public.length > 0}`).toBe(`${key} true`);
  });
});
