/**
 * Audit checks for operators, run where the router's Secret is mounted (kubectl exec into a router pod):
 *   bun run audit -- verify [--data-dir D] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
 * Checks every pod's hash chain (docs/store.md), prints each break with file, line and kind, then a summary
 * line; exit status 1 on any break, 2 on a usage error. The key comes from AUDIT_HMAC_KEY, the data folder
 * from --data-dir or SPLIT_BRAIN_DATA_DIR. The outcome is also saved for the console's Requests view.
 */
import { parseArgs } from 'node:util';
import { loadRouterAuditTools } from '@split-brain/config';
import { type AuditFinding, openStore } from '@split-brain/store';

const usage = `usage:
  bun run audit -- verify [--data-dir D] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2),
    options: {
      'data-dir': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  fail((error as Error).message);
}
const { positionals, values } = parsed;
const [command] = positionals;
if (command !== 'verify') fail(command ? `unknown command "${command}"` : 'no command given');
for (const name of ['from', 'to'] as const) {
  const day = values[name];
  if (day !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))))
    fail(`--${name} must be a day like 2026-03-01, not "${day}"`);
}
if (values.from && values.to && values.from > values.to) fail('--from is after --to');

const env = loadRouterAuditTools(process.env);
const store = openStore(values['data-dir'] ?? env.dataDir);
const result = await store.audit.verify({
  key: env.hmacKey,
  from: values.from,
  to: values.to,
  ranBy: 'bun run audit verify',
});
await store.audit.saveVerification(result).catch((error) => {
  console.error(`(could not save the outcome for the console: ${(error as Error).message})`);
});

const show = (f: AuditFinding) => `${f.file}:${f.line}\t${f.kind}\t${f.pod}\t${f.message}`;
if (values.json) console.log(JSON.stringify(result));
else {
  for (const b of result.breaks) console.log(`BREAK\t${show(b)}`);
  if (result.breakCount > result.breaks.length)
    console.log(`… and ${result.breakCount - result.breaks.length} more breaks`);
  for (const n of result.notes) console.log(`note\t${show(n)}`);
  const range = result.from || result.to ? ` (days ${result.from ?? 'start'} to ${result.to ?? 'end'})` : '';
  console.log(
    `${result.ok ? 'OK' : `BROKEN: ${result.breakCount} break${result.breakCount === 1 ? '' : 's'}`}: ` +
      `${result.records} records checked in ${result.pods} pod${result.pods === 1 ? '' : 's'}, ${result.files} files${range}; ` +
      (result.keyed
        ? 'HMAC checked with AUDIT_HMAC_KEY'
        : 'no AUDIT_HMAC_KEY: links and SHA-256 hashes checked, HMACs not'),
  );
}
process.exit(result.ok ? 0 : 1);
