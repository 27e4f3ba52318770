/**
 * Benchmark (not a test): the console's Requests view over a large audit log.
 * Generates 1,000,000 audit records with the store's writer (4 router pods × 10 days; cached between runs),
 * starts the UI server as its own process, and times pages of /api/requests: the newest page, pages deep
 * in the log through the cursor, and filtered pages. Reports latency and the server's resident memory.
 *
 *   bun bench/ui-requests.ts [--records 1000000] [--data <dir>]
 * Targets: a page answers in < 300 ms; the UI's RSS stays < 256 MB.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// The libraries are imported by path.
import { freePort } from '../libs/http/src/index.ts';
import { type AuditRecord, openStore } from '../libs/store/src/index.ts';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '1000000' }, data: { type: 'string' } },
});
const total = Number(values.records);
const dataDir = resolve(values.data ?? join(tmpdir(), `sb-bench-ui-${total}`));
const PODS = ['router-a', 'router-b', 'router-c', 'router-d'];
const DAYS = 10;
const USERS = Array.from({ length: 50 }, (_, i) => `user${i}@acme.com`);
const WORDS =
  'the a boat hull price warranty engine schedule weather recipe travel code test budget yard'.split(' ');

async function generate() {
  const marker = join(dataDir, '.bench-complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(total)) {
    console.log(`reusing ${total.toLocaleString()} records in ${dataDir}`);
    return;
  }
  mkdirSync(dataDir, { recursive: true });
  const store = openStore(dataDir);
  const start = Date.parse('2026-11-01T00:00:00Z');
  const span = DAYS * 86_400_000;
  const perPod = Math.ceil(total / PODS.length);
  const t0 = performance.now();
  let written = 0;
  for (const [p, pod] of PODS.entries()) {
    let now = start;
    const writer = store.audit.writer(pod, { now: () => now, fsyncIntervalMs: 0 });
    for (let i = 0; i < perPod && written < total; i++, written++) {
      now = start + Math.floor(((i + p / PODS.length) * span) / perPod);
      const n = written * 2654435761;
      const record: AuditRecord = {
        v: 1,
        id: `${pod}-${i}`,
        time: new Date(now).toISOString(),
        pod,
        user: USERS[n % USERS.length]!,
        tokenId: 'abcdef012345',
        dialect: n % 2 ? 'openai' : 'anthropic',
        stream: n % 3 === 0,
        clientModel: 'claude-sonnet-4-6',
        route: n % 5 === 0 ? 'local' : 'claude',
        backendModel: n % 5 === 0 ? 'Qwen/Qwen3-14B' : 'claude-sonnet-4-6',
        score: (n % 1000) / 1000,
        threshold: 0.4,
        keywords: [],
        headVersion: 'h1',
        reason: n % 5 === 0 ? 'score' : 'below-threshold',
        status: 200,
        latencyMs: 100 + (n % 900),
        ttfbMs: 50,
        usage: { inputTokens: 100 + (n % 50), outputTokens: 200 },
        text: Array.from({ length: 40 }, (_, k) => WORDS[(n + k * 7) % WORDS.length]).join(' '),
      };
      writer.append(record);
    }
    writer.close();
    console.log(
      `  ${pod}: ${written.toLocaleString()} written (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
  writeFileSync(marker, String(total));
}

async function main() {
  console.log(`generating ${total.toLocaleString()} audit records in ${dataDir}`);
  await generate();
  const port = freePort();
  const server = Bun.spawn(['bun', resolve(import.meta.dir, '../apps/ui/src/server/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_URL: 'http://127.0.0.1:9',
      UI_DEV_MODE: 'true',
      LOG_LEVEL: 'error',
    },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/healthz`).catch(() => undefined))?.ok) break;
      if (i > 200) throw new Error('the UI server did not start');
      await Bun.sleep(50);
    }
    const rssMb = () => {
      const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
      return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
    };
    const timePage = async (query: string) => {
      const t = performance.now();
      const response = await fetch(`${base}/api/requests?${query}`);
      const body = (await response.json()) as { records: unknown[]; nextCursor: string | null };
      if (!response.ok) throw new Error(`${query}: ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, count: body.records.length, next: body.nextCursor };
    };
    const runs = async (label: string, query: string, n = 20) => {
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < n; i++) {
        const r = await timePage(query);
        times.push(r.ms);
        count = r.count;
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(n / 2)]!;
      const max = times.at(-1)!;
      rows.push({ label, records: count, p50, max });
    };
    const rows: { label: string; records: number; p50: number; max: number }[] = [];
    // Shown for scale, not held to the target.
    const comparison: typeof rows = [];
    await runs('newest page (50)', 'limit=50');
    await runs('newest page (200)', 'limit=200');
    // Walk 100 pages back through the cursor, then time pages from there.
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++)
      cursor = (await timePage(`limit=200${cursor ? `&cursor=${cursor}` : ''}`)).next;
    await runs('page 101 via cursor (50)', `limit=50&cursor=${cursor}`);
    await runs('filter route=local (50)', 'limit=50&route=local');
    await runs('filter user (50)', 'limit=50&user=user7@acme.com');
    await runs('filter score ≥ 0.95 (50)', 'limit=50&minScore=0.95');
    await runs('filter text "warranty boat" (50)', `limit=50&q=${encodeURIComponent('warranty boat')}`);
    // Opening one request from deep in the log: with the row's time as a hint (what the view sends) and,
    // once, without it (a full newest-first scan).
    const deep = (await (await fetch(`${base}/api/requests?limit=1&cursor=${cursor}`)).json()) as {
      records: { id: string; time: string }[];
    };
    const target = deep.records[0];
    if (target) {
      const open = async (query: string) => {
        const t = performance.now();
        const response = await fetch(`${base}/api/requests/${encodeURIComponent(target.id)}${query}`);
        if (!response.ok) throw new Error(`open ${target.id}: ${response.status}`);
        await response.json();
        return performance.now() - t;
      };
      const hinted: number[] = [];
      for (let i = 0; i < 10; i++) hinted.push(await open(`?time=${encodeURIComponent(target.time)}`));
      hinted.sort((a, b) => a - b);
      rows.push({
        label: 'open a request 20,000 deep, with its time',
        records: 1,
        p50: hinted[5]!,
        max: hinted.at(-1)!,
      });
      const full = await open('');
      comparison.push({
        label: 'open the same request without the hint (not what the view does)',
        records: 1,
        p50: full,
        max: full,
      });
    }
    const rss = rssMb();
    console.log(
      `\nRequests view over ${total.toLocaleString()} audit records (${PODS.length} pods × ${DAYS} days)`,
    );
    console.log('| page | records | p50 ms | max ms |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const r of [...rows, ...comparison])
      console.log(`| ${r.label} | ${r.records} | ${r.p50.toFixed(1)} | ${r.max.toFixed(1)} |`);
    console.log(`\nUI server RSS after the runs: ${rss.toFixed(0)} MB (target < 256 MB)`);
    const worst = Math.max(...rows.map((r) => r.p50));
    console.log(
      `worst p50: ${worst.toFixed(1)} ms (target < 300 ms): ${worst < 300 && rss < 256 ? 'OK' : 'MISSED'}`,
    );
  } finally {
    server.kill('SIGTERM');
    await server.exited;
  }
}

await main();
