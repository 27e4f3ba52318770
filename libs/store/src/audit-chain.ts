import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-file.ts';
import { JsonlAppender, type PodWriter, type PodWriterOptions, readLinesBackwardSync } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import {
  type AuditCheckpoint,
  type AuditEntry,
  type AuditRecord,
  auditCheckpointSchema,
  auditRecordSchema,
  type ChainPoint,
} from './records.ts';
import { assertSafeId } from './safe-id.ts';

/**
 * The audit hash chain (docs/store.md). A record's canonical bytes are its line without the last member,
 * `"hash"`: the UTF-8 of JSON.stringify of the record's other members in the order written, closed by `}`.
 * The hash is HMAC-SHA256 of those bytes with AUDIT_HMAC_KEY when set, SHA-256 otherwise, written as
 * `hmac-sha256:<hex>` or `sha256:<hex>`. Heads and checkpoints are sealed the same way with a last `"mac"`.
 */
export type ChainKey = string | undefined;

/** Bun's hasher (HMAC when given a key): about a microsecond less per record than node:crypto's here. */
export function chainHash(canonical: string | Uint8Array, key: ChainKey): string {
  return key
    ? `hmac-sha256:${new Bun.CryptoHasher('sha256', key).update(canonical).digest('hex')}`
    : `sha256:${new Bun.CryptoHasher('sha256').update(canonical).digest('hex')}`;
}

/** Serialises `value` and appends its hash as the last member, `member`. */
export function seal(value: object, member: 'hash' | 'mac', key: ChainKey): { text: string; hash: string } {
  const canonical = JSON.stringify(value);
  const hash = chainHash(canonical, key);
  return { text: `${canonical.slice(0, -1)},"${member}":"${hash}"}`, hash };
}

const SEALED_TAIL = /^((?:sha256|hmac-sha256):[a-f0-9]{64})"\}$/;

/**
 * Splits a sealed line into its canonical bytes and the hash it claims; undefined when the line does not end
 * in the sealing member. (Inside a JSON string a quote is always escaped, so the marker cannot occur there.)
 */
export function unseal(
  line: Buffer,
  member: 'hash' | 'mac',
): { canonical: Buffer; claimed: string } | undefined {
  const marker = Buffer.from(`,"${member}":"`);
  const at = line.lastIndexOf(marker);
  if (at < 0) return undefined;
  const tail = SEALED_TAIL.exec(line.toString('latin1', at + marker.length));
  if (!tail) return undefined;
  return { canonical: Buffer.concat([line.subarray(0, at), Buffer.from('}')]), claimed: tail[1] as string };
}

/**
 * How a claimed hash stands against the canonical bytes: `ok`; `bad` (does not match); `unkeyed` (plain
 * SHA-256 where the verifier holds a key: made by someone without it); `unchecked` (an HMAC, but no key here).
 */
export type SealCheck = 'ok' | 'bad' | 'unkeyed' | 'unchecked';

export function checkSeal(canonical: Buffer, claimed: string, key: ChainKey): SealCheck {
  if (claimed.startsWith('sha256:')) {
    if (chainHash(canonical, undefined) !== claimed) return 'bad';
    return key ? 'unkeyed' : 'ok';
  }
  if (!key) return 'unchecked';
  return chainHash(canonical, key) === claimed ? 'ok' : 'bad';
}

/** Reads and checks a sealed JSON file (head, checkpoint); undefined when absent. */
export function readSealedFile(path: string, key: ChainKey): { text: string; check: SealCheck } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const line = bytes.subarray(0, bytes[bytes.length - 1] === 0x0a ? -1 : undefined);
  const parts = unseal(line, 'mac');
  return {
    text: line.toString('utf8'),
    check: parts ? checkSeal(parts.canonical, parts.claimed, key) : 'bad',
  };
}

