/**
 * `bun run simulator -- --port <n> [--host <addr>]`: the upstream simulator on its own, for `bun run
 * dev` and for other processes' tests (SCALARLM_BASE_URL=http://127.0.0.1:<n>/v1,
 * ANTHROPIC_BASE_URL=http://127.0.0.1:<n>).
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    port: { type: 'string', default: '8090' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), got ${values.port}`);
  process.exit(2);
}
const simulator = startSimulator({ port, hostname: values.host });
console.log(
  JSON.stringify({
    msg: 'upstream simulator listening',
    url: simulator.url,
    scalarlmBaseUrl: `${simulator.url}/v1`,
    anthropicBaseUrl: simulator.url,
  }),
);
const shutdown = (): void => {
  void simulator.stop().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
