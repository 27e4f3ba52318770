// Child process for the no-interleave test: appends numbered usage entries to its own pod file.
import { openStore } from '../index.ts';

const [dataDir, pod, count] = process.argv.slice(2) as [string, string, string];
const writer = openStore(dataDir).usage.writer(pod, { fsyncIntervalMs: 0 });
for (let i = 0; i < Number(count); i++) {
  writer.append({
    v: 1,
    time: new Date().toISOString(),
    requestId: `${pod}-${i}`,
    user: `${pod}@example.com`,
    brain: 'claude',
    kind: 'reserve',
    tokens: 1,
  });
}
writer.close();
