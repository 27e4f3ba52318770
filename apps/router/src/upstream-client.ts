import type { Socket } from 'bun';

/**
 * A keep-alive HTTP/1.1 client for plain-HTTP upstreams (ScalarLM in the cluster, the simulator), used in
 * place of `fetch` for the forwarded POST while the router is quiet (`pooledWhileQuiet`). Bun's fetch hands
 * every request to its own HTTP thread and back; this client stays on the event loop with pooled sockets,
 * which saves a lone request that hop.
 *
 * It speaks what the router needs: one POST per connection at a time, content-length and chunked answers
 * (and close-delimited ones), streamed bodies as they arrive, aborts that close the connection so the
 * upstream sees the client go. TLS and proxies are left to `fetch` (see `pooledWhileQuiet`).
 */

export interface UpstreamInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** Idle sockets older than this are closed, not reused: upstreams drop idle connections after a few seconds. */
const MAX_IDLE_MS = 2000;
const MAX_IDLE_PER_ORIGIN = 256;
const MAX_HEAD_BYTES = 64 * 1024;
/** Answers up to this size with a known length are read whole before the Response is handed over. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const LF = 0x0a;
const decoder = new TextDecoder();

interface Target {
  hostname: string;
  port: number;
  origin: string;
  requestLine: string;
}

/** The failure a caller sees, like fetch's: the message says what happened. */
export class UpstreamConnectionError extends Error {
  override name = 'UpstreamConnectionError';
}

/** Where a response's body stands. */
type BodyMode = 'length' | 'chunked' | 'close';

class Exchange {
  /** Bytes of the response head received so far (until the blank line). */
  private head: Uint8Array | undefined;
  private headDone = false;
  receivedAny = false;
  private mode: BodyMode = 'length';
  private remaining = 0;
  /** Chunked framing: reading a size line, chunk data, the CRLF after data, or the trailer. */
  private chunkState: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private line = '';
  private buffered: Uint8Array[] | undefined;
  private bufferedBytes = 0;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private status = 0;
  private headers: [string, string][] = [];
  private keepAlive = true;
  settled = false;
  done = false;

  constructor(
    readonly resolve: (response: Response) => void,
    readonly reject: (error: unknown) => void,
    /** The response ended cleanly: the connection may carry another request (when keep-alive allows). */
    readonly onComplete: (reusable: boolean) => void,
    /** The consumer stopped reading, or the body failed: the connection must close. */
    readonly onAbandon: () => void,
  ) {}

  /** Feeds received bytes: the head first, then the body in its framing. */
  push(data: Uint8Array): void {
    this.receivedAny = true;
    if (this.headDone) {
      this.body(data, 0);
      return;
    }
    const joined = this.head ? concatAll([this.head, data]) : data;
    const end = headEnd(joined);
    if (end === -1) {
      if (joined.byteLength > MAX_HEAD_BYTES) {
        this.fail(new UpstreamConnectionError('the upstream sent a response head over 64 KiB'));
        return;
      }
      this.head = joined === data ? data.slice() : joined;
      return;
    }
    this.head = undefined;
    if (!this.parseHead(decoder.decode(joined.subarray(0, end)))) return;
    if (!this.headDone) {
      // An interim answer (100 Continue): the real head follows.
      if (end + 4 < joined.byteLength) this.push(joined.subarray(end + 4));
      return;
    }
    this.body(joined, end + 4);
  }

  /** The connection closed. */
  closed(): void {
    if (this.done) return;
    if (this.headDone && this.mode === 'close') {
      this.finish(false);
      return;
    }
    this.fail(
      new UpstreamConnectionError(
        this.headDone
          ? 'the upstream closed the connection in the middle of its answer'
          : 'the upstream closed the connection without answering',
      ),
    );
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    if (!this.settled) {
      this.settled = true;
      this.reject(error);
    } else this.controller?.error(error);
    this.onAbandon();
  }

