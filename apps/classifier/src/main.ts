import { loadClassifierConfig } from '@split-brain/config';
import { createLogger, serve } from '@split-brain/http';
import { REQUEST_LIMITS } from './request-texts.ts';
import { startClassifier } from './start.ts';

const config = loadClassifierConfig(process.env);
const logger = createLogger('classifier', config.logLevel);
const running = await startClassifier(config, logger);
logger.info(running.banner);
serve(running.app, {
  port: config.port,
  hostname: config.host,
  logger,
  // Above our own limit, so oversized bodies get the JSON 413 from readTexts rather than a bare one.
  maxRequestBodySize: REQUEST_LIMITS.maxBodyBytes * 2,
  onShutdown: () => running.stop(),
});
