export { createUiApp, DEFAULT_MAX_UPLOAD_BYTES, type UiAppOptions } from './app.ts';
export { startUiDev } from './dev.ts';
