import {
  closeSync,
  fstatSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { parseJsonRecord } from './atomic-file.ts';
import { logProblem, type ProblemSink, StoreDataError } from './problems.ts';
import { dayOf } from './safe-id.ts';

/**
 * Appends JSON records, one line each, to a file owned by this process alone (one file per pod per day).
 * Each record goes out in a single write() on an O_APPEND descriptor, so a kill at any moment leaves at
 * most the record being written torn, and readers skip a torn last line. Data is flushed to disk at most
 * `fsyncIntervalMs` after it was written (plus the flush's own time) and on close. The periodic flush runs
 * off the event loop: an fsync of a second of busy appends takes milliseconds, and a server waiting for
 * it would add them to every request that arrives meanwhile.
 */
export class JsonlAppender {
  private fd: number | undefined;
  private openPath: string | undefined;
  private dirty = false;
  private syncing = false;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly pathForDay: (day: string) => string,
    private readonly options: { now?: () => number; fsyncIntervalMs?: number } = {},
  ) {
    const interval = options.fsyncIntervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => this.flushInBackground(), interval);
      this.timer.unref?.();
    }
  }

  append(record: unknown): void {
    this.write(`${JSON.stringify(record)}\n`);
  }

  /**
   * Records that were all waiting at once, in one write(): a kill loses nothing more than with one write
   * each (what was not yet written was only in memory either way) and costs one system call.
   */
  appendMany(records: readonly unknown[]): void {
    let lines = '';
    for (const record of records) lines += `${JSON.stringify(record)}\n`;
    if (lines) this.write(lines);
  }

  /** Lines already serialised, each ending in a newline, in one write(); returns the day written to. */
  appendLines(lines: string): string {
    return this.write(lines);
  }

  private write(lines: string): string {
    const day = dayOf(this.options.now?.() ?? Date.now());
    const path = this.pathForDay(day);
    if (path !== this.openPath) this.reopen(path);
    writeSync(this.fd!, lines);
    this.dirty = true;
    return day;
  }

  /** Flushes what was written so far without blocking the event loop (the audit head waits for it). */
  async flushAsync(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return;
    await new Promise<void>((done, fail) => fsync(fd, (error) => (error ? fail(error) : done())));
  }

  flush(): void {
    // A background flush still under way may not have covered everything yet (or may fail): sync here too.
    if (this.fd !== undefined && (this.dirty || this.syncing)) {
      fsyncSync(this.fd);
      this.dirty = false;
    }
  }

  /** The periodic flush, on the runtime's worker threads; a failed one is tried again next time. */
  private flushInBackground(): void {
    if (this.fd === undefined || !this.dirty || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fsync(this.fd, (error) => {
      this.syncing = false;
      if (error && this.fd !== undefined) this.dirty = true;
    });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.fd !== undefined) {
      this.flush();
      closeSync(this.fd);
      this.fd = undefined;
      this.openPath = undefined;
    }
  }

  private reopen(path: string) {
    if (this.fd !== undefined) {
      this.flush();
      closeSync(this.fd);
    }
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a+', 0o640);
    this.openPath = path;
    // A record torn by an earlier crash must not glue itself to the next one: end it with a newline so
    // readers see it as one bad line, report it and skip it.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
  }
}

export interface PodWriterOptions {
  now?: () => number;
  fsyncIntervalMs?: number;
  /**
   * `false` skips the schema check on append, for records built by trusted, typed code on a hot path
   * (readers still validate every line); the default checks every record.
   */
  validate?: boolean;
}

export interface PodWriter<T> {
  append(record: T): void;
  /** Several records in one write (see JsonlAppender.appendMany). */
  appendMany(records: readonly T[]): void;
  flush(): void;
  close(): void;
}

/** One pod's daily JSONL writer for records of one schema (the audit log and the usage ledger). */
export function podWriter<S extends z.ZodType>(
  pathForDay: (day: string) => string,
  schema: S,
  options: PodWriterOptions = {},
): PodWriter<z.output<S>> {
  const appender = new JsonlAppender(pathForDay, options);
  return {
    append: (record) => appender.append(options.validate === false ? record : schema.parse(record)),
    appendMany: (records) =>
      appender.appendMany(options.validate === false ? records : records.map((r) => schema.parse(r))),
    flush: () => appender.flush(),
    close: () => appender.close(),
  };
}

export interface LineAt {
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** 1-based line number when reading forward; undefined when reading backward. */
  lineNo?: number;
}

/**
 * Reads complete lines forward from `fromOffset`. Bytes after the last newline (a record still being
 * written, or torn by a crash) are not returned; `nextOffset` points at them so a later call resumes there.
 */
