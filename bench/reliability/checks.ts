/**
 * The suite's invariants, read from the real records: what the simulator's Claude side received, the
 * audit log, the usage ledgers. Each check returns what it found so the report can quote it.
 */
import { loggedRequestHolds } from '@split-brain/simulator';
import { type AuditRecord, openStore, type StoreProblem } from '@split-brain/store';
import { PROPRIETARY_MARK, type TrafficOutcome } from './traffic.ts';

interface LoggedRequest {
  seq: number;
  dialect: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body: unknown;
  texts: unknown;
}

/**
 * Scans (and then clears) the simulator's log of Claude-side requests for proprietary text: the mark and
 * the generated leak cases' codewords, read decoded and normalised like the keyword classifier reads
 * (libs/simulator leak-requests.ts, the same witness as the router's property test).
 */
export async function scanClaudeSide(
  simulatorUrl: string,
  codewords: readonly string[] = [],
): Promise<{ scanned: number; leaks: string[] }> {
  const response = await fetch(`${simulatorUrl}/_sim/requests?dialect=anthropic`);
  const { requests } = (await response.json()) as { requests: LoggedRequest[] };
  await fetch(`${simulatorUrl}/_sim/requests`, { method: 'DELETE' });
  const marks = [PROPRIETARY_MARK, ...codewords];
  const leaks = requests
    .filter((r) => marks.some((mark) => loggedRequestHolds(r, mark)))
    .map((r) => `seq ${r.seq} ${r.path}`);
  return { scanned: requests.length, leaks };
}

/** Proprietary requests that were answered from Claude (by the route header). */
export function proprietaryOnClaude(outcomes: TrafficOutcome[]): TrafficOutcome[] {
  return outcomes.filter((o) => o.proprietary && o.route === 'claude');
}

/** Every audit record of the data folder, with any unreadable line reported as a problem. */
export async function readAllAudit(
  dataDir: string,
): Promise<{ records: AuditRecord[]; problems: StoreProblem[] }> {
  const problems: StoreProblem[] = [];
  const store = openStore(dataDir, { onProblem: (p) => problems.push(p) });
  const records: AuditRecord[] = [];
  let cursor: string | null = null;
  do {
    const page: { records: AuditRecord[]; nextCursor: string | null } = await store.audit.page({
      limit: 1000,
      cursor,
    });
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  return { records, problems };
}

/** Each request id must have exactly one audit record. */
export function auditedOnce(
  records: AuditRecord[],
  ids: string[],
): { checked: number; missing: string[]; duplicated: string[] } {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record.id, (counts.get(record.id) ?? 0) + 1);
  return {
    checked: ids.length,
    missing: ids.filter((id) => !counts.has(id)),
    duplicated: ids.filter((id) => (counts.get(id) ?? 0) > 1),
  };
}

/** A user's tokens charged today across every pod's ledger, and any unreadable ledger line. */
export async function chargedToday(
  dataDir: string,
  user: string,
): Promise<{ tokens: number; entries: number; problems: StoreProblem[] }> {
  const problems: StoreProblem[] = [];
  const store = openStore(dataDir, { onProblem: (p) => problems.push(p) });
  let tokens = 0;
  let entries = 0;
  for (const day of await store.usage.days()) {
    for (const entry of await store.usage.readDay(day)) {
      if (entry.user !== user) continue;
      tokens += entry.tokens;
      entries += 1;
    }
  }
  return { tokens, entries, problems };
}
