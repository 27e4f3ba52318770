/**
 * Ids that may become path segments. A client-supplied id never reaches the file system unless it passes
 * here: no separators, no dot-only names, no NUL or control characters, bounded length.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class UnsafeIdError extends Error {
  constructor(
    readonly id: string,
    reason: string,
  ) {
    super(`unsafe id ${JSON.stringify(id.slice(0, 80))}: ${reason}`);
    this.name = 'UnsafeIdError';
  }
}

export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && SAFE_ID.test(id) && !id.includes('..');
}

export function assertSafeId(id: unknown, what = 'id'): string {
  if (typeof id !== 'string') throw new UnsafeIdError(String(id), `${what} must be a string`);
  if (id.length === 0) throw new UnsafeIdError(id, `${what} is empty`);
  if (id.length > 128) throw new UnsafeIdError(id, `${what} is longer than 128 characters`);
  if (!SAFE_ID.test(id) || id.includes('..')) {
    throw new UnsafeIdError(id, `${what} may hold only letters, digits, '.', '_' and '-', and no '..'`);
  }
  return id;
}

const DAY_MS = 86_400_000;
/** The last day computed and its bounds: appenders ask for the day of "now" on every record. */
let lastDay = { name: '', start: 0, end: -1 };

/** A calendar day as used in file names (UTC), e.g. 2026-11-23. */
export function dayOf(time: Date | number): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.name;
  const name = new Date(ms).toISOString().slice(0, 10); // throws on an invalid time, as it always did
  const start = Math.floor(ms / DAY_MS) * DAY_MS; // UTC days are exactly DAY_MS long in JavaScript time
  lastDay = { name, start, end: start + DAY_MS };
  return name;
}

export function assertDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new UnsafeIdError(day, 'a day must look like YYYY-MM-DD');
  }
  return day;
}
