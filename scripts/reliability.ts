/** `bun run reliability [--short]`: the reliability suite; see docs/reliability.md. */
import { reliabilityMain } from '../bench/reliability/main.ts';

await reliabilityMain(Bun.argv.slice(2));
