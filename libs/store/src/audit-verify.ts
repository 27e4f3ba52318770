import { open, readdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { listDays, listPodFiles } from './audit.ts';
import {
  type ChainKey,
  checkSeal,
  readCheckpoint,
  readSealedFile,
  type SealCheck,
  safeJson,
  unseal,
} from './audit-chain.ts';
import type { StorePaths } from './paths.ts';
import {
  type AuditFinding,
  type AuditVerification,
  auditHeadSchema,
  auditRecordSchema,
  type ChainPoint,
} from './records.ts';

export interface VerifyOptions {
  key?: ChainKey;
  /** First and last day (YYYY-MM-DD) to check; the chain's link into `from` is then taken on trust. */
  from?: string;
  to?: string;
  ranBy?: string;
  requestedBy?: string | null;
  now?: () => number;
}

/** One line of a pod's log as verification sees it: its place and what the chain fields say. */
type Entry =
  | { kind: 'unreadable'; file: string; line: number; atEnd: boolean; why: string }
  | {
      kind: 'record';
      file: string;
      line: number;
      seq: number;
      prev: string | null;
      hash: string;
      seal: SealCheck;
    };
type ChainRecord = Extract<Entry, { kind: 'record' }>;

const MAX_LISTED = 100;

/**
 * Checks every pod's chain (docs/store.md, "Verification"). Breaks are tampering or loss, each named by
 * kind with file and line; notes are crash traces (a torn line, a chain resumed after it), not tampering.
 */
export async function verifyAudit(
  paths: StorePaths,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const now = options.now ?? Date.now;
  const started = now();
  const { key } = options;
  const rel = (path: string) => relative(paths.root, path);
  const breaks: AuditFinding[] = [];
  const notes: AuditFinding[] = [];
  const inRange = (d: string) => (!options.from || d >= options.from) && (!options.to || d <= options.to);
  const days = (await listDays(paths.auditDir)).reverse().filter(inRange);

  const cp = readCheckpoint(paths, key);
  if (cp && cp.check !== 'ok' && cp.check !== 'unchecked')
    breaks.push({
      kind: cp.check === 'unkeyed' ? 'rechained' : 'edited',
      pod: '',
      file: rel(paths.auditCheckpointFile),
      line: 1,
      message: 'the retention checkpoint does not match its seal',
    });
  const checkpoint = cp?.check === 'ok' || cp?.check === 'unchecked' ? cp.checkpoint : undefined;

  const podDays = new Map<string, string[]>();
  for (const day of days)
    for (const pod of await listPodFiles(paths.auditDayDir(day)))
      podDays.set(pod, [...(podDays.get(pod) ?? []), day]);
  // Heads are read before the logs: a head names only records already written, so a log read after it
  // holds at least those even while its router keeps appending (a line still being written is a `torn` note).
  const heads = new Map<string, ChainPoint>();
  for (const pod of await listHeadPods(paths)) {
    const sealed = readSealedFile(paths.auditHeadFile(pod), key);
    const head = sealed && auditHeadSchema.safeParse(safeJson(sealed.text));
    if (!sealed || !head?.success || (sealed.check !== 'ok' && sealed.check !== 'unchecked')) {
      breaks.push({
        kind: sealed?.check === 'unkeyed' ? 'rechained' : 'edited',
        pod,
        file: rel(paths.auditHeadFile(pod)),
        line: 1,
        message: "the pod's head file does not match its seal",
      });
      continue;
    }
    // A head outside the range names records the range does not hold: nothing to compare it with.
    if (!inRange(head.data.head.day)) continue;
    heads.set(pod, head.data.head);
    if (!podDays.has(pod)) podDays.set(pod, []);
  }

  let records = 0;
  let files = 0;
  let legacy = 0;
  for (const [pod, daysOfPod] of [...podDays].sort(([a], [b]) => a.localeCompare(b))) {
    const entries: Entry[] = [];
    for (const day of daysOfPod) {
      const path = paths.auditFile(day, pod);
      files++;
      let count = 0;
      for await (const { line, lineNo, atEnd } of linesOf(path)) {
        const entry = readEntry(line, rel(path), lineNo, atEnd, key);
        if (entry === 'legacy') legacy++;
        else entries.push(entry);
        // Hashing is CPU work: let a router that verifies while serving answer requests in between.
        if (++count % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    records += entries.filter((e) => e.kind === 'record').length;
    const start: ChainPoint | 'any' | null = options.from ? 'any' : (checkpoint?.pods[pod] ?? null);
    const head = heads.get(pod);
    walkChain(pod, entries, start, head, rel(paths.auditCheckpointFile), breaks, notes);
  }
  if (legacy > 0)
    notes.push({
      kind: 'legacy',
      pod: '',
      file: rel(paths.auditDir),
      line: 0,
      message: `${legacy} records from before the chain (v: 1) were read but cannot be verified`,
    });

  return {
    v: 1,
    ranAt: new Date(now()).toISOString(),
    ranBy: options.ranBy ?? 'audit verify',
    requestedBy: options.requestedBy ?? null,
    ok: breaks.length === 0,
    keyed: key !== undefined,
    from: options.from ?? null,
    to: options.to ?? null,
    pods: podDays.size,
    files,
    records,
    breaks: breaks.slice(0, MAX_LISTED),
    breakCount: breaks.length,
    notes: notes.slice(0, MAX_LISTED),
    durationMs: Math.max(0, now() - started),
  };
}

const CHUNK = 4 * 1024 * 1024;

/**
 * A file's non-empty lines with their 1-based numbers, read in 4 MiB chunks so a day's log of any size
 * never sits in memory whole; `atEnd` marks bytes after the last newline (a line still being written, or
 * torn).
 */
async function* linesOf(path: string): AsyncGenerator<{ line: Buffer; lineNo: number; atEnd: boolean }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    let carry: Buffer = Buffer.alloc(0);
    let lineNo = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const buf =
        carry.length > 0
          ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
          : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        lineNo++;
        if (nl > start) yield { line: buf.subarray(start, nl), lineNo, atEnd: false };
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
    if (carry.length > 0) yield { line: carry, lineNo: lineNo + 1, atEnd: true };
  } finally {
    await handle.close();
  }
}

async function listHeadPods(paths: StorePaths): Promise<string[]> {
  const dir = dirname(paths.auditHeadFile('x'));
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function readEntry(
  line: Buffer,
  file: string,
  lineNo: number,
  atEnd: boolean,
  key: ChainKey,
): Entry | 'legacy' {
  const unreadable = (why: string): Entry => ({ kind: 'unreadable', file, line: lineNo, atEnd, why });
  const parsed = safeJson(line.toString('utf8'));
  if (parsed === undefined) return unreadable('not JSON');
  const record = auditRecordSchema.safeParse(parsed);
  if (!record.success)
    return unreadable(`not an audit record: ${record.error.issues[0]?.message ?? 'invalid'}`);
  const r = record.data;
  if (r.v === 1) return 'legacy';
  const sealed = unseal(line, 'hash');
  if (!sealed || sealed.claimed !== r.hash) return unreadable('its hash is not the last member');
  return {
    kind: 'record',
    file,
    line: lineNo,
    seq: r.seq as number,
    prev: r.prev ?? null,
    hash: r.hash as string,
    seal: checkSeal(sealed.canonical, sealed.claimed, key),
  };
}

const sealHolds = (e: ChainRecord) => e.seal === 'ok' || e.seal === 'unchecked';
/** A chain position and where it was read, for messages. */
type Point = ChainPoint & { where: string };
const follows = (last: ChainPoint | null, e: ChainRecord) =>
  last ? e.seq === last.seq + 1 && e.prev === last.hash : e.seq === 0 && e.prev === null;

/**
 * Walks one pod's lines in order, holding the last record accepted into the chain, and names each place where
 * the next line does not follow it. `start` is the checkpoint (or null: the chain starts at 0; 'any': a range
 * that starts mid-chain); `head` the pod's head file, which shows records cut from the end.
 */
function walkChain(
  pod: string,
  entries: Entry[],
  start: ChainPoint | 'any' | null,
  head: ChainPoint | undefined,
  checkpointFile: string,
  breaks: AuditFinding[],
  notes: AuditFinding[],
) {
  const at = (e: Entry) => `${e.file}:${e.line}`;
  const report = (list: AuditFinding[], kind: AuditFinding['kind'], e: Entry, message: string) =>
    list.push({ kind, pod, file: e.file, line: e.line, message });
  let last: Point | null =
    start && start !== 'any' ? { ...start, where: `${checkpointFile} (retention checkpoint)` } : null;
  let anyStart = start === 'any';
  const consumed = new Set<number>();
  const displaced = new Set<number>();
  let pending: Extract<Entry, { kind: 'unreadable' }> | undefined;
  const accept = (e: ChainRecord) => {
    last = { seq: e.seq, hash: e.hash, day: '', where: at(e) };
    anyStart = false;
  };
  const linked = (e: ChainRecord) => anyStart || follows(last, e);
  // Where each seq and each hash stands, so looking ahead for a moved record costs a lookup, not a scan.
  const positions = new Map<string, number[]>();
  entries.forEach((c, j) => {
    if (c.kind !== 'record') return;
    for (const key of [`seq ${c.seq}`, `hash ${c.hash}`]) {
      const list = positions.get(key);
      if (list) list.push(j);
      else positions.set(key, [j]);
    }
  });
  const later = (key: string, i: number, fits: (c: ChainRecord) => boolean) =>
    positions.get(key)?.find((j) => j > i && !consumed.has(j) && fits(entries[j] as ChainRecord));
  /** A genuine record whose predecessor stands further down: moved, not forged. */
  const belongsLater = (i: number, e: ChainRecord) =>
    sealHolds(e) && e.prev !== null && later(`hash ${e.prev}`, i, (c) => c.seq === e.seq - 1) !== undefined;
  const nextRecord = (from: number): [number, ChainRecord] | undefined => {
    for (let j = from; j < entries.length; j++) {
      const e = entries[j] as Entry;
      if (!consumed.has(j) && e.kind === 'record') return [j, e];
    }
    return undefined;
  };
  /** Records from `i` on that link to each other but whose seals fail: one re-chaining, reported once. */
  const rechainedRun = (i: number, first: ChainRecord) => {
    let end = first;
    let count = 1;
    consumed.add(i);
    for (
      let n = nextRecord(i + 1);
      n && n[1].prev === end.hash && n[1].seq === end.seq + 1 && !sealHolds(n[1]);
    ) {
      consumed.add(n[0]);
      end = n[1];
      count++;
      n = nextRecord(n[0] + 1);
    }
    report(
      breaks,
      'rechained',
      first,
      `${count} record${count === 1 ? '' : 's'} from here ${count === 1 ? 'was' : 'were'} re-hashed ` +
        (first.seal === 'unkeyed'
          ? 'with plain SHA-256, without the key'
          : 'with a key that is not AUDIT_HMAC_KEY') +
        ` (through ${at(end)})`,
    );
    accept(end);
  };

  for (let i = 0; i < entries.length; i++) {
    if (consumed.has(i)) continue;
    const e = entries[i] as Entry;
    if (e.kind === 'unreadable') {
      if (e.atEnd) report(notes, 'torn', e, 'torn last line: a crash while writing (not tampering)');
      else if (pending) report(breaks, 'edited', pending, `unreadable line (${pending.why})`);
      if (!e.atEnd) pending = e;
      continue;
    }
    const n = nextRecord(i + 1);
    if (pending) {
      if (linked(e)) {
        report(notes, 'torn', pending, 'a line torn by a crash (not tampering)');
        report(
          notes,
          'resumed',
          e,
          `the chain resumes here after the crash, from the last complete record${last ? ` (${last.where})` : ''}`,
        );
      } else {
        report(
          breaks,
          'edited',
          pending,
          `unreadable line (${pending.why}), and the chain does not resume after it`,
        );
        // The unreadable line stands in for the record it replaced: the next one may follow that record.
        if (last && e.seq === last.seq + 2)
          last = { seq: e.seq - 1, hash: e.prev ?? '', day: '', where: at(pending) };
      }
      pending = undefined;
    }
    if (
      !(linked(e) && sealHolds(e)) &&
      !displaced.has(i) &&
      !belongsLater(i, e) &&
      last &&
      n &&
      follows(last, n[1])
    ) {
      report(
        breaks,
        'inserted',
        e,
        `a line that is not part of the chain: ${at(n[1])} follows ${last.where}`,
      );
      continue;
    }
    if (linked(e)) {
      if (e.seal === 'unkeyed') rechainedRun(i, e);
      else if (e.seal === 'bad' && n && n[1].prev === e.hash && n[1].seq === e.seq + 1 && !sealHolds(n[1]))
        rechainedRun(i, e);
      else {
        if (e.seal === 'bad')
          report(
            breaks,
            'edited',
            e,
            'the record was changed after it was written (its hash does not match its bytes)',
          );
        accept(e);
      }
      continue;
    }
    const expected = last ? last.seq + 1 : 0;
    if (last && e.seq <= last.seq) {
      report(
        breaks,
        'inserted',
        e,
        `seq ${e.seq} repeats or goes back (chain is at ${last.seq}): a forged or replayed line`,
      );
      continue;
    }
    if (e.seq > expected) {
      const found = later(`seq ${expected}`, i, () => true);
      if (found !== undefined) {
        const moved = entries[found] as ChainRecord;
        if (!displaced.has(i))
          report(
            breaks,
            'reordered',
            e,
            `out of order: seq ${e.seq} stands before seq ${expected} (${at(moved)})`,
          );
        displaced.add(i);
        consumed.add(found);
        if (!sealHolds(moved)) report(breaks, 'edited', moved, 'the record was changed after it was written');
        accept(moved);
        i--; // look at this line again, now that the record it should follow is in place
        continue;
      }
      const gap = e.seq - expected;
      const betweenFiles = e.line === 1 && last && !last.where.startsWith(e.file);
      report(
        breaks,
        'removed',
        e,
        `${gap} record${gap === 1 ? '' : 's'} missing before this line (seq ${expected}${gap > 1 ? `..${e.seq - 1}` : ''})` +
          (last ? `, after ${last.where}` : ', at the start of the chain') +
          (betweenFiles ? ': a whole day file, or the end of one, was removed' : ''),
      );
      if (!sealHolds(e)) report(breaks, 'edited', e, 'the record was changed after it was written');
      accept(e);
      continue;
    }
    if (sealHolds(e) && last)
      report(
        breaks,
        'rechained',
        e,
        `still points at the original of ${last.where}, which was re-hashed since`,
      );
    else
      report(breaks, 'edited', e, `does not link to the record before it${last ? ` (${last.where})` : ''}`);
    accept(e);
  }
  if (pending)
    report(notes, 'torn', pending, 'a line torn by a crash, at the end of the log (not tampering)');
  const tail: Point | null = last;
  if (head && (!tail || head.seq > tail.seq)) {
    const lastEntry = entries[entries.length - 1];
    breaks.push({
      kind: 'truncated',
      pod,
      file: lastEntry?.file ?? '',
      line: lastEntry?.line ?? 0,
      message: `the pod's head says its chain reached seq ${head.seq} (${head.day}), the log ends at ${tail ? `seq ${tail.seq}` : 'nothing'}: ${head.seq - (tail?.seq ?? -1)} records cut from the end`,
    });
  }
}
