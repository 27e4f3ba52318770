/**
 * The dev stack's demo head: when the data folder has no promoted head, `bun run dev` trains one from the
 * built-in demo corpus (three short documents of a fictional company, `scripts/dev/demo-corpus/`) plus the
 * shipped negative sets, and promotes it, so that `hello` goes to Claude and a demo codeword goes local on
 * first start. It is a demo: train a real head from your own documents in the console's Training view.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../../libs/store/src/index.ts';
import { saveHead, trainHead } from '../../libs/training/src/index.ts';

export const DEMO_CORPUS_DIR = join(import.meta.dir, 'demo-corpus');
export const DEMO_HEAD_PREFIX = 'demo-';
/** A sample of the general set keeps first start short (about 10 s of embedding on 2 cores). */
const DEMO_GENERAL_NEGATIVES = 1500;

export async function demoDocuments(): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(DEMO_CORPUS_DIR)).filter((n) => n.endsWith('.md')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: await Bun.file(join(DEMO_CORPUS_DIR, name)).text() })),
  );
}

/**
 * Trains, saves and promotes the demo head unless a head is already current. Returns the version it
 * promoted, or undefined when a head was already in force (the operator's own, or an earlier demo head).
 */
export async function ensureDemoHead(
  store: Store,
  classifierUrl: string,
  onProgress: (message: string) => void = () => {},
): Promise<string | undefined> {
  if (await store.heads.pointer()) return undefined;
  const now = new Date();
  const version = `${DEMO_HEAD_PREFIX}${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
  let lastStage = '';
  const trained = await trainHead(
    { documents: await demoDocuments(), labels: [], maxGeneralNegatives: DEMO_GENERAL_NEGATIVES },
    {
      classifierUrl,
      version,
      now,
      onProgress: (stage) => {
        if (stage !== lastStage) onProgress(`demo head: ${stage}`);
        lastStage = stage;
      },
    },
  );
  await saveHead(store, trained.head);
  await store.heads.promote(version, 'dev-demo');
  return version;
}
