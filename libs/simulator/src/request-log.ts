/** What the simulator received, so tests can prove which text reached which brain. */
import type { ExtractedText } from '@split-brain/wire';
import type { SimDialect } from './profile.ts';

export interface LoggedRequest {
  seq: number;
  at: string;
  dialect: SimDialect;
  method: string;
  path: string;
  /** The query string as received ('' or `?…`), so tests can see what a proxy let through. */
  query: string;
  /** Header names are lower-case; credentials are replaced by "[redacted]". */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it did not parse. */
  body: unknown;
  /** Every text an upstream model would see, when the body was valid. */
  texts: ExtractedText[];
  stream: boolean;
  status: number;
  /** The caller closed the connection before the response was complete (set when it happens). */
  aborted: boolean;
}

const secretHeaders = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);

export function loggableHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = secretHeaders.has(name) ? '[redacted]' : value;
  });
  return out;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  constructor(private readonly limit = 10_000) {}

  add(entry: Omit<LoggedRequest, 'seq' | 'at' | 'aborted'>): LoggedRequest {
    const logged: LoggedRequest = { seq: ++this.seq, at: new Date().toISOString(), aborted: false, ...entry };
    this.entries.push(logged);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return logged;
  }

  list(filter: { dialect?: SimDialect; since?: number } = {}): LoggedRequest[] {
    return this.entries.filter(
      (entry) =>
        (filter.dialect === undefined || entry.dialect === filter.dialect) &&
        (filter.since === undefined || entry.seq > filter.since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
