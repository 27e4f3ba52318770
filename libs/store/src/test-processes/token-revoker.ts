// Child process for the revocation race: revokes one token after a short delay.
import { openStore } from '../index.ts';

const [dataDir, id, delayMs] = process.argv.slice(2) as [string, string, string];
await Bun.sleep(Number(delayMs));
const revoked = await openStore(dataDir).tokens.revoke(id);
process.stdout.write(revoked?.revokedAt ? 'revoked\n' : 'missing\n');
