/**
 * Browser tests of the console in Debian's headless Chromium (playwright-core), against the real stack:
 * simulator, classifier process (MiniLM), router process, and the console serving its freshly built app.
 * Screenshots of every view go to test-artifacts/ui/.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadUiConfig } from '@split-brain/config';
import { openStore } from '@split-brain/store';
import { createLocalJWKSet } from 'jose';
import OpenAI from 'openai';
import type { BrowserContext, Page } from 'playwright-core';
import { createUiApp } from '../server/app.ts';
import { artifactPath, buildConsole, launchChromium } from '../server/testing/chromium.ts';
import { quietLogger } from '../server/testing/harness.ts';
import { startTestIdentityProvider, testCloudflareKeys } from '../server/testing/identity-provider.ts';
import { minimalPdf } from '../server/testing/minimal-pdf.ts';
import { freePort, startServiceStack } from '../server/testing/stack.ts';
import { storeTrainer } from '../server/training/store-trainer.ts';

const FIXTURES = resolve(import.meta.dir, '../../../../libs/training/src/fixtures');
const PUBLIC_TEXT = 'What is a good recipe for fluffy pancakes on a Sunday morning?';
const PROPRIETARY_TEXT = 'What top speed did the Skarv-7 reach in the Lyngen sea trials?';

let staticDir: string;
beforeAll(async () => {
  staticDir = await buildConsole();
}, 120_000);

describe('the console in Chromium (dev mode, full stack)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-browser-'));
  let stack: Awaited<ReturnType<typeof startServiceStack>>;
  let ui: ReturnType<typeof createUiApp>;
  let server: ReturnType<typeof Bun.serve>;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const store = openStore(dataDir, { onProblem: () => {} });
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startServiceStack(dataDir);
    const config = loadUiConfig({
      UI_DEV_MODE: 'true',
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_URL: stack.classifierUrl,
      LOG_LEVEL: 'error',
    });
    ui = createUiApp({
      config,
      store,
      logger: quietLogger,
      staticDir,
      // The real trainer; a sample of the general negatives keeps the run to seconds.
      trainer: storeTrainer(stack.classifierUrl, { maxGeneralNegatives: 300 }),
    });
    server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: ui.app.fetch });
    base = `http://127.0.0.1:${server.port}`;
    context = await launchChromium();
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Confirmations (revoke, remove, promote, roll back) are accepted, as the operator would.
    page.on('dialog', (dialog) => dialog.accept());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop(true);
    ui?.close();
    await stack?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: artifactPath(`${name}.png`), fullPage: true });
  const open = async (view: string) => {
    await page.getByRole('link', { name: view, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: view }).waitFor();
  };

  let token = '';
  let requestId = '';

  test('create a token and use it against the router with the official OpenAI client', async () => {
    await page.goto(`${base}/tokens`);
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor();
    await page.getByLabel('Name').fill('browser test');
    await page.getByRole('button', { name: 'Create token' }).click();
    token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('cell', { name: 'browser test', exact: true }).waitFor();
    await shot('tokens');

    const client = new OpenAI({ apiKey: token, baseURL: `${stack.routerUrl}/v1`, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: `${PUBLIC_TEXT} (browser-run)` }],
      })
      .withResponse();
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).not.toBe('');
  }, 60_000);

  test('find that request in Requests and label it', async () => {
    await open('Requests');
    await page.getByLabel('Text').fill('browser-run');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Open request ${requestId}` }).click();
    const detail = page.getByRole('complementary', { name: 'Request detail' });
    await detail.getByText('(browser-run)').first().waitFor();
    await detail.getByRole('button', { name: 'Label public' }).click();
    await detail.getByTestId('current-label').filter({ hasText: 'public' }).waitFor();
    await shot('requests');
    const labels = await store.labels.list();
    expect(labels.map((l) => [l.requestId, l.label])).toEqual([[requestId, 'public']]);

    await open('Labels');
    await page.getByRole('cell', { name: requestId, exact: true }).waitFor();
    // Curated examples come in as JSONL through the import button.
    const jsonl = (JSON.parse(readFileSync(join(FIXTURES, 'labels.json'), 'utf8')) as object[])
      .map((l) => JSON.stringify(l))
      .join('\n');
    await page.locator('input[type=file]').setInputFiles({
      name: 'labels.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(jsonl),
    });
    await page.getByText(/Imported 20 label\(s\); 21 in all/).waitFor();
    await shot('labels');
  }, 60_000);

  test('upload documents, including a PDF, and see their extracted text', async () => {
    await open('Documents');
    const corpus = readdirSync(join(FIXTURES, 'corpus')).map((name) => ({
      name,
      mimeType: 'text/markdown',
      buffer: readFileSync(join(FIXTURES, 'corpus', name)),
    }));
    const pdf = {
      name: 'yard-memo.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        minimalPdf(['Halvorsen Boatyard internal memo', 'Skarv-7 hull pricing is confidential']),
      ),
    };
    // Each upload held back a little, so the batch is still going when we look at the kind box.
    await page.route('**/api/documents', async (route) => {
      if (route.request().method() === 'POST') await Bun.sleep(200);
      await route.continue();
    });
    await page.getByLabel('File').setInputFiles([...corpus, pdf]);
    await page.getByRole('button', { name: 'Upload' }).click();
    // The kind chosen at Upload holds for the whole batch: the box is locked until it is done.
    await page.waitForFunction(
      () => (document.querySelector('input[name=public]') as HTMLInputElement | null)?.disabled === true,
    );
    // A click on it meanwhile changes nothing.
    await page.getByLabel('Public reference document').click({ force: true });
    await page.getByRole('link', { name: 'yard-memo.pdf' }).waitFor({ timeout: 20_000 });
    await page.unroute('**/api/documents');
    expect(await page.getByLabel('Public reference document').isDisabled()).toBe(false);
    const docs = await store.documents.list();
    expect(docs).toHaveLength(corpus.length + 1);
    expect(docs.filter((d) => d.public).map((d) => d.name)).toEqual([]);
    const memo = docs.find((d) => d.name === 'yard-memo.pdf')!;
    expect(await store.documents.text(memo.id)).toContain('Skarv-7 hull pricing is confidential');
    // A file that is not what it claims is refused with the reason, and not stored.
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('hello') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page
      .getByRole('list', { name: 'Upload results' })
      .getByText('is named as a PDF but is not one')
      .waitFor();
    expect(await store.documents.list()).toHaveLength(corpus.length + 1);
    await shot('documents');
  }, 60_000);

  let probeBefore = '';
  test('the Probe answers before any head is trained', async () => {
    await open('Probe');
    await page.getByLabel('Text').fill(PUBLIC_TEXT);
    await page.getByRole('button', { name: 'Probe' }).click();
    probeBefore = (await page.getByTestId('probe-route').textContent()) ?? '';
    // No trained head: the router fails closed to the local brain, and the probe says so.
    expect(probeBefore).toBe('local');
    await expect(page.getByTestId('probe-head').textContent()).resolves.toBe('none');
    await shot('probe-before');
  }, 30_000);

  test('train a head with progress, save it, promote it, and see the Probe change its answer', async () => {
    await open('Training');
    // The target recall keeps its value when the operator comes back to the view.
    await page.getByLabel('Target recall').fill('0.97');
    await open('Probe');
    await open('Training');
    expect(await page.getByLabel('Target recall').inputValue()).toBe('0.97');
    await page.getByRole('button', { name: 'Train a new head' }).click();
    await page.getByRole('progressbar').waitFor();
    await shot('training-progress');
    const version = page.getByTestId('trained-version');
    await version.waitFor({ timeout: 120_000 });
    const trained = (await version.textContent()) ?? '';
    // Readable metrics: named rows, counts as integers, the router's threshold beside the suggestion.
    await page.getByRole('table', { name: 'Cross-validation by document' }).getByText('ROC-AUC').waitFor();
    const learned = page.getByRole('table', { name: 'What it learned from' });
    expect(
      await learned.getByRole('row', { name: /Passages of proprietary documents/ }).textContent(),
    ).toMatch(/documents\d+$/);
    expect(await page.getByTestId('router-threshold').textContent()).toBe('0.400');
    await page.getByRole('img', { name: 'Score distributions of held-out questions' }).waitFor();
    await page.getByRole('img', { name: 'Precision-recall curve' }).waitFor();
    await page.getByRole('button', { name: 'Replay recent traffic' }).click();
    await page
      .getByTestId('replay')
      .getByText(/Of the last \d+ requests/)
      .waitFor();
    await page.getByRole('button', { name: 'Save head' }).click();
    await page.getByText(`Saved head ${trained}`).waitFor();
    expect(await store.heads.list()).toEqual([trained]);
    // Promoting asks first; "Not now" leaves the pointer alone.
    await page.getByRole('button', { name: `Promote ${trained}` }).click();
    await page.getByRole('button', { name: 'Not now' }).click();
    expect(await store.heads.pointer()).toBeUndefined();
    await page.getByRole('button', { name: `Promote ${trained}` }).click();
    await page.getByRole('button', { name: `Yes, promote ${trained}` }).click();
    await page.getByText(`Promoted ${trained}; the classifier reloaded it.`).waitFor();
    await expect(page.getByTestId('current-head').textContent()).resolves.toBe(trained);
    expect((await store.heads.pointer())?.current).toBe(trained);
    // The saved-heads table shows the head's cross-validated metrics, not placeholders.
    const savedRow = page
      .getByRole('table', { name: 'Saved heads' })
      .getByRole('row')
      .filter({ hasText: trained });
    expect(await savedRow.textContent()).not.toContain('—');
    await shot('training');

    await open('Probe');
    await page.getByLabel('Text').fill(PUBLIC_TEXT);
    await page.getByRole('button', { name: 'Probe' }).click();
    await page.getByTestId('probe-head').getByText(trained).waitFor();
    expect(await page.getByTestId('probe-route').textContent()).toBe('claude');
    expect(await page.getByTestId('probe-route').textContent()).not.toBe(probeBefore);
    await page.getByLabel('Text').fill(PROPRIETARY_TEXT);
    await page.getByRole('button', { name: 'Probe' }).click();
    await page.getByTestId('probe-route').getByText('local').waitFor();
    expect(Number(await page.getByTestId('probe-score').textContent())).toBeGreaterThanOrEqual(0.4);
    await shot('probe-after');
  }, 180_000);

  test('admin views: usage chart, limits and settings written through the store', async () => {
    await open('Usage');
    await page.locator('figure.chart svg').first().waitFor();
    await page.getByRole('cell', { name: 'dev@localhost' }).waitFor();
    await shot('usage');

    await open('Limits');
    await page.getByLabel('Default daily tokens').fill('250000');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Limits saved').waitFor();
    expect((await Bun.file(store.paths.limitsFile).json()).defaultDailyTokens).toBe(250_000);
    await shot('limits');

    await open('Settings');
    await page.getByLabel('Default Claude model').fill('claude-sonnet-4-6');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    expect((await Bun.file(store.paths.settingsFile).json()).defaultClaudeModel).toBe('claude-sonnet-4-6');
    await shot('settings');
  }, 60_000);

  test('pins: the request sent through the router is a frequent piece; pin it public, then unpin', async () => {
    await open('Pins');
    const row = page.getByRole('row').filter({ hasText: `${PUBLIC_TEXT} (browser-run)` });
    await row.waitFor();
    await row.getByRole('button', { name: 'Pin public' }).click();
    await page.getByText('Pinned public').waitFor();
    const pins = (await Bun.file(store.paths.pinsFile).json()) as {
      pins: { verdict: string; preview: string }[];
    };
    expect(pins.pins.map((p) => [p.verdict, p.preview])).toEqual([
      ['public', `${PUBLIC_TEXT} (browser-run)`],
    ]);
    await shot('pins');
    await page.getByRole('button', { name: 'Unpin' }).click();
    await page.getByText('Pin removed').waitFor();
    expect(((await Bun.file(store.paths.pinsFile).json()) as { pins: unknown[] }).pins).toEqual([]);
  }, 60_000);

  test('keyboard only: skip link, then the navigation, lands focus on the new page', async () => {
    await page.goto(`${base}/tokens`);
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    let found = false;
    for (let i = 0; i < 25 && !found; i++) {
      await page.keyboard.press('Tab');
      found = (await page.evaluate(() => document.activeElement?.textContent)) === 'Labels';
    }
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/labels`);
    await page.waitForFunction(() => document.activeElement?.id === 'page-title');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Labels');
  }, 30_000);

  test('narrow screen: the navigation folds behind a menu button and the views fit', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/requests`);
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    expect(await page.getByRole('link', { name: 'Tokens', exact: true }).isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('narrow-requests');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Tokens', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor();
    await shot('narrow-tokens');
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 30_000);

  test('no script errors in the page along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('the console in Chromium (Cloudflare Access + Google sign-in)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-signin-'));
  let idp: Awaited<ReturnType<typeof startTestIdentityProvider>>;
  let keys: Awaited<ReturnType<typeof testCloudflareKeys>>;
  let ui: ReturnType<typeof createUiApp>;
  let server: ReturnType<typeof Bun.serve>;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    idp = await startTestIdentityProvider({ clientId: 'browser-client', clientSecret: 'browser-secret' });
    keys = await testCloudflareKeys('acme.cloudflareaccess.com', 'console-aud');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = loadUiConfig({
      SPLIT_BRAIN_DATA_DIR: dataDir,
      CLASSIFIER_URL: 'http://127.0.0.1:9',
      CF_TEAM_DOMAIN: 'acme.cloudflareaccess.com',
      CF_JWT_AUDIENCE: 'console-aud',
      GOOGLE_CLIENT_ID: 'browser-client',
      GOOGLE_CLIENT_SECRET: 'browser-secret',
      SESSION_SECRET: 'browser-session-secret',
      OAUTH_REDIRECT_URL: `${base}/auth/google/callback`,
      ALLOWED_DOMAINS: 'acme.com',
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
      googleEndpoints: idp.endpoints,
    });
    server = Bun.serve({ port, hostname: '127.0.0.1', fetch: ui.app.fetch });
  }, 30_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.stop(true);
    ui?.close();
    idp?.stop();
  });

  const browser = async (headers?: Record<string, string>) => {
    const c = await launchChromium({ extraHTTPHeaders: headers });
    contexts.push(c);
    return c.newPage();
  };

  test('without a Cloudflare Access assertion the browser gets an error page', async () => {
    const page = await browser();
    const response = await page.goto(`${base}/tokens`);
    expect(response?.status()).toBe(401);
    await page.getByText('only reachable through Cloudflare Access').waitFor();
    await page.screenshot({ path: artifactPath('signin-cloudflare-refused.png') });
  }, 30_000);

  test('through Cloudflare Access, sign in with Google (PKCE) and see the console as that user', async () => {
    const page = await browser({ 'cf-access-jwt-assertion': await keys.sign({ email: 'ann@acme.com' }) });
    idp.state.nextEmail = 'ann@acme.com';
    await page.goto(`${base}/tokens`);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor();
    await page.getByText('ann@acme.com').waitFor();
    // Not an admin: the admin views are not offered.
    expect(await page.getByRole('link', { name: 'Limits' }).count()).toBe(0);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sb_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
    await page.screenshot({ path: artifactPath('signin-google.png') });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Google' }).waitFor();
  }, 30_000);

  test('a Google account outside the allow-list is refused with a page', async () => {
    const page = await browser({ 'cf-access-jwt-assertion': await keys.sign({ email: 'ann@acme.com' }) });
    idp.state.nextEmail = 'mallory@gmail.com';
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.getByText('mallory@gmail.com is not on this console').waitFor();
    expect(ui.sessions?.counts().sessions).toBe(0);
    await page.screenshot({ path: artifactPath('signin-refused.png') });
  }, 30_000);
});
