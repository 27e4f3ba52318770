/**
 * Headless training (docs/training.md): the console's code path without the console.
 *
 *   bun run train -- --docs DIR [--public-docs DIR] [--labels FILE] [--synthetic FILE] [--data-dir D]
 *                    [--promote] [--target-recall R] [--classifier-url URL] [--threshold T] [--max-general N]
 *
 * Documents are read and checked as the console's upload reads them; with --data-dir, the store's own
 * documents, labels and generated questions join the run, the head is saved there, recent audited traffic is
 * replayed through it, and --promote makes it current. Embeddings come from --classifier-url, or from a
 * classifier started in this process with the provisioned model.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadClassifierConfig } from '../libs/config/src/index.ts';
import { createLogger } from '../libs/http/src/index.ts';
import { type Label, openStore } from '../libs/store/src/index.ts';
import {
  formatReplaySummary,
  formatTrainingSummary,
  readGeneratedQuestionsFile,
  replayRecent,
  type TrainingDocument,
  type TrainingInput,
  trainHead,
  trainingInputFromStore,
} from '../libs/training/src/index.ts';
import { startClassifier } from '../apps/classifier/src/start.ts';
import { claimedType, extractDocumentText } from '../apps/ui/src/server/documents/extract-text.ts';

export class UsageError extends Error {}

const USAGE =
  'usage: bun run train -- --docs DIR [--public-docs DIR] [--labels FILE] [--synthetic FILE] [--data-dir D] [--promote] [--target-recall R] [--classifier-url URL] [--threshold T] [--max-general N]';

export interface TrainArgs {
  docs: string;
  publicDocs?: string;
  labels?: string;
  synthetic?: string;
  dataDir?: string;
  promote: boolean;
  targetRecall?: number;
  classifierUrl?: string;
  threshold: number;
  /** Use at most this many of the shipped everyday prompts (default: the training library's). */
  maxGeneral?: number;
}

export function parseTrainArgs(argv: string[]): TrainArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        docs: { type: 'string' },
        'public-docs': { type: 'string' },
        labels: { type: 'string' },
        synthetic: { type: 'string' },
        'data-dir': { type: 'string' },
        promote: { type: 'boolean', default: false },
        'target-recall': { type: 'string' },
        'classifier-url': { type: 'string' },
        threshold: { type: 'string' },
        'max-general': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (typeof values.docs !== 'string') throw new UsageError(`--docs DIR is required\n${USAGE}`);
  if (values.promote && typeof values['data-dir'] !== 'string')
    throw new UsageError('--promote needs --data-dir: the head is promoted in that store');
  const number = (name: string, min: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a number from ${min} to ${max} (got ${raw})`);
    return n;
  };
  return {
    docs: values.docs,
    publicDocs: values['public-docs'] as string | undefined,
    labels: values.labels as string | undefined,
    synthetic: values.synthetic as string | undefined,
    dataDir: values['data-dir'] as string | undefined,
    promote: values.promote === true,
    targetRecall: number('target-recall', 0.5, 1),
    classifierUrl: values['classifier-url'] as string | undefined,
    threshold: number('threshold', 0, 1) ?? Number(process.env.CLASSIFIER_THRESHOLD ?? 0.4),
    maxGeneral: number('max-general', 10, 100_000),
  };
}

/** Reads every document in a folder as the console's upload would (text, Markdown, HTML, PDF). */
export async function readDocumentFolder(dir: string, isPublic: boolean): Promise<TrainingDocument[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const docs: TrainingDocument[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
    try {
      const extracted = await extractDocumentText(name, bytes);
      // HTML keeps its markup so tables become sentences row by row (as the console trains from the original).
      const text = claimedType(name) === 'text/html' ? new TextDecoder().decode(bytes) : extracted.text;
      docs.push({ name, text, format: extracted.type, public: isPublic });
    } catch (error) {
      throw new UsageError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (docs.length === 0) throw new UsageError(`${dir} holds no documents (.txt, .md, .html, .pdf)`);
  return docs;
}

/** Labels as the console exports them: one JSON object per line with at least text and label. */
export async function readLabelsFile(path: string): Promise<Pick<Label, 'text' | 'label'>[]> {
  const file = Bun.file(path);
  if (!(await file.exists())) throw new UsageError(`${path}: no such file`);
  return (await file.text())
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter((l) => l.line !== '')
    .map(({ line, n }) => {
      let value: { text?: unknown; label?: unknown };
      try {
        value = JSON.parse(line);
      } catch {
        throw new UsageError(`${path} line ${n}: not JSON`);
      }
      if (typeof value.text !== 'string' || value.text.trim() === '')
        throw new UsageError(`${path} line ${n}: "text" must be a non-empty string`);
      if (value.label !== 'proprietary' && value.label !== 'public')
        throw new UsageError(`${path} line ${n}: "label" must be "proprietary" or "public"`);
      return { text: value.text, label: value.label };
    });
}

export async function runTrain(args: TrainArgs, print: (line: string) => void = console.log) {
  const input: TrainingInput = {
    maxGeneralNegatives: args.maxGeneral,
    documents: await readDocumentFolder(args.docs, false),
    labels: args.labels ? await readLabelsFile(args.labels) : [],
    generated: args.synthetic
      ? await readGeneratedQuestionsFile(args.synthetic).catch((error: Error) => {
          throw new UsageError(error.message);
        })
      : [],
  };
  if (args.publicDocs) input.documents.push(...(await readDocumentFolder(args.publicDocs, true)));
  const store = args.dataDir ? openStore(args.dataDir) : undefined;
  if (store) {
    const stored = await trainingInputFromStore(store);
    input.documents.push(...stored.documents);
    input.labels.push(...stored.labels);
    input.generated!.push(...(stored.generated ?? []));
  }

  let classifierUrl = args.classifierUrl;
  let stopClassifier = async () => {};
  if (!classifierUrl) {
    const config = { ...loadClassifierConfig(process.env), port: 0, logLevel: 'error' as const };
    const running = await startClassifier(config, createLogger('classifier', 'error'));
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: running.app.fetch });
    classifierUrl = `http://127.0.0.1:${server.port}`;
    stopClassifier = async () => {
      await server.stop(true);
      await running.stop();
    };
  }
  try {
    const started = performance.now();
    let lastStage = '';
    const result = await trainHead(input, {
      classifierUrl,
      targetRecall: args.targetRecall,
      onProgress: (stage, done, total) => {
        if (stage !== lastStage) print(`${stage}${total > 1 ? ` (${total})` : ''}...`);
        lastStage = stage;
        void done;
      },
    });
    print(formatTrainingSummary(result, args.threshold));
    print(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (!store) {
      print('not saved: pass --data-dir to save the head in a store');
      return result;
    }
    await store.heads.save(result.head);
    print(`saved head ${result.head.version} in ${store.paths.headsDir}`);
    print(
      formatReplaySummary(
        await replayRecent(store, result.head, { classifierUrl, threshold: args.threshold }),
      ),
    );
    if (args.promote) {
      await store.heads.promote(result.head.version, process.env.USER ?? 'cli');
      print(`promoted ${result.head.version}: classifier replicas pick it up within their poll interval`);
      if (args.classifierUrl)
        await fetch(new URL('/reload', args.classifierUrl), { method: 'POST' }).catch(() => {});
    }
    return result;
  } finally {
    await stopClassifier();
  }
}

if (import.meta.main) {
  try {
    await runTrain(parseTrainArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof UsageError ? error.message : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  }
}
