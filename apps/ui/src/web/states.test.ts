/**
 * Every view's three honest states in Chromium, against the real console serving its freshly built app:
 * loading (the API's answer held back in the browser, then let through to the real server), empty (a
 * fresh store), and failed (the browser's request fails as a dropped connection does; then "Try again"
 * reaches the real server). Plus the real server's own refusals: a Settings contradiction shown beside its
 * field, the Probe with the classifier down, a non-admin kept out of admin views.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUiConfig } from '@split-brain/config';
import { openStore } from '@split-brain/store';
import { createLocalJWKSet } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { createUiApp } from '../server/app.ts';
import { artifactPath, buildConsole, launchChromium } from '../server/testing/chromium.ts';
import { quietLogger } from '../server/testing/harness.ts';
import { testCloudflareKeys } from '../server/testing/identity-provider.ts';
import { freePort } from '../server/testing/stack.ts';

let staticDir: string;
beforeAll(async () => {
  staticDir = await buildConsole();
}, 120_000);

/** Holds the browser's matching API calls until released; then they go on to the real server. */
async function holdApi(page: Page, pattern: RegExp) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const passed: Promise<void>[] = [];
  await page.route(pattern, (route) => {
    const through = released.then(() => route.continue());
    passed.push(through);
    return through;
  });
  return async () => {
    release();
    await Promise.all(passed);
    await page.unroute(pattern);
  };
}

/** Makes the browser's matching API calls fail as a dropped connection would, until restored. */
async function dropApi(page: Page, pattern: RegExp) {
  await page.route(pattern, (route) => route.abort('connectionreset'));
  return () => page.unroute(pattern);
}

