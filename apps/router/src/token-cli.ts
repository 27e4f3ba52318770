/**
 * Token administration for operators and automation, using the same store operations as the UI:
 *   bun run token -- create --user <email> --name <name>   prints the new token once
 *   bun run token -- list [--user <email>]
 *   bun run token -- revoke <id>
 * The data folder comes from SPLIT_BRAIN_DATA_DIR (default /var/split-brain).
 */
import { parseArgs } from 'node:util';
import { loadRouterDataDir } from '@split-brain/config';
import { openStore } from '@split-brain/store';

const usage = `usage:
  bun run token -- create --user <email> --name <name>
  bun run token -- list [--user <email>]
  bun run token -- revoke <id>`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  options: { user: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  strict: false,
});
const [command, ...rest] = positionals;
const store = openStore(loadRouterDataDir(process.env));
const user = typeof values.user === 'string' ? values.user : undefined;
const name = typeof values.name === 'string' ? values.name : undefined;

switch (command) {
  case 'create': {
    if (!user || !/^[^@\s]+@[^@\s]+$/.test(user)) fail('create needs --user <email>');
    if (!name?.trim()) fail('create needs --name <name> (what the token is for)');
    const { token, record } = await store.tokens.create({ user, name, createdBy: 'token-cli' });
    console.log(values.json ? JSON.stringify({ token, id: record.id, user: record.user }) : token);
    console.error(`created token ${record.id} for ${record.user}; it is shown only this once`);
    break;
  }
  case 'list': {
    const tokens = await store.tokens.list(user ? { user } : {});
    if (values.json) console.log(JSON.stringify(tokens.map(({ hash: _hash, ...t }) => t)));
    else
      for (const t of tokens)
        console.log(
          [
            t.id,
            t.user,
            t.name,
            t.createdAt,
            t.lastUsedAt ?? 'never',
            t.revokedAt ? `revoked ${t.revokedAt}` : 'active',
          ].join('\t'),
        );
    break;
  }
  case 'revoke': {
    const id = rest[0];
    if (!id) fail('revoke needs the token id (see list)');
    const record = await store.tokens.revoke(id);
    if (!record) fail(`no token with id ${id}`);
    console.log(`revoked ${record.id} (${record.user}) at ${record.revokedAt}`);
    break;
  }
  default:
    fail(command ? `unknown command "${command}"` : 'no command given');
}
