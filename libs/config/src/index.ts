export { ConfigError, type EnvSource, parseEnv } from './load.ts';
export {
  loadRouterConfig,
  loadRouterAuditTools,
  loadRouterDataDir,
  type AuditConfig,
  type RouterConfig,
  type RouterEnv,
  routerEnvSchema,
} from './router.ts';
export {
  type ClassifierConfig,
  type ClassifierEnv,
  classifierEnvSchema,
  loadClassifierConfig,
} from './classifier.ts';
export { type UiConfig, type UiEnv, loadUiConfig, uiEnvSchema } from './ui.ts';
export { secretEnvNames } from './secrets.ts';
