/**
 * Training questions written by the local brain (ScalarLM, through its OpenAI-compatible API; never Claude:
 * the documents are proprietary). Per document section it asks for employee questions that need the section's
 * specific content (with and without internal names) and public questions on the same subjects; pasted passages
 * with a request are built from the section's own sentences (and, as negatives, from public reference
 * documents), so they need no model. Output: `{text, label, doc, source, section}` records, deduplicated and
 * capped (tidyQuestions).
 */
import type { GeneratedQuestion } from '@split-brain/store';
import { chunkDocument } from './chunking.ts';
import { tidyQuestions, type TidyOptions } from './generated-questions.ts';
import { type DocumentFormat, documentSections, formatFromName } from './plain-text.ts';

export interface GeneratorDocument {
  name: string;
  text: string;
  format?: DocumentFormat;
  public?: boolean;
}

export interface QuestionCounts {
  /** Questions an employee would ask that need this section, naming internal products, people, systems. */
  employee: number;
  /** The same kind of question with no internal name at all: only the section's facts identify it. */
  nameless: number;
  /** Ordinary public questions on the same subjects that any outsider could ask and answer. */
  public: number;
  /** Passages of the section pasted with a request (built here, no model). */
  pasted: number;
}

export const DEFAULT_QUESTION_COUNTS: QuestionCounts = { employee: 6, nameless: 6, public: 8, pasted: 3 };

export interface GeneratorOptions {
  /** ScalarLM's OpenAI-compatible base URL, e.g. http://scalarlm:8000/v1. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  counts?: Partial<QuestionCounts>;
  caps?: TidyOptions;
  /** Sections longer than this many words are asked about in parts. */
  maxSectionWords?: number;
  concurrency?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerationResult {
  questions: GeneratedQuestion[];
  /** Sections whose request failed or whose answer could not be read, with the reason. */
  failures: { doc: string; section: string; error: string }[];
  sections: number;
}

const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    employee: { type: 'array', items: { type: 'string' } },
    nameless: { type: 'array', items: { type: 'string' } },
    public: { type: 'array', items: { type: 'string' } },
  },
  required: ['employee', 'nameless', 'public'],
} as const;

export const GENERATOR_SYSTEM_PROMPT =
  'You write realistic test questions for a privacy filter. You answer with JSON only, exactly in the schema given.';

/** The request for one section; `Document:` and `Section:` lines name it (a stand-in model keys on them). */
export function generatorPrompt(doc: string, section: string, text: string, counts: QuestionCounts): string {
  return [
    `Document: ${doc}`,
    `Section: ${section || '(untitled)'}`,
    '',
    'Below is a section of an internal document of our organisation.',
    '',
    '<section>',
    text,
    '</section>',
    '',
    `Write ${counts.employee} questions "employee" that an employee would type into a chat assistant and that can only be answered with the specific facts of this section (figures, names, rules, dates). Use the internal names (products, systems, people, partners) as an employee naturally would. Vary the style: short and long, formal and casual, some with a typo, some as a request ("give me", "remind me") rather than a question.`,
    `Write ${counts.nameless} questions "nameless" that need the same specific facts but contain no internal name at all (no product, system, project, partner or person name, no organisation name); they identify the subject only by what it is ("our home policy", "the fraud score", "the new pricing engine").`,
    `Write ${counts.public} questions "public" on the same subjects that anyone outside the organisation could ask and answer from public knowledge: general, educational or consumer questions in the same field, with none of this section's facts. Include some that use the same everyday words as the internal names in their ordinary meaning.`,
    'Each question stands alone, one sentence or two. Answer as JSON: {"employee": [...], "nameless": [...], "public": [...]}.',
  ].join('\n');
}

/** Reads the model's answer: the JSON object asked for, or failing that, one question per line under headings. */
export function parseGeneratorAnswer(content: string): {
  employee: string[];
  nameless: string[];
  public: string[];
} {
  const out = { employee: [] as string[], nameless: [] as string[], public: [] as string[] };
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const value = JSON.parse(content.slice(start, end + 1)) as Record<string, unknown>;
      for (const key of ['employee', 'nameless', 'public'] as const) {
        const list = value[key];
        if (Array.isArray(list)) out[key] = list.filter((q): q is string => typeof q === 'string');
      }
      return clean(out);
    } catch {}
  }
  let current: keyof typeof out | undefined;
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    const heading = line.toLowerCase().match(/^[#*\s]*(employee|nameless|public)\b/);
    if (heading) {
      current = heading[1] as keyof typeof out;
      continue;
    }
    const item = line.replace(/^([-*•]|\d+[.)])\s+/, '');
    if (current && item !== line) out[current].push(item);
  }
  return clean(out);
}

