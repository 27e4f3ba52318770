import { ConfigError, loadRouterConfig } from '@split-brain/config';
import { createRouter, serveRouter } from './router.ts';

try {
  const config = loadRouterConfig(process.env);
  const router = await createRouter(config);
  serveRouter(router, config.port, config.host);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
