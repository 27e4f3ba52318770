import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EnvSource, loadUiConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import { openStore } from '@split-brain/store';
import { createLocalJWKSet } from 'jose';
import { createUiApp, type UiAppOptions } from '../app.ts';
import { testCloudflareKeys } from './identity-provider.ts';

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

/**
 * A console behind the Cloudflare Access layer (team `t.cloudflareaccess.com`, audience `aud`), and `as`,
 * which signs in a person by email and returns their headers (assertion and CSRF token) for `app.request`.
 */
export async function cloudflareConsole(env: EnvSource = {}) {
  const keys = await testCloudflareKeys('t.cloudflareaccess.com', 'aud');
  const ui = testConsole(
    { CF_TEAM_DOMAIN: 't.cloudflareaccess.com', CF_JWT_AUDIENCE: 'aud', ...env },
    { cloudflareJwks: createLocalJWKSet(keys.jwks) },
  );
  const as = async (email: string) =>
    csrfFor(ui.app, { 'cf-access-jwt-assertion': await keys.sign({ email }) });
  return { ui, as };
}
