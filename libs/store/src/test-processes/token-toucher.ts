// Child process for the revocation race: records last-used on one token over and over.
import { openStore } from '../index.ts';

const [dataDir, hash, count] = process.argv.slice(2) as [string, string, string];
const tokens = openStore(dataDir).tokens;
for (let i = 0; i < Number(count); i++) await tokens.touchLastUsed(hash);
