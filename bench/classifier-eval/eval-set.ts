/**
 * The team's classifier evaluation sets (see README.md): per fictional organisation, its internal and public
 * reference documents, generated questions, and prompts by kind. Each prompt is what a client would send: a
 * list of chat messages.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every set, one folder each; the first is the default of `bun run eval:classifier`. */
export const EVAL_SETS = ['fernhill', 'harbourline'] as const;
export const EVAL_DIR = join(import.meta.dir, EVAL_SETS[0]);
export const evalSetDir = (name: string) => join(import.meta.dir, name);

export type PromptKind =
  | 'direct'
  | 'paraphrase'
  | 'pasted'
  | 'multi-turn'
  | 'everyday'
  | 'same-field'
  | 'same-field-collision'
  | 'long';

export const PROPRIETARY_KINDS: PromptKind[] = ['direct', 'paraphrase', 'pasted', 'multi-turn'];
export const PUBLIC_KINDS: PromptKind[] = ['everyday', 'same-field', 'same-field-collision', 'long'];
/** One question per line; the other kinds are blocks separated by a line holding only "---". */
const ONE_PER_LINE = new Set<PromptKind>([
  'direct',
  'paraphrase',
  'everyday',
  'same-field',
  'same-field-collision',
]);

export interface EvalPrompt {
  id: string;
  kind: PromptKind;
  proprietary: boolean;
  messages: { role: 'user' | 'assistant'; content: string }[];
}

function parseTurns(block: string): EvalPrompt['messages'] {
  const messages: EvalPrompt['messages'] = [];
  for (const line of block.split('\n')) {
    const turn = line.match(/^(user|assistant): ?(.*)$/);
    if (turn) messages.push({ role: turn[1] as 'user' | 'assistant', content: turn[2]! });
    else if (messages.length > 0) messages.at(-1)!.content += `\n${line}`;
  }
  return messages.map((m) => ({ ...m, content: m.content.trim() }));
}

export async function loadEvalPrompts(dir = EVAL_DIR): Promise<EvalPrompt[]> {
  const prompts: EvalPrompt[] = [];
  for (const kind of [...PROPRIETARY_KINDS, ...PUBLIC_KINDS]) {
    const proprietary = PROPRIETARY_KINDS.includes(kind);
    const file = Bun.file(join(dir, 'prompts', proprietary ? 'proprietary' : 'public', `${kind}.txt`));
    // Another set may leave a kind out; it is then simply not reported.
    if (!(await file.exists())) continue;
    const text = await file.text();
    const items = ONE_PER_LINE.has(kind)
      ? text.split('\n').filter((l) => l.trim() !== '')
      : text
          .split(/^---$/m)
          .map((b) => b.trim())
          .filter((b) => b !== '');
    items.forEach((item, i) => {
      const messages =
        kind === 'multi-turn' ? parseTurns(item) : [{ role: 'user' as const, content: item.trim() }];
      prompts.push({ id: `${kind}-${String(i + 1).padStart(3, '0')}`, kind, proprietary, messages });
    });
  }
  if (!prompts.some((p) => p.proprietary) || !prompts.some((p) => !p.proprietary))
    throw new Error(
      `${dir}/prompts holds no proprietary or no public prompts (see bench/classifier-eval/README.md)`,
    );
  return prompts;
}

export interface EvalDocument {
  name: string;
  text: string;
}

async function readDir(dir: string): Promise<EvalDocument[]> {
  const names = (await readdir(dir)).filter((n) => /\.(md|html|txt)$/.test(n)).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await Bun.file(join(dir, name)).text() })));
}

export async function loadEvalDocuments(dir = EVAL_DIR) {
  return { internal: await readDir(join(dir, 'internal')), publicDocs: await readDir(join(dir, 'public')) };
}

export const generatedQuestionsPath = (dir = EVAL_DIR) => join(dir, 'generated-questions.jsonl');
