export { createClassifierApp } from './app.ts';
export type { Classification, TextResult } from './classifier.ts';
export { REQUEST_LIMITS } from './request-texts.ts';
export { modelPresent, REPO_MODEL_DIR, resolveModelDir, startClassifier } from './start.ts';