export async function readLinesForward(
  path: string,
  fromOffset = 0,
  /** Read no further than this byte offset (a line cut by it is left for later, like a torn one). */
  toOffset = Number.POSITIVE_INFINITY,
): Promise<{ lines: LineAt[]; nextOffset: number }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], nextOffset: fromOffset };
    throw error;
  }
  try {
    const size = Math.min((await handle.stat()).size, toOffset);
    if (size <= fromOffset) return { lines: [], nextOffset: fromOffset };
    const buf = Buffer.alloc(size - fromOffset);
    await handle.read(buf, 0, buf.length, fromOffset);
    const lines: LineAt[] = [];
    let start = 0;
    let lineNo = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 0x0a) {
        lineNo++;
        if (i > start)
          lines.push({ text: buf.toString('utf8', start, i), offset: fromOffset + start, lineNo });
        start = i + 1;
      }
    }
    return { lines, nextOffset: fromOffset + start };
  } finally {
    await handle.close();
  }
}

/**
 * Reads complete lines backward, newest first, from before byte `endOffset` (a line start, as returned in
 * `offset`; default: the end of the file minus any torn last line). Reads fixed-size chunks from the end,
 * so a page costs what it returns, not the size of the file.
 */
export async function* readLinesBackward(
  path: string,
  endOffset?: number,
  chunkSize = 64 * 1024,
): AsyncGenerator<LineAt> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    let pos =
      endOffset === undefined
        ? await endOfLastCompleteLine(handle, size, chunkSize)
        : Math.min(endOffset, size);
    // `pending` holds bytes [pos, pos + pending.length): the start of a line whose beginning is further back.
    let pending: Buffer = Buffer.alloc(0);
    while (pos > 0) {
      const readLen = Math.min(chunkSize, pos);
      const chunk = Buffer.alloc(readLen);
      await handle.read(chunk, 0, readLen, pos - readLen);
      pos -= readLen;
      const buf = pending.length > 0 ? Buffer.concat([chunk, pending]) : chunk;
      let lineEnd = buf.length;
      for (let i = buf.length - 1; i >= 0; i--) {
        if (buf[i] !== 0x0a) continue;
        if (lineEnd > i + 1) yield { text: buf.toString('utf8', i + 1, lineEnd), offset: pos + i + 1 };
        lineEnd = i;
      }
      pending = buf.subarray(0, lineEnd);
    }
    if (pending.length > 0) yield { text: pending.toString('utf8'), offset: 0 };
  } finally {
    await handle.close();
  }
}

async function endOfLastCompleteLine(
  handle: Awaited<ReturnType<typeof open>>,
  size: number,
  chunkSize: number,
): Promise<number> {
  let pos = size;
  while (pos > 0) {
    const readLen = Math.min(chunkSize, pos);
    const chunk = Buffer.alloc(readLen);
    await handle.read(chunk, 0, readLen, pos - readLen);
    const nl = chunk.lastIndexOf(0x0a);
    if (nl !== -1) return pos - readLen + nl + 1;
    pos -= readLen;
  }
  return 0;
}

/** Parses one JSONL line against a schema; bad lines go to `onProblem` and come back as undefined. */
export function parseLine<S extends z.ZodType>(
  path: string,
  line: LineAt,
  schema: S,
  onProblem: ProblemSink = logProblem,
): z.output<S> | undefined {
  try {
    return parseJsonRecord(path, line.text, schema, line.lineNo);
  } catch (error) {
    if (error instanceof StoreDataError) {
      onProblem({ ...error.problem, message: `${error.problem.message} (byte ${line.offset})` });
      return undefined;
    }
    throw error;
  }
}

/** Every valid record of a JSONL file, oldest first; bad lines reported and skipped, a torn last line ignored. */
export async function readJsonl<S extends z.ZodType>(
  path: string,
  schema: S,
  onProblem: ProblemSink = logProblem,
): Promise<z.output<S>[]> {
  const { lines } = await readLinesForward(path);
  const out: z.output<S>[] = [];
  for (const line of lines) {
    const record = parseLine(path, line, schema, onProblem);
    if (record !== undefined) out.push(record);
  }
  return out;
}

/**
 * Complete lines of a file, newest first, read synchronously in chunks from the end; the bytes after the last
 * newline (a torn record) are skipped. For the few reads that must finish before the next append.
 */
export function* readLinesBackwardSync(path: string, chunkSize = 64 * 1024): Generator<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    let pos = fstatSync(fd).size;
    let pending: Buffer = Buffer.alloc(0);
    let sawNewline = false;
    while (pos > 0) {
      const readLen = Math.min(chunkSize, pos);
      const chunk = Buffer.alloc(readLen);
      readSync(fd, chunk, 0, readLen, pos - readLen);
      pos -= readLen;
      const buf = pending.length > 0 ? Buffer.concat([chunk, pending]) : chunk;
      let lineEnd = buf.length;
      for (let i = buf.length - 1; i >= 0; i--) {
        if (buf[i] !== 0x0a) continue;
        if (sawNewline && lineEnd > i + 1) yield buf.toString('utf8', i + 1, lineEnd);
        sawNewline = true;
        lineEnd = i;
      }
      pending = buf.subarray(0, lineEnd);
    }
    if (sawNewline && pending.length > 0) yield pending.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A file's size now, 0 when it does not exist yet (read synchronously, so no append can come between). */
export function fileSizeNow(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
