/**
 * Makes generated-questions.jsonl the way the console's generator makes it: the built-in generator
 * (generateQuestions, the same prompts, parsing, pasted passages, dedup and caps) runs over the evaluation
 * documents against a loopback stand-in for ScalarLM. There is no ScalarLM here, so the stand-in answers each
 * section's prompt with the questions written for that section in generator-answers.txt (see README.md).
 *
 *   bun bench/classifier-eval/make-generated.ts [SET]     (SET: fernhill, harbourline, or a set's folder)
 */
import { join, resolve } from 'node:path';
import { generateQuestions } from '@split-brain/training/question-generator';
import { EVAL_DIR, evalSetDir, loadEvalDocuments } from './eval-set.ts';

/** "## doc#heading" blocks of "E:", "N:", "P:" lines. */
export function parseAnswers(text: string) {
  const answers = new Map<string, { employee: string[]; nameless: string[]; public: string[] }>();
  let current: { employee: string[]; nameless: string[]; public: string[] } | undefined;
  for (const line of text.split('\n')) {
    const heading = line.match(/^## (.+)$/);
    if (heading) {
      current = { employee: [], nameless: [], public: [] };
      answers.set(heading[1]!.trim(), current);
      continue;
    }
    const item = line.match(/^([ENP]): (.+)$/);
    if (item && current) {
      const key = item[1] === 'E' ? 'employee' : item[1] === 'N' ? 'nameless' : 'public';
      current[key].push(item[2]!.trim());
    }
  }
  return answers;
}

if (import.meta.main) {
  const arg = process.argv[2];
  const here = arg === undefined ? EVAL_DIR : arg.includes('/') ? resolve(arg) : evalSetDir(arg);
  const answers = parseAnswers(await Bun.file(join(here, 'generator-answers.txt')).text());
  const used = new Set<string>();
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const body = (await req.json()) as { messages: { role: string; content: string }[] };
      const prompt = body.messages.at(-1)!.content;
      const doc = prompt.match(/^Document: (.+)$/m)?.[1]?.trim() ?? '';
      const section = (prompt.match(/^Section: (.+)$/m)?.[1] ?? '').split(' > ').at(-1)!.trim();
      const key = `${doc}#${section}`;
      const answer = answers.get(key);
      if (!answer) return Response.json({ error: `no stand-in answer for ${key}` }, { status: 500 });
      used.add(key);
      return Response.json({
        choices: [{ message: { role: 'assistant', content: JSON.stringify(answer) } }],
      });
    },
  });
  const { internal, publicDocs } = await loadEvalDocuments(here);
  const result = await generateQuestions([...internal, ...publicDocs.map((d) => ({ ...d, public: true }))], {
    baseUrl: `http://127.0.0.1:${server.port}/v1`,
    model: 'stand-in',
    onProgress: (done, total) => process.stderr.write(`\rsections ${done}/${total}`),
  });
  server.stop(true);
  process.stderr.write('\n');
  if (result.failures.length > 0) {
    console.error(result.failures);
    process.exit(1);
  }
  const unused = [...answers.keys()].filter((k) => !used.has(k));
  if (unused.length > 0) console.error('answers never asked for:', unused);
  const out = join(here, 'generated-questions.jsonl');
  await Bun.write(out, result.questions.map((q) => `${JSON.stringify(q)}\n`).join(''));
  const by: Record<string, number> = {};
  for (const q of result.questions) by[`${q.source}/${q.label}`] = (by[`${q.source}/${q.label}`] ?? 0) + 1;
  console.log(`${result.questions.length} questions from ${result.sections} sections -> ${out}`, by);
}
