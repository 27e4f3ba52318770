/**
 * The benchmark's one load generator: wrk (Debian's package), closed-loop at a fixed number of
 * connections. A generated Lua script sets the request and prints wrk's own latency histogram as one
 * JSON line when the run ends, so percentiles come from wrk, not from a second client.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
  /**
   * When set, every request's body is unique: each occurrence of this marker in `body` is replaced by a
   * fresh value per request (defeats caches, e.g. to measure cold classification).
   */
  uniqueMarker?: string;
}

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  /** Latency of whole responses, ms. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Responses with status >= 400. */
  non2xx: number;
  socketErrors: number;
  timeouts: number;
}

/** A Lua long-bracket string that cannot be closed by the text it holds. */
function luaString(text: string): string {
  let level = 0;
  while (text.includes(`]${'='.repeat(level)}]`)) level += 1;
  const eq = '='.repeat(level);
  // A leading newline right after the opening bracket is dropped by Lua; keep it by doubling.
  return `[${eq}[${text.startsWith('\n') ? '\n' : ''}${text}]${eq}]`;
}

export function wrkScript(request: LoadRequest, runId: string): string {
  const lines = [`wrk.method = ${luaString(request.method ?? 'POST')}`];
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  }
  if (request.uniqueMarker) {
    if (!request.body.includes(request.uniqueMarker)) {
      throw new Error(`unique marker ${request.uniqueMarker} is not in the body`);
    }
    // Lua patterns: escape every non-alphanumeric character of the marker.
    const pattern = request.uniqueMarker.replace(/[^A-Za-z0-9]/g, (c) => `%${c}`);
    lines.push(
      `local template = ${luaString(request.body)}`,
      'local counter = 0',
      'request = function()',
      '  counter = counter + 1',
      `  local body = template:gsub(${luaString(pattern)}, ${luaString(runId)} .. "-" .. counter)`,
      '  return wrk.format(nil, nil, nil, body)',
      'end',
    );
  } else {
    lines.push(`wrk.body = ${luaString(request.body)}`);
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' +
      '"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%f}\\n\',',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

interface WrkJson {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export async function runWrk(
  request: LoadRequest,
  options: { connections: number; durationS: number; timeoutS?: number; threads?: number },
): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wrk-'));
  const script = join(dir, 'request.lua');
  writeFileSync(
    script,
    wrkScript(request, `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`),
  );
  const threads = Math.max(1, Math.min(options.threads ?? 1, options.connections));
  const child = Bun.spawn(
    [
      'wrk',
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.durationS}s`,
      `--timeout=${options.timeoutS ?? 10}s`,
      '-s',
      script,
      request.url,
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  );
  const [out, err] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await child.exited;
  rmSync(dir, { recursive: true, force: true });
  const line = out.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no result (exit ${child.exitCode}):\n${out}\n${err}`);
  const raw = JSON.parse(line.slice('WRKJSON '.length)) as WrkJson;
  const durationS = raw.duration_us / 1e6;
  return {
    connections: options.connections,
    durationS,
    requests: raw.requests,
    rps: raw.requests / durationS,
    p50Ms: raw.p50 / 1000,
    p90Ms: raw.p90 / 1000,
    p99Ms: raw.p99 / 1000,
    maxMs: raw.max / 1000,
    meanMs: raw.mean / 1000,
    non2xx: raw.status,
    socketErrors: raw.connect + raw.read + raw.write,
    timeouts: raw.timeout,
  };
}
