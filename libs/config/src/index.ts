export { ConfigError, type EnvSource, parseEnv } from './load.ts';
export { type RouterConfig, type RouterEnv, loadRouterConfig, routerEnvSchema } from './router.ts';
export {
  type ClassifierConfig,
  type ClassifierEnv,
  classifierEnvSchema,
  loadClassifierConfig,
} from './classifier.ts';
export { type UiConfig, type UiEnv, loadUiConfig, uiEnvSchema } from './ui.ts';
export { secretEnvNames } from './secrets.ts';
