import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EnvSource, loadUiConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import { openStore } from '@split-brain/store';
import { createUiApp, type UiAppOptions } from '../app.ts';

export const quietLogger = createLogger('ui-test', 'error', {}, () => {});

/** A console on a fresh data folder, configured from env-style variables like the real one. */
export function testConsole(env: EnvSource, options: Partial<UiAppOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-'));
  const config = loadUiConfig({
    CLASSIFIER_URL: 'http://127.0.0.1:9',
    SPLIT_BRAIN_DATA_DIR: dataDir,
    ...env,
  });
  const store = openStore(dataDir, { onProblem: () => {} });
  const ui = createUiApp({ config, store, logger: quietLogger, ...options });
  return { ...ui, store, config, dataDir };
}

/** Calls the app in-process with the caller's CSRF token fetched from /api/me first. */
export async function csrfFor(
  app: ReturnType<typeof testConsole>['app'],
  headers: Record<string, string> = {},
) {
  const me = await app.request('/api/me', { headers });
  if (me.status !== 200) throw new Error(`/api/me answered ${me.status}: ${await me.text()}`);
  const body = (await me.json()) as { csrfToken: string };
  return { ...headers, 'x-csrf-token': body.csrfToken };
}
