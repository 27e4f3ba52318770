/**
 * Pinned verdicts for operators and automation, with the same store operations as the console's Pins view:
 *   bun run pin -- frequent [--days 1] [--limit 20]        the most repeated pieces of recent traffic
 *   bun run pin -- add public|proprietary <hash> [--note <why>]
 *   bun run pin -- add public|proprietary --text <text> | --file <path> [--note <why>]
 *   bun run pin -- list
 *   bun run pin -- remove <hash>
 * A piece is named by the SHA-256 of its exact text (the hash the audit and `frequent` show). The data folder
 * comes from SPLIT_BRAIN_DATA_DIR (default /var/split-brain; `./scripts/dev.sh pin ...` uses the dev stack's).
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadRouterDataDir } from '@split-brain/config';
import { frequentPieces, openStore, type Pin, pieceHash } from '@split-brain/store';

const usage = `usage:
  bun run pin -- frequent [--days <n>] [--limit <n>]
  bun run pin -- add public|proprietary <hash> [--note <why>]
  bun run pin -- add public|proprietary --text <text> | --file <path> [--note <why>]
  bun run pin -- list
  bun run pin -- remove <hash>`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    text: { type: 'string' },
    file: { type: 'string' },
    note: { type: 'string' },
    days: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
  strict: false,
});
const [command, ...rest] = positionals;
const store = openStore(loadRouterDataDir(process.env));
await store.pins.file.refresh();
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const HASH = /^[a-f0-9]{64}$/;
const preview = (text: string) => text.slice(0, 160).replace(/\s+/g, ' ');

switch (command) {
  case 'frequent': {
    const days = Number(str(values.days) ?? 1);
    const limit = Number(str(values.limit) ?? 20);
    if (!(days > 0) || !(limit > 0)) fail('--days and --limit must be positive numbers');
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    const page = await store.audit.page({ limit: 1000, filter: (r) => r.time >= since });
    const rows = frequentPieces(page.records, (h) => store.pins.verdictFor(h), limit);
    if (values.json) console.log(JSON.stringify(rows));
    else
      for (const r of rows)
        console.log(
          [
            r.hash,
            `${r.count}x`,
            `${r.users} users`,
            `score ${r.maxScore === null ? '-' : r.maxScore.toFixed(3)}`,
            r.pinned ? `pinned ${r.pinned}` : 'not pinned',
            preview(r.preview),
          ].join('\t'),
        );
    break;
  }
  case 'add': {
    const verdict = rest[0];
    if (verdict !== 'public' && verdict !== 'proprietary') fail('add needs public or proprietary');
    const text =
      str(values.text) ?? (str(values.file) ? await Bun.file(str(values.file)!).text() : undefined);
    const hash = text !== undefined ? pieceHash(text) : rest[1];
    if (!hash || !HASH.test(hash)) fail('add needs a piece hash (64 hex characters), --text or --file');
    const seen = text === undefined ? await findPreview(hash) : preview(text);
    const note = str(values.note);
    const pin: Pin = {
      hash,
      verdict,
      preview: seen ?? '',
      ...(note ? { note } : {}),
      createdAt: new Date().toISOString(),
      createdBy: `pin-cli:${userInfo().username}`,
    };
    await store.pins.pin(pin);
    console.log(`pinned ${hash} ${verdict}${seen ? `: ${seen.slice(0, 80)}` : ''}`);
    break;
  }
  case 'list': {
    const pins = store.pins.list();
    if (values.json) console.log(JSON.stringify(pins));
    else
      for (const p of pins)
        console.log([p.hash, p.verdict, p.createdAt, p.createdBy, preview(p.preview)].join('\t'));
    break;
  }
  case 'remove': {
    const hash = rest[0];
    if (!hash || !HASH.test(hash)) fail('remove needs the piece hash (see list)');
    const removed = await store.pins.unpin(hash);
    if (!removed) fail(`no pin for ${hash}`);
    console.log(`removed the ${removed.verdict} pin on ${hash}`);
    break;
  }
  default:
    fail(command ? `unknown command "${command}"` : 'no command given');
}

/** The start of a piece's text, from the most recent audit record that carried it. */
async function findPreview(hash: string): Promise<string | undefined> {
  const page = await store.audit.page({
    limit: 1,
    filter: (r) => r.pieces?.some((p) => p.hash === hash) ?? false,
  });
  return page.records[0]?.pieces?.find((p) => p.hash === hash)?.preview;
}
