// Child process for the crash test: appends numbered, chained audit records as fast as it can until killed.
import { openStore } from '../index.ts';

const [dataDir, pod, run, key] = process.argv.slice(2) as [string, string, string, string | undefined];
// The head is rewritten every few milliseconds, so kills also land in the middle of head writes.
const writer = openStore(dataDir).audit.writer(pod, {
  fsyncIntervalMs: 0,
  headIntervalMs: 3,
  key: key || undefined,
});
process.stdout.write('ready\n');
for (let seq = 0; ; seq++) {
  writer.append({
    id: `${run}-${seq}`,
    time: new Date().toISOString(),
    pod,
    user: 'crash@example.com',
    tokenId: null,
    dialect: 'openai',
    stream: false,
    clientModel: null,
    route: 'local',
    backendModel: 'm',
    score: 0.5,
    threshold: 0.4,
    keywords: [],
    headVersion: null,
    reason: 'score',
    status: 200,
    latencyMs: 1,
    ttfbMs: null,
    usage: null,
    // A long text makes each write large, so a kill is likely to land while one is in flight.
    text: `record ${seq} `.repeat(200),
  });
  // Let the head timer run now and then (a real router serves requests between records).
  if (seq % 50 === 0) await Bun.sleep(0);
}
