/**
 * The README's dev console (`bun run dev`, :8082) in Chromium against Vite's dev server itself, not a
 * build: the app's modules come from source through Vite, and only /api/… and /auth/… reach the API.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUiConfig } from '@split-brain/config';
import type { BrowserContext } from 'playwright-core';
import { startUiDev } from '../server/dev.ts';
import { artifactPath, launchChromium } from '../server/testing/chromium.ts';
import { quietLogger } from '../server/testing/harness.ts';
import { freePort } from '../server/testing/stack.ts';

describe('the dev console (Vite dev server with hot reload) in Chromium', () => {
  let dev: Awaited<ReturnType<typeof startUiDev>>;
  let context: BrowserContext;

  beforeAll(async () => {
    const config = loadUiConfig({
      UI_DEV_MODE: 'true',
      PORT: String(await freePort()),
      SPLIT_BRAIN_DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-ui-dev-')),
      CLASSIFIER_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'error',
    });
    dev = await startUiDev(config, quietLogger);
    context = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await dev?.close();
  });

  test('the module /api.ts is the app’s own, not the API’s 404', async () => {
    const r = await fetch(`${dev.url}/api.ts`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('javascript');
    expect(await r.text()).toContain('loadMe');
    // …while the API itself is still proxied.
    const me = await fetch(`${dev.url}/api/me`);
    expect(await me.json()).toMatchObject({ email: 'dev@localhost', devMode: true });
  });

  test('the page renders, signs in as the dev user and navigates', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${dev.url}/tokens`);
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor({ timeout: 30_000 });
    await page.getByText('dev@localhost').first().waitFor();
    await page.getByText('No tokens yet.').waitFor();
    await page.getByRole('link', { name: 'Requests', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    await page.screenshot({ path: artifactPath('dev-server.png') });
    expect(errors).toEqual([]);
  }, 60_000);
});
