/**
 * The audit chain panel in headless Chromium, end to end: an admin presses "Verify now" on the Requests
 * view, a real router process (the only one holding AUDIT_HMAC_KEY) sees the request and verifies, and the
 * panel shows the outcome; then a record is edited on disk and the next verification names the break.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadUiConfig } from '@split-brain/config';
import { dayOf, openStore } from '@split-brain/store';
import type { Subprocess } from 'bun';
import type { BrowserContext, Page } from 'playwright-core';
import { createUiApp } from '../server/app.ts';
import { artifactPath, buildConsole, launchChromium } from '../server/testing/chromium.ts';
import { auditRecord } from '../server/testing/audit-records.ts';
import { quietLogger } from '../server/testing/harness.ts';
import { freePort } from '../server/testing/stack.ts';

const KEY = 'console-audit-test-key-0123456789abcdef';
const ROUTER_MAIN = resolve(import.meta.dir, '../../../router/src/main.ts');

describe('audit chain panel (Chromium, a real router answering)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-audit-'));
  const store = openStore(dataDir, { onProblem: () => {} });
  let ui: ReturnType<typeof createUiApp>;
  let server: ReturnType<typeof Bun.serve>;
  let router: Subprocess;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const staticDir = await buildConsole();
    const writer = store.audit.writer('router-0', { key: KEY, fsyncIntervalMs: 0 });
    for (let i = 0; i < 4; i++)
      writer.append(auditRecord({ id: `req-${i}`, time: new Date().toISOString(), text: `question ${i}` }));
    writer.close();
    ui = createUiApp({
      config: loadUiConfig({
        UI_DEV_MODE: 'true',
        SPLIT_BRAIN_DATA_DIR: dataDir,
        CLASSIFIER_URL: 'http://127.0.0.1:9',
        LOG_LEVEL: 'error',
      }),
      store,
      logger: quietLogger,
      staticDir,
      trainer: null,
    });
    server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: ui.app.fetch });
    base = `http://127.0.0.1:${server.port}`;
    // The router needs no upstream to answer a verification request: nothing is sent to it.
    const port = await freePort();
    router = Bun.spawn([process.execPath, ROUTER_MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        SPLIT_BRAIN_DATA_DIR: dataDir,
        POD_NAME: 'router-1',
        LOG_LEVEL: 'error',
        CLASSIFIER_URL: 'http://127.0.0.1:9',
        ANTHROPIC_API_KEY: 'sk-ant-unused',
        SCALARLM_BASE_URL: 'http://127.0.0.1:9/v1',
        AUDIT_HMAC_KEY: KEY,
      },
      stdout: 'ignore',
      stderr: 'inherit',
    });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await Bun.sleep(100);
    }
    context = await launchChromium();
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    router?.kill();
    await server?.stop(true);
    ui?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const panel = () => page.getByRole('region', { name: 'Audit chain' });

  test('never verified; Verify now; a router answers; the panel shows the chain intact', async () => {
    await page.goto(`${base}/requests`);
    await panel().getByText('Never verified.').waitFor();
    await panel().getByRole('button', { name: 'Verify now' }).click();
    await panel()
      .getByText(/waiting for a router/)
      .waitFor();
    await panel()
      .getByText(/^Intact — 4 records in 1 pod, verified .* by router pod router-1 for /)
      .waitFor({
        timeout: 15_000,
      });
    await page.screenshot({ path: artifactPath('audit-verification-intact.png'), fullPage: true });
  }, 30_000);

  test('a record edited on disk: the next verification names the break', async () => {
    const file = store.paths.auditFile(dayOf(Date.now()), 'router-0');
    writeFileSync(file, readFileSync(file, 'utf8').replace('question 2', 'question 9'));
    await panel().getByRole('button', { name: 'Verify now' }).click();
    await panel()
      .getByText(/^Broken: 1 break — 4 records/)
      .waitFor({ timeout: 15_000 });
    const item = (await panel().getByRole('listitem').first().textContent()) ?? '';
    expect(item).toMatch(/^edited audit\/\d{4}-\d{2}-\d{2}\/router-0\.jsonl:3 /);
    await page.screenshot({ path: artifactPath('audit-verification-broken.png'), fullPage: true });
  }, 30_000);

  test('no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
