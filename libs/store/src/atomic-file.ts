import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { StoreDataError } from './problems.ts';

let counter = 0;
const tempName = (path: string) =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);

/**
 * Replaces a whole file so that readers see the old content or the new, never a mix: write a temporary
 * file in the same folder, flush it to disk, rename it over the target, flush the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempName(path);
  const handle = await open(tmp, 'w', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await syncDir(dirname(path));
}

/** Synchronous twin, for the few callers that must finish before the process exits. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw error;
  }
}

async function syncDir(dir: string): Promise<void> {
  // A rename is durable only once the folder is flushed; some file systems refuse to open a folder: skip.
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {}
}

/** Reads and validates a JSON file; `undefined` when absent, a StoreDataError naming the path when bad. */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonRecord(path, text, schema);
}

export function readJsonFileSync<S extends z.ZodType>(path: string, schema: S): z.output<S> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonRecord(path, text, schema);
}

export function parseJsonRecord<S extends z.ZodType>(path: string, text: string, schema: S, line?: number) {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StoreDataError({ path, line, message: 'not valid JSON (half-written or foreign file?)' });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new StoreDataError({
      path,
      line,
      message: `unexpected record${where}: ${issue?.message ?? 'invalid'}`,
    });
  }
  return result.data as z.output<S>;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