  private parseHead(text: string): boolean {
    const lines = text.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!status) {
      this.fail(new UpstreamConnectionError('the upstream did not answer in HTTP/1.1'));
      return false;
    }
    this.status = Number(status[1]);
    if (this.status >= 100 && this.status < 200) return true;
    let length = -1;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      this.headers.push([name, value]);
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
      else if (name === 'connection') this.keepAlive = !value.toLowerCase().includes('close');
      else if (name === 'content-encoding' && value.toLowerCase() !== 'identity') {
        this.fail(new UpstreamConnectionError(`the upstream sent a ${value}-encoded answer`));
        return false;
      }
    }
    this.headDone = true;
    const noBody = this.status === 204 || this.status === 304;
    if (chunked) this.mode = 'chunked';
    else if (length >= 0 || noBody) {
      this.mode = 'length';
      this.remaining = noBody ? 0 : length;
    } else {
      this.mode = 'close';
      this.keepAlive = false;
    }
    const streaming = this.headers.some(([k, v]) => k === 'content-type' && v.includes('text/event-stream'));
    if (this.mode === 'length' && !streaming && this.remaining <= MAX_BUFFERED_BYTES) {
      this.buffered = [];
      return true;
    }
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        if (this.done) return;
        this.done = true;
        this.onAbandon();
      },
    });
    this.settled = true;
    this.resolve(new Response(body, { status: this.status, headers: this.headers }));
    return true;
  }

  private body(data: Uint8Array, at: number): void {
    if (this.mode === 'close') {
      if (at < data.byteLength) this.emit(data.subarray(at));
      return;
    }
    if (this.mode === 'length') {
      const take = Math.min(this.remaining, data.byteLength - at);
      if (take > 0) this.emit(data.subarray(at, at + take));
      this.remaining -= take;
      if (at + take < data.byteLength) {
        this.fail(new UpstreamConnectionError('the upstream sent more than it announced'));
        return;
      }
      if (this.remaining === 0) this.finish(this.keepAlive);
      return;
    }
    while (at < data.byteLength && !this.done) {
      if (this.chunkState === 'data') {
        const take = Math.min(this.remaining, data.byteLength - at);
        this.emit(data.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.chunkState = 'data-end';
        continue;
      }
      // Size lines, the CRLF after data and trailer lines are read as lines.
      const nl = data.indexOf(LF, at);
      const end = nl === -1 ? data.byteLength : nl + 1;
      this.line += decoder.decode(data.subarray(at, end));
      at = end;
      if (nl === -1) {
        if (this.line.length > 4096) {
          this.fail(new UpstreamConnectionError('bad chunked framing'));
          return;
        }
        continue;
      }
      const line = this.line.trim();
      this.line = '';
      if (this.chunkState === 'data-end') {
        if (line !== '') {
          this.fail(new UpstreamConnectionError('bad chunked framing'));
          return;
        }
        this.chunkState = 'size';
      } else if (this.chunkState === 'size') {
        const size = Number.parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) {
          this.fail(new UpstreamConnectionError('bad chunked framing'));
          return;
        }
        if (size === 0) this.chunkState = 'trailer';
        else {
          this.remaining = size;
          this.chunkState = 'data';
        }
      } else if (line === '') {
        if (at < data.byteLength) {
          this.fail(new UpstreamConnectionError('the upstream sent more than it announced'));
          return;
        }
        this.finish(this.keepAlive);
      }
    }
  }

  private emit(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    // The socket's buffer is not ours to keep: copy what outlives this callback.
    if (this.buffered) {
      this.buffered.push(bytes.slice());
      this.bufferedBytes += bytes.byteLength;
    } else this.controller?.enqueue(bytes.slice());
  }

  private finish(reusable: boolean): void {
    if (this.done) return;
    this.done = true;
    if (this.buffered) {
      const bytes =
        this.buffered.length === 1 ? this.buffered[0]! : concatAll(this.buffered, this.bufferedBytes);
      this.settled = true;
      this.resolve(
        new Response(bytes as Uint8Array<ArrayBuffer>, { status: this.status, headers: this.headers }),
      );
    } else this.controller?.close();
    this.onComplete(reusable);
  }
}

interface Connection {
  socket: Socket<undefined> | undefined;
  exchange: Exchange | undefined;
  idleSince: number;
  reused: boolean;
  closed: boolean;
}

export class UpstreamClient {
  private readonly idle = new Map<string, Connection[]>();
  private readonly targets = new Map<string, Target>();

  /** POSTs `init.body` to `url` and resolves with the answer's head; the body streams (or is read whole). */
  async request(url: string, init: UpstreamInit): Promise<Response> {
    const target = this.target(url);
    let head = `${target.requestLine}host: ${target.origin}\r\ncontent-length: ${Buffer.byteLength(init.body)}\r\n`;
    for (const name in init.headers) {
      const value = init.headers[name] ?? '';
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new TypeError(`invalid header ${name}`);
      head += `${name}: ${value}\r\n`;
    }
    const bytes = Buffer.from(`${head}accept-encoding: identity\r\n\r\n${init.body}`);
    init.signal.throwIfAborted();
    const first = await this.acquire(target);
    try {
      return await this.exchange(target, first, bytes, init.signal);
    } catch (error) {
      // A pooled connection the upstream closed just as it was picked: nothing was answered, so the
      // request goes once more on a fresh connection (what browsers and fetch do for an idle socket).
      if (!(error instanceof RetryOnFreshConnection)) throw error;
      init.signal.throwIfAborted();
      return this.exchange(target, await this.connect(target), bytes, init.signal);
    }
  }

  /** Closes every idle connection (shutdown, tests). */
  close(): void {
    for (const list of this.idle.values()) for (const c of list) c.socket?.end();
    this.idle.clear();
  }

