import { ConfigError, loadUiConfig } from '@split-brain/config';
import { createLogger, serve } from '@split-brain/http';
import { openStore } from '@split-brain/store';
import { createUiApp } from './app.ts';
import { defaultStaticDir } from './static-files.ts';

/** `bun run start:ui`: the operator console on PORT (8080). */
let config: ReturnType<typeof loadUiConfig>;
try {
  config = loadUiConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const logger = createLogger('ui', config.logLevel);
const store = openStore(config.dataDir);
const ui = createUiApp({ config, store, logger, staticDir: config.staticDir ?? defaultStaticDir });
if (config.devMode) logger.warn('dev mode: no sign-in, everyone is the dev user (admin); local use only');
serve(ui.app, { port: config.port, hostname: config.host, logger, onShutdown: () => ui.close() });
