import { readdir } from 'node:fs/promises';
import { AuditChainWriter, type AuditWriterOptions, type ChainKey } from './audit-chain.ts';
import { applyAuditRetention } from './audit-retention.ts';
import { type VerifyOptions, verifyAudit } from './audit-verify.ts';
import { readJsonFile, writeJsonAtomic } from './atomic-file.ts';
import { type LineAt, parseLine, readLinesBackward } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink } from './problems.ts';
import {
  type AuditRecord,
  type AuditVerification,
  auditRecordSchema,
  auditVerificationSchema,
  auditVerifyRequestSchema,
} from './records.ts';
import { assertSafeId } from './safe-id.ts';

/** Where a page of the audit log stopped: the day being read and, per pod file, the next line's end. */
interface AuditCursor {
  day: string;
  offsets: Record<string, number>;
}

export interface AuditPage {
  records: AuditRecord[];
  /** Pass back to get the next (older) page; null at the start of the log. */
  nextCursor: string | null;
}

/** The audit log: one JSONL file per router pod per day, read newest first across pods and days. */
export class AuditLog {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  /** This pod's chaining appender (see AuditWriterOptions: the key, and PodWriterOptions for `validate`). */
  writer(pod: string, options: AuditWriterOptions = {}): AuditChainWriter {
    return new AuditChainWriter(this.paths, pod, options);
  }

  /** Checks every pod's chain; see audit-verify.ts. */
  verify(options: VerifyOptions = {}): Promise<AuditVerification> {
    return verifyAudit(this.paths, options);
  }

  /** Removes day folders past the window, leaving a checkpoint; see audit-retention.ts. */
  applyRetention(options: { days: number; key: ChainKey; now?: () => number }) {
    return applyAuditRetention(this.paths, options);
  }

  async lastVerification(): Promise<AuditVerification | undefined> {
    return readJsonFile(this.paths.auditVerificationFile, auditVerificationSchema);
  }

  async saveVerification(result: AuditVerification): Promise<void> {
    await writeJsonAtomic(this.paths.auditVerificationFile, auditVerificationSchema.parse(result));
  }

  /** An admin asks for a verification; a router (which holds the key) runs it. */
  async requestVerification(requestedBy: string, now = Date.now()) {
    const request = { v: 1 as const, requestedAt: new Date(now).toISOString(), requestedBy };
    await writeJsonAtomic(this.paths.auditVerifyRequestFile, auditVerifyRequestSchema.parse(request));
    return request;
  }

  async verifyRequest() {
    return readJsonFile(this.paths.auditVerifyRequestFile, auditVerifyRequestSchema);
  }

  async days(): Promise<string[]> {
    return listDays(this.paths.auditDir);
  }

  /**
   * A page of records, newest first, optionally filtered. Reads pod files backward and merges them by
   * time, so the cost is about the records scanned, not the size of the log.
   */
  async page(options: { limit: number; cursor?: string | null; filter?: (r: AuditRecord) => boolean }) {
    const limit = Math.max(1, Math.min(options.limit, 1000));
    const start = options.cursor ? decodeCursor(options.cursor) : undefined;
    const days = (await this.days()).filter((d) => !start || d <= start.day);
    const records: AuditRecord[] = [];
    for (const day of days) {
      const offsets = start && day === start.day ? { ...start.offsets } : {};
      const pods = await listPodFiles(this.paths.auditDayDir(day));
      const heads = await Promise.all(
        pods.map(async (pod) => {
          const path = this.paths.auditFile(day, pod);
          const lines = readLinesBackward(path, offsets[pod]);
          return { pod, path, lines, current: await this.nextRecord(path, lines) };
        }),
      );
      for (;;) {
        let best: (typeof heads)[number] | undefined;
        for (const h of heads) {
          if (h.current && (!best?.current || h.current.record.time > best.current.record.time)) best = h;
        }
        if (!best?.current) break;
        const { record, offset } = best.current;
        offsets[best.pod] = offset;
        if (!options.filter || options.filter(record)) {
          records.push(record);
          if (records.length === limit) {
            await Promise.all(heads.map((h) => h.lines.return(undefined)));
            return { records, nextCursor: encodeCursor({ day, offsets }) } satisfies AuditPage;
          }
        }
        best.current = await this.nextRecord(best.path, best.lines);
      }
    }
    return { records, nextCursor: null } satisfies AuditPage;
  }

  /**
   * Finds one record by request id, scanning newest first. With the record's `time` as a hint (a list row
   * has it), the scan starts at that day and stops at the first record older than it, so opening a row
   * costs about the records of its day written after it, not the whole log; a wrong hint falls back to the
   * full scan.
   */
  async find(id: string, hint: { time?: string } = {}): Promise<AuditRecord | undefined> {
    const day = hint.time?.slice(0, 10);
    if (hint.time && day && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
      const time = hint.time;
      const near = await this.page({
        limit: 1,
        cursor: encodeCursor({ day, offsets: {} }),
        filter: (r) => r.id === id || r.time < time,
      });
      if (near.records[0]?.id === id) return near.records[0];
    }
    let cursor: string | null = null;
    do {
      const page: AuditPage = await this.page({ limit: 1000, cursor, filter: (r) => r.id === id });
      if (page.records[0]) return page.records[0];
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }

  private async nextRecord(path: string, lines: AsyncGenerator<LineAt>) {
    for (;;) {
      const next = await lines.next();
      if (next.done) return undefined;
      const record = parseLine(path, next.value, auditRecordSchema, this.onProblem);
      if (record) return { record, offset: next.value.offset };
    }
  }
}

export async function listDays(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
      .sort((a, b) => b.localeCompare(a));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function listPodFiles(dayDir: string): Promise<string[]> {
  try {
    return (await readdir(dayDir))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function encodeCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): AuditCursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as AuditCursor;
    if (typeof c.day !== 'string' || typeof c.offsets !== 'object' || c.offsets === null) throw new Error();
    for (const [pod, off] of Object.entries(c.offsets)) {
      assertSafeId(pod, 'pod name');
      if (!Number.isInteger(off) || off < 0) throw new Error();
    }
    return c;
  } catch {
    throw new InvalidCursorError();
  }
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid paging cursor');
    this.name = 'InvalidCursorError';
  }
}
