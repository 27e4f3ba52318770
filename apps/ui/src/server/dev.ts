import { resolve } from 'node:path';
import { type UiConfig, loadUiConfig } from '@split-brain/config';
import { createLogger, type Logger } from '@split-brain/http';
import { openStore } from '@split-brain/store';
import { apiProxy } from '../../vite.config.ts';
import { createUiApp } from './app.ts';

const appDir = resolve(import.meta.dir, '../..');

/**
 * The console for development: the API server on a loopback port of its own, and Vite's dev server on
 * `config.port` serving the app from source with hot reload and proxying /api and /auth to the API.
 * Run it directly (`bun apps/ui/src/server/dev.ts`, env as for main.ts) or call it from the dev launcher.
 */
export async function startUiDev(config: UiConfig, logger: Logger = createLogger('ui', config.logLevel)) {
  const store = openStore(config.dataDir);
  // Plain HTTP on loopback: cookies cannot carry Secure here for browsers that insist on HTTPS for it.
  const ui = createUiApp({ config, store, logger, secureCookies: false });
  const api = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: ui.app.fetch });
  const apiOrigin = `http://127.0.0.1:${api.port}`;
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: resolve(appDir, 'vite.config.ts'),
    server: {
      port: config.port,
      strictPort: true,
      host: '127.0.0.1',
      proxy: apiProxy(apiOrigin),
    },
  });
  await vite.listen();
  logger.info('ui dev server with hot reload', { url: `http://127.0.0.1:${config.port}`, api: apiOrigin });
  return {
    url: `http://127.0.0.1:${config.port}`,
    apiUrl: apiOrigin,
    async close() {
      await vite.close();
      await api.stop(true);
      ui.close();
    },
  };
}

if (import.meta.main) {
  const config = loadUiConfig({ UI_DEV_MODE: 'true', ...process.env });
  const dev = await startUiDev(config);
  const stop = async () => {
    await dev.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