export function readCheckpoint(paths: StorePaths, key: ChainKey) {
  const file = readSealedFile(paths.auditCheckpointFile, key);
  if (!file) return undefined;
  const parsed = auditCheckpointSchema.safeParse(safeJson(file.text));
  return { checkpoint: parsed.success ? parsed.data : undefined, check: parsed.success ? file.check : 'bad' };
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface AuditWriterOptions extends PodWriterOptions {
  /** AUDIT_HMAC_KEY: makes the chain an HMAC. */
  key?: ChainKey;
  /** How often the pod's head file is rewritten (when records were added); 0: only on flush and close. */
  headIntervalMs?: number;
  onHeadError?: (error: unknown) => void;
}

/**
 * One pod's audit appender that chains: each record gets `v: 2`, the next `seq`, the previous record's hash
 * as `prev` and its own `hash`. The chain picks up where this pod's log ends (its last complete record,
 * across day files; a torn line after a crash is passed over), or at the retention checkpoint, or at 0.
 * A record counts as chained only once its write succeeded, so a failed write leaves no gap.
 */
export class AuditChainWriter implements PodWriter<AuditEntry> {
  private readonly appender: JsonlAppender;
  private tip: ChainPoint | null | undefined;
  private headSeq = -1;
  private writingHead = false;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly paths: StorePaths,
    private readonly pod: string,
    private readonly options: AuditWriterOptions = {},
  ) {
    assertSafeId(pod, 'pod name');
    this.appender = new JsonlAppender((day) => paths.auditFile(day, pod), options);
    const interval = options.headIntervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.writeHeadInBackground(), interval);
      this.timer.unref?.();
    }
  }

  append(entry: AuditEntry): void {
    this.appendMany([entry]);
  }

  appendMany(entries: readonly AuditEntry[]): void {
    if (entries.length === 0) return;
    let tip = this.currentTip();
    let lines = '';
    for (const entry of entries) {
      const {
        v: _v,
        seq: _seq,
        prev: _prev,
        hash: _hash,
        ...fields
      } = entry as AuditEntry & Partial<AuditRecord>;
      const record = { v: 2, ...fields, seq: tip ? tip.seq + 1 : 0, prev: tip?.hash ?? null };
      if (this.options.validate !== false)
        auditRecordSchema.parse({ ...record, hash: `sha256:${'0'.repeat(64)}` });
      const { text, hash } = seal(record, 'hash', this.options.key);
      lines += `${text}\n`;
      tip = { seq: record.seq, hash, day: '' };
    }
    const day = this.appender.appendLines(lines);
    this.tip = tip && { ...tip, day };
  }

  flush(): void {
    this.appender.flush();
    this.writeHeadNow();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.appender.close();
    this.writeHeadNow();
  }

  private currentTip(): ChainPoint | null {
    if (this.tip === undefined) this.tip = lastChainPoint(this.paths, this.pod, this.options.key);
    return this.tip;
  }

  private headText(tip: ChainPoint): string {
    const value = {
      v: 1,
      pod: this.pod,
      head: tip,
      writtenAt: new Date(this.options.now?.() ?? Date.now()).toISOString(),
    };
    return `${seal(value, 'mac', this.options.key).text}\n`;
  }

  private writeHeadNow() {
    const tip = this.tip;
    if (!tip || tip.seq === this.headSeq) return;
    const path = this.paths.auditHeadFile(this.pod);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicSync(path, this.headText(tip));
    this.headSeq = tip.seq;
  }

  /** The head may only name records already on disk: flush them first, then replace the head file. */
  private async writeHeadInBackground() {
    const tip = this.tip;
    if (!tip || tip.seq === this.headSeq || this.writingHead) return;
    this.writingHead = true;
    try {
      await this.appender.flushAsync();
      await writeFileAtomic(this.paths.auditHeadFile(this.pod), this.headText(tip));
      this.headSeq = Math.max(this.headSeq, tip.seq);
    } catch (error) {
      this.options.onHeadError?.(error);
    } finally {
      this.writingHead = false;
    }
  }
}

/** Where this pod's chain ends on disk: its newest complete v2 record, else the checkpoint, else nothing. */
export function lastChainPoint(paths: StorePaths, pod: string, key: ChainKey): ChainPoint | null {
  let days: string[] = [];
  try {
    days = readdirSync(paths.auditDir)
      .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
      .sort((a, b) => b.localeCompare(a));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const day of days) {
    for (const text of readLinesBackwardSync(paths.auditFile(day, pod))) {
      const record = safeJson(text) as Partial<AuditRecord> | undefined;
      if (record?.v === 1) return null; // the log before the chain: start one
      if (record?.v === 2 && typeof record.seq === 'number' && typeof record.hash === 'string')
        return { seq: record.seq, hash: record.hash, day };
    }
  }
  return readCheckpoint(paths, key)?.checkpoint?.pods[pod] ?? null;
}

export type { AuditCheckpoint };