describe('honest states in Chromium (dev mode: the dev user is an admin)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-states-'));
  let ui: ReturnType<typeof createUiApp>;
  let server: ReturnType<typeof Bun.serve>;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const store = openStore(dataDir, { onProblem: () => {} });
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const config = loadUiConfig({
      UI_DEV_MODE: 'true',
      SPLIT_BRAIN_DATA_DIR: dataDir,
      // Nothing listens here: the classifier is down, for real.
      CLASSIFIER_URL: `http://127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'error',
    });
    ui = createUiApp({ config, store, logger: quietLogger, staticDir, trainer: null });
    server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: ui.app.fetch });
    base = `http://127.0.0.1:${server.port}`;
    context = await launchChromium();
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop(true);
    ui?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name }).waitFor();

  /** A list view: loading while held, empty once through, failed with a retry that then succeeds. */
  const listCases = [
    { view: 'tokens', api: /\/api\/tokens(\?|$)/, loading: 'Loading tokens…', empty: 'No tokens yet.' },
    { view: 'labels', api: /\/api\/labels$/, loading: 'Loading labels…', empty: 'No labels yet.' },
    {
      view: 'documents',
      api: /\/api\/documents$/,
      loading: 'Loading documents…',
      empty: 'No documents yet.',
    },
    { view: 'requests', api: /\/api\/requests\?/, loading: 'Loading requests…', empty: 'No requests match.' },
  ];
  for (const c of listCases) {
    test(`${c.view}: loading, then empty; a failed load says so and retries`, async () => {
      const release = await holdApi(page, c.api);
      await page.goto(`${base}/${c.view}`);
      await page.getByRole('status').getByText(c.loading).waitFor();
      expect(await page.getByText(c.empty).count()).toBe(0);
      await page.screenshot({ path: artifactPath(`state-${c.view}-loading.png`) });
      await release();
      await page.getByText(c.empty).waitFor();
      expect(await page.getByText(c.loading).count()).toBe(0);

      const restore = await dropApi(page, c.api);
      await page.reload();
      const alert = page.getByRole('alert').filter({ hasText: `Could not load ${c.view}` });
      await alert.waitFor();
      expect(await page.getByText(c.empty).count()).toBe(0);
      await page.screenshot({ path: artifactPath(`state-${c.view}-error.png`) });
      await restore();
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByText(c.empty).waitFor();
    }, 30_000);
  }

  test('requests: the histogram has its own loading, empty and failed states', async () => {
    const histogram = /\/api\/requests\/histogram/;
    const release = await holdApi(page, histogram);
    await page.goto(`${base}/requests`);
    await page.getByText('Loading the score histogram…').waitFor();
    await release();
    await page.getByText('No requests match, so there are no scores to draw.').waitFor();
    const restore = await dropApi(page, histogram);
    await page.reload();
    await page.getByRole('alert').getByText('Could not load the score histogram').waitFor();
    await restore();
  }, 30_000);

  test('requests: From later than To is refused beside the field, before anything is sent', async () => {
    await page.goto(`${base}/requests`);
    await heading('Requests');
    await page.getByText('No requests match.').waitFor();
    await page.getByLabel('From').fill('2026-11-21T10:00');
    await page.getByLabel('To').fill('2026-11-20T10:00');
    let searched = false;
    page.on('request', (r) => {
      if (r.url().includes('/api/requests?')) searched = true;
    });
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('From is later than To.').waitFor();
    expect(await page.getByLabel('From').getAttribute('aria-invalid')).toBe('true');
    expect(searched).toBe(false);
  }, 30_000);

  test('usage: loading, then an empty range named by its dates; a failed load retries', async () => {
    const release = await holdApi(page, /\/api\/usage/);
    await page.goto(`${base}/usage`);
    await page.getByText('Loading usage…').waitFor();
    await release();
    await page.getByText(/No usage recorded from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\./).waitFor();
    const restore = await dropApi(page, /\/api\/usage/);
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load usage' });
    await alert.waitFor();
    await restore();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByText(/No usage recorded from/).waitFor();
  }, 30_000);

  for (const view of ['limits', 'settings'] as const) {
    test(`${view}: the form stays disabled while loading, and a failed load offers a retry, not a blank form`, async () => {
      const api = new RegExp(`/api/${view}$`);
      const release = await holdApi(page, api);
      await page.goto(`${base}/${view}`);
      await page.getByText(`Loading the current ${view}…`).waitFor();
      expect(await page.evaluate(() => document.querySelector('fieldset')?.disabled)).toBe(true);
      await release();
      await page.waitForFunction(() => !document.querySelector('fieldset')?.disabled);
      const restore = await dropApi(page, api);
      await page.reload();
      const alert = page.getByRole('alert').filter({ hasText: `Could not load ${view}` });
      await alert.waitFor();
      expect(await page.evaluate(() => document.querySelector('fieldset')?.disabled)).toBe(true);
      await restore();
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.waitForFunction(() => !document.querySelector('fieldset')?.disabled);
    }, 30_000);
  }

  test('settings: a default model outside the allowed list is refused beside its field; nothing saved', async () => {
    await page.goto(`${base}/settings`);
    await page.waitForFunction(() => !document.querySelector('fieldset')?.disabled);
    await page.getByLabel('Default Claude model').fill('claude-opus-4-1');
    await page.getByLabel(/Allowed Claude models/).fill('claude-sonnet-4-6');
    await page.getByLabel(/Classifier threshold/).fill('0.55');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('claude-opus-4-1 is not among the allowed models').waitFor();
    expect(await page.getByLabel('Default Claude model').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Nothing was saved').waitFor();
    expect(await Bun.file(store.paths.settingsFile).exists()).toBe(false);
    await page.screenshot({ path: artifactPath('state-settings-field-error.png') });
    // Fixed: saved, the field error and the old error gone, the threshold written for the routers.
    await page.getByLabel(/Allowed Claude models/).fill('claude-sonnet-4-6\nclaude-opus-4-1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    expect(await page.getByText('not among the allowed models').count()).toBe(0);
    expect(await page.getByText('Nothing was saved').count()).toBe(0);
    expect(await Bun.file(store.paths.settingsFile).json()).toMatchObject({ classifierThreshold: 0.55 });
  }, 30_000);

  test('probe: with the classifier down, the reason is shown, not a result', async () => {
    await page.goto(`${base}/probe`);
    await page.getByLabel('Text').fill('Anything at all');
    await page.getByRole('button', { name: 'Probe' }).click();
    await page
      .getByRole('alert')
      .getByText(/classifier/i)
      .waitFor();
    expect(await page.getByTestId('probe-route').count()).toBe(0);
  }, 30_000);

  test('tokens: "Copied" is said only after the clipboard really holds the token', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.goto(`${base}/tokens`);
    await page.getByLabel('Name').fill('states');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent())?.trim();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token!);
  }, 30_000);

  test('documents: a multi-file upload reports every file, good and bad', async () => {
    await page.goto(`${base}/documents`);
    await page.getByText('No documents yet.').waitFor();
    await page.getByLabel('File').setInputFiles([
      { name: 'one.md', mimeType: 'text/markdown', buffer: Buffer.from('# One\nKestrel notes') },
      { name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf') },
      { name: 'two.txt', mimeType: 'text/plain', buffer: Buffer.from('Second file') },
    ]);
    await page.getByRole('button', { name: 'Upload' }).click();
    const results = page.getByRole('list', { name: 'Upload results' });
    await results.getByText('two.txt').waitFor();
    expect(await results.getByRole('listitem').count()).toBe(3);
    await results.getByRole('listitem').filter({ hasText: 'fake.pdf' }).getByText('not one').waitFor();
    await page.getByRole('alert').getByText('1 of 3 file(s) were not uploaded').waitFor();
    expect((await store.documents.list()).map((d) => d.name).sort()).toEqual(['one.md', 'two.txt']);
  }, 30_000);

  test('no script errors along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('a non-admin in Chromium (Cloudflare Access)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-member-'));
  let ui: ReturnType<typeof createUiApp>;
  let server: ReturnType<typeof Bun.serve>;
  let context: BrowserContext;

  beforeAll(async () => {
    const keys = await testCloudflareKeys('acme.cloudflareaccess.com', 'aud');
    const config = loadUiConfig({
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_URL: 'http://127.0.0.1:9',
      CF_TEAM_DOMAIN: 'acme.cloudflareaccess.com',
      CF_JWT_AUDIENCE: 'aud',
      ADMIN_EMAILS: 'boss@acme.com',
      LOG_LEVEL: 'error',
    });
    ui = createUiApp({
      config,
      store: openStore(dataDir, { onProblem: () => {} }),
      logger: quietLogger,
      staticDir,
      trainer: null,
      cloudflareJwks: createLocalJWKSet(keys.jwks),
    });
    server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: ui.app.fetch });
    context = await launchChromium({
      extraHTTPHeaders: { 'cf-access-jwt-assertion': await keys.sign({ email: 'ann@acme.com' }) },
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop(true);
    ui?.close();
  });

  test('is offered only their own views, and an admin view by URL says why instead of loading forever', async () => {
    const page = await context.newPage();
    const base = `http://127.0.0.1:${server.port}`;
    await page.goto(`${base}/tokens`);
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Tokens', 'Requests', 'Probe']);
    for (const view of ['usage', 'labels', 'documents', 'training', 'settings']) {
      await page.goto(`${base}/${view}`);
      await page.getByRole('heading', { level: 1, name: 'Not for your account' }).waitFor();
    }
  }, 30_000);
});
