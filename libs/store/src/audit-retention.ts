import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { listDays, listPodFiles } from './audit.ts';
import { type ChainKey, readCheckpoint, safeJson, seal } from './audit-chain.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { readLinesBackwardSync } from './jsonl.ts';
import type { StorePaths } from './paths.ts';
import type { AuditRecord, ChainPoint } from './records.ts';
import { dayOf } from './safe-id.ts';

const DAY_MS = 86_400_000;
/** A lock older than this was left by a process that died mid-run. */
const STALE_LOCK_MS = 10 * 60_000;

export type RetentionOutcome =
  | { removedDays: string[]; through: string | null }
  | { skipped: 'another process is applying retention' };

/**
 * Removes audit day folders older than `days` days (today counts as one) and, before removing anything,
 * writes the checkpoint: per pod, the last record of the removed days, sealed like the chain. The first
 * kept record of each pod then still links to something verification can check. Router pods all run it;
 * a lock file lets one at a time work, and a second run finds nothing left to do.
 */
export async function applyAuditRetention(
  paths: StorePaths,
  options: { days: number; key: ChainKey; now?: () => number },
): Promise<RetentionOutcome> {
  const today = dayOf(options.now?.() ?? Date.now());
  const firstKept = dayOf(Date.parse(`${today}T00:00:00Z`) - (options.days - 1) * DAY_MS);
  const old = (await listDays(paths.auditDir)).filter((d) => d < firstKept).sort();
  if (old.length === 0) return { removedDays: [], through: null };
  await mkdir(paths.auditChainDir, { recursive: true });
  if (!takeLock(paths.auditRetentionLockFile)) return { skipped: 'another process is applying retention' };
  try {
    const previous = readCheckpoint(paths, options.key);
    if (previous && (previous.check === 'bad' || previous.check === 'unkeyed' || !previous.checkpoint))
      throw new Error(
        `${paths.auditCheckpointFile} does not match its seal; nothing removed until it is looked at (bun run audit -- verify)`,
      );
    const pods: Record<string, ChainPoint> = { ...previous?.checkpoint?.pods };
    for (const day of old) {
      for (const pod of await listPodFiles(paths.auditDayDir(day))) {
        const last = lastRecordOf(paths.auditFile(day, pod));
        if (last) pods[pod] = { seq: last.seq, hash: last.hash, day };
      }
    }
    const through = [previous?.checkpoint?.through ?? '', old[old.length - 1] as string].sort()[1] as string;
    const checkpoint = {
      v: 1,
      through,
      pods,
      writtenAt: new Date(options.now?.() ?? Date.now()).toISOString(),
    };
    await writeFileAtomic(paths.auditCheckpointFile, `${seal(checkpoint, 'mac', options.key).text}\n`);
    for (const day of old) await rm(paths.auditDayDir(day), { recursive: true, force: true });
    return { removedDays: old, through };
  } finally {
    try {
      unlinkSync(paths.auditRetentionLockFile);
    } catch {}
  }
}

function lastRecordOf(path: string): { seq: number; hash: string } | undefined {
  for (const text of readLinesBackwardSync(path)) {
    const r = safeJson(text) as Partial<AuditRecord> | undefined;
    if (r?.v === 2 && typeof r.seq === 'number' && typeof r.hash === 'string')
      return { seq: r.seq, hash: r.hash };
  }
  return undefined;
}

function takeLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx', 0o640));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs < STALE_LOCK_MS) return false;
        unlinkSync(path);
      } catch {}
    }
  }
  return false;
}
