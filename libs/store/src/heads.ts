import { readdir } from 'node:fs/promises';
import { readJsonFile, writeJsonAtomic } from './atomic-file.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink, StoreDataError } from './problems.ts';
import { type Head, type HeadPointer, headPointerSchema, headSchema } from './records.ts';

/** Trained heads by version, and the `current` pointer that every classifier replica follows. */
export class HeadStore {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  /** Saves a new head; versions are immutable, so saving an existing version is refused. */
  async save(head: Head): Promise<void> {
    const valid = headSchema.parse(head);
    if (await this.exists(valid.version)) throw new Error(`head ${valid.version} already exists`);
    await writeJsonAtomic(this.paths.headFile(valid.version), valid);
  }

  /** Reads a head; a missing file gives undefined, a bad one throws StoreDataError naming the problem. */
  async read(version: string): Promise<Head | undefined> {
    return readJsonFile(this.paths.headFile(version), headSchema);
  }

  async exists(version: string): Promise<boolean> {
    return Bun.file(this.paths.headFile(version)).exists();
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.paths.headsDir))
        .filter((f) => f.endsWith('.json') && f !== 'current.json' && !f.startsWith('.'))
        .map((f) => f.slice(0, -5))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async pointer(): Promise<HeadPointer | undefined> {
    try {
      return await readJsonFile(this.paths.headPointerFile, headPointerSchema);
    } catch (error) {
      if (!(error instanceof StoreDataError)) throw error;
      this.onProblem(error.problem);
      return undefined;
    }
  }

  /** The current head, or undefined when none is promoted. Throws StoreDataError if it is unreadable. */
  async current(): Promise<Head | undefined> {
    const pointer = await this.pointer();
    return pointer ? this.read(pointer.current) : undefined;
  }

  /** Makes `version` current; the previous current goes on the history for rollback. */
  async promote(version: string, by: string, now = new Date()): Promise<HeadPointer> {
    const head = await this.read(version);
    if (!head) throw new Error(`no head ${version}`);
    const before = await this.pointer();
    const history =
      before && before.current !== version ? [...before.history, before.current] : (before?.history ?? []);
    const pointer: HeadPointer = {
      v: 1,
      current: version,
      history,
      updatedAt: now.toISOString(),
      updatedBy: by,
    };
    await writeJsonAtomic(this.paths.headPointerFile, pointer);
    return pointer;
  }

  /** Goes back to the head that was current before the present one. */
  async rollback(by: string, now = new Date()): Promise<HeadPointer> {
    const before = await this.pointer();
    const previous = before?.history.at(-1);
    if (!before || !previous) throw new Error('there is no earlier head to roll back to');
    const pointer: HeadPointer = {
      v: 1,
      current: previous,
      history: before.history.slice(0, -1),
      updatedAt: now.toISOString(),
      updatedBy: by,
    };
    await writeJsonAtomic(this.paths.headPointerFile, pointer);
    return pointer;
  }
}
