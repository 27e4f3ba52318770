/**
 * What the audit chain costs per record, without HTTP around it:
 *
 *   bun bench/audit-append.ts [--records 20000] [--text-bytes 2048]
 *
 * Appends the same records through the plain JSONL appender (the path before the chain), the chain writer
 * with SHA-256 and with HMAC-SHA256, in batches of 8 as the router's deferred appender does, alternating
 * three rounds; then verifies the keyed log. Prints microseconds per record and verification records/s.
 * Numbers only: nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AuditEntry, auditRecordSchema, openStore, podWriter } from '../libs/store/src/index.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '20000' },
    'text-bytes': { type: 'string', default: '2048' },
  },
});
const count = Number(values.records);
const text = 'x'.repeat(Number(values['text-bytes']));
const KEY = 'audit-append-bench-key-0123456789abcdef';
const entry = (i: number): AuditEntry => ({
  id: `req-${i}`,
  time: new Date().toISOString(),
  pod: 'bench',
  user: 'bench@example.com',
  tokenId: 'abcdef012345',
  dialect: 'openai',
  stream: true,
  clientModel: 'gpt-4o',
  route: 'claude',
  backendModel: 'claude-sonnet-4-6',
  score: 0.12,
  threshold: 0.4,
  keywords: [],
  headVersion: 'h1',
  reason: 'below-threshold',
  status: 200,
  latencyMs: 12.3,
  ttfbMs: 4.5,
  usage: { inputTokens: 100, outputTokens: 50 },
  text,
});
const entries = Array.from({ length: count }, (_, i) => entry(i));

function run(kind: 'plain' | 'sha256' | 'hmac') {
  const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
  const store = openStore(dir);
  const options = { validate: false, fsyncIntervalMs: 1000 };
  const writer =
    kind === 'plain'
      ? podWriter((day) => store.paths.auditFile(day, 'bench'), auditRecordSchema, options)
      : store.audit.writer('bench', { ...options, key: kind === 'hmac' ? KEY : undefined });
  const started = performance.now();
  for (let i = 0; i < count; i += 8)
    writer.appendMany(entries.slice(i, i + 8).map((e) => ({ v: 1 as const, ...e })));
  const us = ((performance.now() - started) * 1000) / count;
  writer.close();
  return { us, dir, store };
}

const results: Record<string, number[]> = { plain: [], sha256: [], hmac: [] };
let keyed: ReturnType<typeof run> | undefined;
for (let round = 0; round < 3; round++) {
  for (const kind of ['plain', 'sha256', 'hmac'] as const) {
    const r = run(kind);
    results[kind]?.push(r.us);
    if (kind === 'hmac' && round === 2) keyed = r;
    else rmSync(r.dir, { recursive: true, force: true });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const [kind, xs] of Object.entries(results))
  console.log(
    `${kind.padEnd(7)} ${median(xs).toFixed(1)} µs/record (rounds: ${xs.map((x) => x.toFixed(1)).join(', ')})`,
  );
if (keyed) {
  const started = performance.now();
  const v = await keyed.store.audit.verify({ key: KEY });
  const s = (performance.now() - started) / 1000;
  console.log(
    `verify  ${v.records} records in ${s.toFixed(2)} s: ${Math.round(v.records / s)} records/s (ok: ${v.ok})`,
  );
  rmSync(keyed.dir, { recursive: true, force: true });
}
