/**
 * Server-sent events, read and written per the WHATWG event-stream rules: lines end in CRLF, LF or CR,
 * `data:` lines of one event are joined with "\n", lines starting with ":" are comments (keep-alives),
 * and an event is dispatched at a blank line. Input may be split at any byte, including inside a
 * multi-byte character or between the CR and LF of one line break.
 */

export interface SseEvent {
  /** The `event:` field, or undefined when the event had none (OpenAI streams never set it). */
  event?: string;
  data: string;
  id?: string;
}

export class SseReader {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  /** A CR ended the previous chunk; an LF at the start of the next chunk belongs to the same break. */
  private pendingCr = false;
  private eventName: string | undefined;
  private dataLines: string[] = [];
  private id: string | undefined;
  private sawField = false;

  /** Feeds one chunk of the stream; returns the events it completed, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === this.buffer.length) {
          // Cannot yet tell CR from CRLF; treat as a line end and swallow a leading LF next time.
          this.pendingCr = true;
          next = cr + 1;
        } else {
          next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
        }
      } else {
        end = lf;
        next = lf + 1;
      }
      const event = this.line(this.buffer.slice(start, end));
      if (event) events.push(event);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /**
   * Marks the end of input. Returns true when the stream stopped in the middle of an event (a partial
   * line or fields without the closing blank line): such an event is discarded, as the spec requires,
   * and the caller should treat the stream as cut.
   */
  end(): { incomplete: boolean } {
    const tail = this.decoder.decode();
    const incomplete = this.buffer.length + tail.length > 0 || this.sawField;
    this.buffer = '';
    this.reset();
    return { incomplete };
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.sawField = true;
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const hadData = this.dataLines.length > 0;
    const event: SseEvent = { data: this.dataLines.join('\n') };
    if (this.eventName !== undefined && this.eventName !== '') event.event = this.eventName;
    if (this.id !== undefined) event.id = this.id;
    this.reset();
    return hadData ? event : undefined;
  }

  private reset(): void {
    this.eventName = undefined;
    this.dataLines = [];
    this.id = undefined;
    this.sawField = false;
  }
}

/** Reads a byte stream as SSE events; the return value says whether it stopped mid-event. */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseEvent, { incomplete: boolean }, undefined> {
  const parser = new SseReader();
  const source = body.getReader();
  try {
    for (;;) {
      const { done, value } = await source.read();
      if (done) break;
      for (const event of parser.push(value)) yield event;
    }
  } finally {
    source.releaseLock();
  }
  return parser.end();
}

/** Serialises one event. Data containing line breaks becomes several `data:` lines. */
export function formatSse(event: SseEvent): string {
  let out = '';
  if (event.event !== undefined) out += `event: ${event.event}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  const data = event.data;
  if (data.includes('\n') || data.includes('\r')) {
    for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  } else {
    out += `data: ${data}\n`;
  }
  return `${out}\n`;
}

/** A comment line; proxies and clients ignore it, so it keeps an idle connection open. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
