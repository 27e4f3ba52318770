/**
 * An open-loop load generator: POSTs one body at a constant rate over keep-alive connections. A request
 * that finds every connection busy waits for one, and its latency counts from when it was due, not from
 * when it could be sent, so a server that falls behind is charged for the queue it causes (no coordinated
 * omission, as in wrk2). The driver's own timer lateness (timers fire about every millisecond, so up to a
 * millisecond late) is not charged to the server: it is reported apart as the send lag.
 *
 *   bun bench/constant-rate.ts --url http://127.0.0.1:8080/v1/messages --rate 8000 --seconds 5 \
 *     --body-file body.json --header 'content-type: application/json' [--connections 64] [--warmup 1]
 *
 * Prints one JSON line: requests sent and answered, achieved rate, non-2xx, errors, and latency
 * percentiles in ms over the measured part (after the warm-up). Run it as its own process, like wrk.
 * The driver speaks just enough HTTP/1.1 for a benchmark: content-length and chunked answers, no pipelining.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Socket } from 'bun';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '64' },
    'body-file': { type: 'string' },
    header: { type: 'string', multiple: true, default: [] },
  },
});
if (!args.url || !args.rate || !args['body-file']) {
  console.error('usage: constant-rate.ts --url URL --rate N --body-file FILE [--header "k: v"]...');
  process.exit(2);
}
const url = new URL(args.url);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const maxConnections = Number(args.connections);
const body = readFileSync(args['body-file']);
const head = [
  `POST ${url.pathname}${url.search} HTTP/1.1`,
  `host: ${url.host}`,
  `content-length: ${body.byteLength}`,
  ...(args.header ?? []),
  '',
  '',
].join('\r\n');
const requestBytes = Buffer.concat([Buffer.from(head), body]);

/** One keep-alive connection; carries one request at a time. */
interface Conn {
  socket: Socket<undefined> | undefined;
  /** Scheduled time of the request on the wire (ms, performance.now). */
  scheduledAt: number;
  buffer: Buffer;
  /** Bytes of body still expected (content-length), or -1 while reading chunked framing. */
  remaining: number;
  headerDone: boolean;
  chunked: boolean;
  status: number;
}

const total = Math.round(rate * (warmup + seconds));
const latencies = new Float64Array(total);
let measured = 0;
let answered = 0;
let non2xx = 0;
let errors = 0;
let sent = 0;
const idle: Conn[] = [];
let open = 0;
const backlog: number[] = []; // scheduled times waiting for a free connection
const start = performance.now() + 50;
const measureFrom = start + warmup * 1000;
const deadline = start + (warmup + seconds) * 1000;

function finishRequest(conn: Conn, ok: boolean) {
  const now = performance.now();
  if (!ok) errors++;
  else {
    answered++;
    if (conn.status < 200 || conn.status > 299) non2xx++;
  }
  if (conn.scheduledAt >= measureFrom && ok) latencies[measured++] = now - conn.scheduledAt;
  conn.buffer = Buffer.alloc(0);
  conn.headerDone = false;
  const next = backlog.shift();
  if (next !== undefined && conn.socket) send(conn, next);
  else if (conn.socket) idle.push(conn);
}

/** Consumes what has arrived; true when the response is complete. */
function parse(conn: Conn): boolean {
  if (!conn.headerDone) {
    const end = conn.buffer.indexOf('\r\n\r\n');
    if (end === -1) return false;
    const text = conn.buffer.toString('latin1', 0, end);
    conn.status = Number(text.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
    conn.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(text);
    conn.remaining = length ? Number(length[1]) : 0;
    conn.headerDone = true;
    conn.buffer = conn.buffer.subarray(end + 4);
  }
  if (!conn.chunked) return conn.buffer.byteLength >= conn.remaining;
  // Chunked: walk the chunks present; complete at the zero-size chunk and its final CRLF.
  let at = 0;
  for (;;) {
    const lineEnd = conn.buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return false;
    const size = Number.parseInt(conn.buffer.toString('latin1', at, lineEnd), 16);
    if (size === 0) return conn.buffer.indexOf('\r\n', lineEnd + 2) !== -1;
    if (conn.buffer.byteLength < lineEnd + 2 + size + 2) return false;
    at = lineEnd + 2 + size + 2;
  }
}

/** How late the driver noticed requests were due (its timer granularity), kept out of the latencies. */
let lagSum = 0;
let lagMax = 0;
function send(conn: Conn, scheduledAt: number) {
  conn.scheduledAt = scheduledAt;
  conn.socket?.write(requestBytes);
}

async function connect(): Promise<Conn> {
  const conn: Conn = {
    socket: undefined,
    scheduledAt: 0,
    buffer: Buffer.alloc(0),
    remaining: 0,
    headerDone: false,
    chunked: false,
    status: 0,
  };
  conn.socket = await Bun.connect({
    hostname: url.hostname,
    port: Number(url.port),
    socket: {
      data(_socket, chunk) {
        conn.buffer = conn.buffer.byteLength ? Buffer.concat([conn.buffer, chunk]) : Buffer.from(chunk);
        if (parse(conn)) finishRequest(conn, true);
        pump(); // answers arrive often under load: a chance to send what fell due since the last timer
      },
      close() {
        const wasBusy = !idle.includes(conn);
        conn.socket = undefined;
        open--;
        const at = idle.indexOf(conn);
        if (at !== -1) idle.splice(at, 1);
        if (wasBusy) finishRequest(conn, false);
      },
      error() {},
    },
  });
  return conn;
}

for (let i = 0; i < Math.min(8, maxConnections); i++) {
  open++;
  idle.push(await connect());
}

// The schedule: request i is due at start + i / rate. Each tick sends everything due.
await new Promise<void>((resolve) => {
  const tick = () => {
    pump();
    const now = performance.now();
    if (now >= deadline + 10_000 || (sent >= total && answered + errors >= total)) resolve();
    else setTimeout(tick, 0);
  };
  tick();
});

/**
 * Sends every request that is due. A request's clock starts when it was due or, if the driver noticed it
 * late, when the driver noticed it; one waiting for a free connection keeps that start.
 */
function pump() {
  const now = performance.now();
  while (sent < total) {
    const due = start + (sent * 1000) / rate;
    if (due > now) break;
    sent++;
    lagSum += now - due;
    if (now - due > lagMax) lagMax = now - due;
    const conn = idle.pop();
    if (conn) send(conn, now);
    else {
      backlog.push(now);
      if (open < maxConnections) {
        open++; // counted before it is up, so a burst does not open more than the limit
        void connect().then(finishRequestSlot, () => {
          open--;
        });
      }
    }
  }
}

/** A fresh connection takes the oldest waiting request, or joins the idle pool. */
function finishRequestSlot(conn: Conn) {
  const next = backlog.shift();
  if (next !== undefined) send(conn, next);
  else idle.push(conn);
}

const sorted = latencies.subarray(0, measured).sort();
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
console.log(
  JSON.stringify({
    targetRate: rate,
    sent,
    answered,
    achievedRate: measured / seconds,
    non2xx,
    errors,
    unanswered: total - answered - errors,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    p999: pct(99.9),
    max: sorted.at(-1) ?? NaN,
    meanSendLag: lagSum / Math.max(1, sent),
    maxSendLag: lagMax,
  }),
);
for (const conn of idle) conn.socket?.end();
process.exit(0);