function clean(answer: { employee: string[]; nameless: string[]; public: string[] }) {
  const tidy = (list: string[]) =>
    list.map((q) => q.replace(/^["'\s]+|["'\s]+$/g, '').replace(/\s+/g, ' ')).filter((q) => q.length >= 8);
  return { employee: tidy(answer.employee), nameless: tidy(answer.nameless), public: tidy(answer.public) };
}

const PASTE_REQUESTS = [
  'Summarise this in two sentences:',
  'Can you make this clearer?',
  'Proofread this please:',
  'Turn this into bullet points:',
  'Rewrite this in a friendlier tone:',
  'What does this mean in plain English?',
  'Shorten this for an email:',
  'Check this paragraph for mistakes:',
];

/**
 * Pasted passages: a run of the section's sentences with a request in front (or behind). Deterministic, so a
 * rerun gives the same set; the request varies by position so no phrasing belongs to one label.
 */
export function pastedExamples(text: string, count: number, seed: number): string[] {
  const passages = chunkDocument(text, { maxWords: 45, minWords: 12 });
  const out: string[] = [];
  for (let i = 0; i < Math.min(count, passages.length); i++) {
    const passage = passages[Math.floor((i * passages.length) / Math.max(1, count))]!;
    const request = PASTE_REQUESTS[(seed + i) % PASTE_REQUESTS.length]!;
    out.push(
      (seed + i) % 3 === 2 ? `${passage}\n\n${request.replace(/:$/, '.')}` : `${request}\n\n${passage}`,
    );
  }
  return out;
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The parts a document is asked about: its sections, long ones cut into runs of at most maxWords. */
export function generatorParts(doc: GeneratorDocument, maxWords: number) {
  const format = doc.format ?? formatFromName(doc.name);
  return documentSections(doc.text, format).flatMap((s) => {
    const parts = chunkDocument(s.text.replace(/\n\n/g, '\n\n'), { maxWords, minWords: 20 });
    return parts.map((text) => ({ section: s.title, text }));
  });
}

async function askModel(prompt: string, options: GeneratorOptions): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 120_000)];
  if (options.signal) signals.push(options.signal);
  const res = await doFetch(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    },
    body: JSON.stringify({
      model: options.model,
      messages: [
        { role: 'system', content: GENERATOR_SYSTEM_PROMPT },
        { role: 'user', content: prompt },
      ],
      temperature: 0.8,
      max_tokens: 2048,
      response_format: { type: 'json_schema', json_schema: { name: 'questions', schema: ANSWER_SCHEMA } },
    }),
    signal: AbortSignal.any(signals),
  });
  if (!res.ok) throw new Error(`ScalarLM answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { choices?: { message?: { content?: string | null } }[] };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || content.trim() === '') throw new Error('ScalarLM answered with no text');
  return content;
}

/**
 * Generates questions for every section of the proprietary documents (and pasted negatives from the public
 * ones). A section that fails is reported and skipped; the run goes on.
 */
export async function generateQuestions(
  documents: GeneratorDocument[],
  options: GeneratorOptions,
): Promise<GenerationResult> {
  const counts = { ...DEFAULT_QUESTION_COUNTS, ...options.counts };
  const maxWords = options.maxSectionWords ?? 350;
  const jobs = documents
    .filter((d) => !d.public)
    .flatMap((doc) => generatorParts(doc, maxWords).map((part) => ({ doc: doc.name, ...part })));
  const questions: GeneratedQuestion[] = [];
  const failures: GenerationResult['failures'] = [];
  for (const doc of documents.filter((d) => d.public)) {
    for (const part of generatorParts(doc, maxWords)) {
      for (const text of pastedExamples(part.text, 1, hashOf(doc.name + part.section))) {
        questions.push({
          text,
          label: 'public',
          doc: doc.name,
          source: 'pasted-public',
          section: part.section,
        });
      }
    }
  }
  let done = 0;
  options.onProgress?.(0, jobs.length);
  const perJob: GeneratedQuestion[][] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      const job = jobs[i]!;
      if (options.signal?.aborted) throw new Error('question generation was cancelled');
      const mine: GeneratedQuestion[] = [];
      const base = { doc: job.doc, section: job.section };
      for (const text of pastedExamples(job.text, counts.pasted, hashOf(job.doc + job.section + i)))
        mine.push({ ...base, text, label: 'proprietary', source: 'pasted' });
      try {
        const answer = parseGeneratorAnswer(
          await askModel(generatorPrompt(job.doc, job.section, job.text, counts), options),
        );
        const add = (list: string[], label: GeneratedQuestion['label'], source: string, max: number) => {
          for (const text of list.slice(0, max)) mine.push({ ...base, text, label, source });
        };
        add(answer.employee, 'proprietary', 'employee', counts.employee);
        add(answer.nameless, 'proprietary', 'employee-nameless', counts.nameless);
        add(answer.public, 'public', 'public', counts.public);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        failures.push({
          doc: job.doc,
          section: job.section,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      perJob[i] = mine;
      options.onProgress?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  questions.push(...perJob.flat());
  return { questions: tidyQuestions(questions, options.caps), failures, sections: jobs.length };
}
