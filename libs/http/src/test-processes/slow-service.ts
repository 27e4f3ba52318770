// Child process for the graceful-shutdown test: one slow endpoint, and a shutdown hook that leaves a mark.
import { writeFileSync } from 'node:fs';
import { createLogger, createServiceApp, Metrics, serve } from '../index.ts';

const [markFile] = process.argv.slice(2) as [string];
const logger = createLogger('slow', 'error');
const app = createServiceApp({
  service: 'slow',
  logger,
  metrics: new Metrics('slow'),
  ready: async () => ({ ready: true, checks: {} }),
});
app.get('/slow', async (c) => {
  await Bun.sleep(400);
  return c.text('finished');
});
const server = serve(app, {
  port: 0,
  hostname: '127.0.0.1',
  logger,
  onShutdown: () => writeFileSync(markFile, 'flushed'),
});
process.stdout.write(`${server.port}\n`);