  private exchange(
    target: Target,
    conn: Connection,
    bytes: Uint8Array,
    signal: AbortSignal,
  ): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        exchange.fail(signal.reason ?? new DOMException('aborted', 'AbortError'));
      };
      const release = () => signal.removeEventListener('abort', onAbort);
      const exchange = new Exchange(
        resolve,
        (error) => {
          if (
            conn.reused &&
            !exchange.receivedAny &&
            error instanceof UpstreamConnectionError &&
            !signal.aborted
          )
            reject(new RetryOnFreshConnection());
          else reject(error);
        },
        (reusable) => {
          release();
          conn.exchange = undefined;
          if (reusable && !conn.closed) this.park(target, conn);
          else this.destroy(conn);
        },
        () => {
          release();
          conn.exchange = undefined;
          this.destroy(conn);
        },
      );
      conn.exchange = exchange;
      signal.addEventListener('abort', onAbort, { once: true });
      write(conn, bytes);
    });
  }

  private async acquire(target: Target): Promise<Connection> {
    const list = this.idle.get(target.origin);
    const now = performance.now();
    while (list?.length) {
      const conn = list.pop()!;
      if (conn.closed) continue;
      if (now - conn.idleSince > MAX_IDLE_MS) {
        this.destroy(conn);
        continue;
      }
      conn.reused = true;
      return conn;
    }
    return this.connect(target);
  }

  private async connect(target: Target): Promise<Connection> {
    const conn: Connection = {
      socket: undefined,
      exchange: undefined,
      idleSince: 0,
      reused: false,
      closed: false,
    };
    try {
      conn.socket = await Bun.connect({
        hostname: target.hostname,
        port: target.port,
        socket: {
          data: (_socket, data) => {
            if (conn.exchange) conn.exchange.push(data);
            else this.destroy(conn); // bytes nobody asked for: the connection is not in a known state
          },
          drain: () => flush(conn),
          close: () => {
            conn.closed = true;
            conn.exchange?.closed();
          },
          error: () => {
            conn.closed = true;
            conn.exchange?.closed();
          },
        },
      });
    } catch (error) {
      throw new UpstreamConnectionError(
        `cannot connect to ${target.origin}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return conn;
  }

  private park(target: Target, conn: Connection) {
    let list = this.idle.get(target.origin);
    if (!list) {
      list = [];
      this.idle.set(target.origin, list);
    }
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      // Sockets at the bottom of the stack may have closed or gone stale unseen: make room first.
      const now = performance.now();
      for (const old of list) if (old.closed || now - old.idleSince > MAX_IDLE_MS) this.destroy(old);
      list.splice(0, list.length, ...list.filter((c) => !c.closed));
    }
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      this.destroy(conn);
      return;
    }
    conn.idleSince = performance.now();
    list.push(conn);
  }

  private destroy(conn: Connection) {
    conn.closed = true;
    conn.socket?.terminate();
  }

  private target(url: string): Target {
    let target = this.targets.get(url);
    if (target) return target;
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:') throw new TypeError(`the pooled client speaks plain HTTP only: ${url}`);
    target = {
      hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
      port: Number(parsed.port || 80),
      origin: parsed.host,
      requestLine: `POST ${parsed.pathname}${parsed.search} HTTP/1.1\r\n`,
    };
    if (this.targets.size < 1000) this.targets.set(url, target);
    return target;
  }
}

class RetryOnFreshConnection extends Error {}

/** Bytes not yet taken by the socket (a large body under backpressure), per connection. */
const unsent = new WeakMap<Connection, Uint8Array>();

function write(conn: Connection, bytes: Uint8Array) {
  const socket = conn.socket;
  if (!socket || conn.closed) {
    conn.exchange?.closed();
    return;
  }
  const written = socket.write(bytes);
  if (written < bytes.byteLength) unsent.set(conn, bytes.subarray(Math.max(0, written)));
}

function flush(conn: Connection) {
  const rest = unsent.get(conn);
  if (!rest) return;
  unsent.delete(conn);
  write(conn, rest);
}

function headEnd(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(0x0d); i !== -1 && i + 3 < bytes.byteLength; i = bytes.indexOf(0x0d, i + 1)) {
    if (bytes[i + 1] === 0x0a && bytes[i + 2] === 0x0d && bytes[i + 3] === 0x0a) return i;
  }
  return -1;
}

function concatAll(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** How relay sends a forwarded request: fetch, or the pooled client for plain-HTTP upstreams. */
export type UpstreamFetch = (url: string, init: UpstreamInit) => Promise<Response>;

/**
 * Below this many requests in flight the pooled client is used; at or above it, fetch. Measured on 2 cores:
 * the pooled client cuts a lone request's added latency and CPU (no hand-over to fetch's HTTP thread), but
 * under load fetch's thread does the socket work beside the event loop, so fetch carries more requests
 * per second than a client that keeps everything on the one JS thread (docs/benchmarks.md).
 */
export const POOLED_BELOW_INFLIGHT = 4;

/** Plain-HTTP URLs through `client` while the router is quiet; under load, and for HTTPS, fetch. */
export function pooledWhileQuiet(client: UpstreamClient, inflight: () => number): UpstreamFetch {
  return (url, init) =>
    url.startsWith('http://') && inflight() < POOLED_BELOW_INFLIGHT
      ? client.request(url, init)
      : fetch(url, init);
}
