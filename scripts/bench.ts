/** `bun run bench [--quick] [--only <targets>] [--out <dir>]`: see docs/benchmarks.md. */
import { benchMain } from '../bench/run.ts';

await benchMain(Bun.argv.slice(2));
