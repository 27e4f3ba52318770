// Child process for the crash test: appends numbered audit records as fast as it can until killed.
import { openStore } from '../index.ts';

const [dataDir, pod, run] = process.argv.slice(2) as [string, string, string];
const writer = openStore(dataDir).audit.writer(pod, { fsyncIntervalMs: 0 });
process.stdout.write('ready\n');
for (let seq = 0; ; seq++) {
  writer.append({
    v: 1,
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
}
