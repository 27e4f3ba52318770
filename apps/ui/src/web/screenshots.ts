/**
 * The screenshots in docs/ui/: the console, freshly built, in Chromium (1280×800), over a store seeded with
 * a month of believable traffic (five people, two brains, quiet weekends, a few quota refusals), tokens,
 * labels, documents, two trained heads, limits and settings. Run under the heavy lock:
 *
 *   flock /tmp/sb-heavy.lock bun apps/ui/src/web/screenshots.ts
 *
 * The Probe needs a classifier; a small stand-in on loopback scores by a few of the fixture corpus's
 * words, so the picture shows a real answer of the console without loading the model.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadUiConfig } from '@split-brain/config';
import { type AuditRecord, openStore, type Store } from '@split-brain/store';
import { createUiApp } from '../server/app.ts';
import { buildConsole, launchChromium } from '../server/testing/chromium.ts';
import { quietLogger } from '../server/testing/harness.ts';
import { minimalPdf } from '../server/testing/minimal-pdf.ts';

const OUT = resolve(import.meta.dir, '../../../../docs/ui');
const DAY = 86_400_000;

const PUBLIC = [
  'What is a good recipe for fluffy pancakes on a Sunday morning?',
  'Explain the difference between a mutex and a semaphore with a short example.',
  'Write a polite email declining a meeting invitation next Tuesday.',
  'How do I reverse a linked list in TypeScript?',
  'Summarise the plot of Moby-Dick in three sentences.',
  'What are the tide tables used for in small-boat navigation?',
  'Convert this CSV of temperatures to Fahrenheit and plot the weekly mean.',
  'Which Kubernetes probe should restart a pod that deadlocked?',
];
const PROPRIETARY = [
  'What top speed did the Skarv-7 reach in the Lyngen sea trials, and what was the fuel burn at 18 knots?',
  'Draft the Halvorsen Boatyard price sheet for the Skarv-7 hull with the dealer margins from last quarter.',
  'Compare the Skarv-7 keel revision B loads with the class society limits in our memo.',
  'Summarise the supplier dispute with Nordvik Composites from the internal thread.',
  'Rewrite the Lyngen trials report intro for the board, keep the hull stress numbers.',
];
const USERS = ['ann@acme.com', 'bob@acme.com', 'carla@acme.com', 'deniz@acme.com', 'erik@acme.com'];
const ACTIVITY = [1, 0.8, 0.55, 0.35, 0.2];

/** A small deterministic generator, so the pictures do not change from run to run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

async function seed(store: Store, now: number) {
  const rand = random(16);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  let clock = now;
  const audit = store.audit.writer('router-0', { fsyncIntervalMs: 0, now: () => clock });
  const usage = store.usage.writer('router-0', { fsyncIntervalMs: 0, now: () => clock });
  const today = Math.floor(now / DAY) * DAY;
  let n = 0;
  const records: AuditRecord[] = [];
  for (let d = 29; d >= 0; d--) {
    const dayStart = today - d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue; // quiet weekends: the gaps the calendar axis shows
    if (d === 12 || d === 13 || d === 14) continue; // and a holiday
    for (const [u, user] of USERS.entries()) {
      const count = Math.round(ACTIVITY[u]! * (6 + rand() * 10));
      for (let i = 0; i < count; i++) {
        const time = dayStart + (8 + rand() * 10) * 3600_000;
        if (time > now) continue;
        clock = time;
        const proprietary = rand() < 0.3;
        const text = proprietary ? pick(PROPRIETARY) : pick(PUBLIC);
        const score = proprietary ? 0.55 + rand() * 0.44 : rand() < 0.85 ? rand() * 0.25 : 0.2 + rand() * 0.3;
        const route = score >= 0.45 ? 'local' : 'claude';
        const quota = user === 'bob@acme.com' && route === 'claude' && rand() < 0.12;
        const inputTokens = Math.round(200 + rand() * (route === 'local' ? 3000 : 9000));
        const outputTokens = Math.round(100 + rand() * 1500);
        const openai = rand() < 0.6;
        const id = `req-${(n++).toString(36).padStart(5, '0')}-${Math.floor(rand() * 1e6).toString(36)}`;
        const record: AuditRecord = {
          v: 1,
          id,
          time: new Date(time).toISOString(),
          pod: 'router-0',
          user,
          tokenId: 'abcdef012345',
          dialect: openai ? 'openai' : 'anthropic',
          stream: rand() < 0.5,
          clientModel: openai ? 'gpt-4o' : 'claude-sonnet-4-6',
          route,
          backendModel: quota ? null : route === 'local' ? 'scalarlm-llama-3.1-8b' : 'claude-sonnet-4-6',
          score,
          threshold: 0.45,
          keywords: text.includes('Skarv-7') && rand() < 0.4 ? ['Skarv-7'] : [],
          headVersion: 'h-20261118-a',
          reason: quota ? 'quota' : route === 'local' ? 'score' : 'below-threshold',
          status: quota ? 429 : 200,
          latencyMs: quota ? 3 + rand() * 5 : (route === 'local' ? 600 : 900) + rand() * 4000,
          ttfbMs: quota ? null : 150 + rand() * 600,
          usage: quota ? null : { inputTokens, outputTokens },
          text,
        };
        records.push(record);
      }
    }
  }
  // The router appends as requests finish, so the log is in time order.
  records.sort((a, b) => a.time.localeCompare(b.time));
  for (const record of records) {
    clock = Date.parse(record.time);
    const { id, user, usage: used } = record;
    audit.append(record);
    if (used && record.route) {
      usage.append({
        v: 1,
        time: record.time,
        requestId: id,
        user,
        brain: record.route,
        kind: 'settle',
        tokens: 0,
        inputTokens: used.inputTokens,
        outputTokens: used.outputTokens,
      });
    }
  }
  audit.close();
  usage.close();

  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  for (const [user, name, age] of [
    ['dev@localhost', 'laptop', 20],
    ['dev@localhost', 'CI pipeline', 9],
    ['ann@acme.com', 'Claude Code', 25],
    ['bob@acme.com', 'notebook', 14],
  ] as const) {
    const { record } = await store.tokens.create({ user, name, createdBy: 'dev@localhost', now: at(age) });
    await store.tokens.touchLastUsed(record.hash, at(age > 20 ? 0.2 : 1.5));
  }
  const old = await store.tokens.create({
    user: 'carla@acme.com',
    name: 'old laptop',
    createdBy: 'dev@localhost',
    now: at(28),
  });
  await store.tokens.revoke(old.record.id, at(10));

  for (const [text, label] of [
    [PROPRIETARY[0], 'proprietary'],
    [PROPRIETARY[1], 'proprietary'],
    [PROPRIETARY[3], 'proprietary'],
    [PUBLIC[0], 'public'],
    [PUBLIC[3], 'public'],
    [PUBLIC[5], 'public'],
  ] as const) {
    await store.labels.add({ text: text!, label, requestId: null, createdBy: 'ann@acme.com' });
  }
  const docs: [string, Uint8Array, 'text/markdown' | 'text/plain' | 'application/pdf', string][] = [
    [
      'skarv-7-sea-trials.md',
      new TextEncoder().encode('# Skarv-7 sea trials\n'),
      'text/markdown',
      'Skarv-7 sea trials, Lyngen. '.repeat(180),
    ],
    [
      'dealer-price-sheet.txt',
      new TextEncoder().encode('Dealer price sheet\n'),
      'text/plain',
      'Halvorsen Boatyard dealer prices. '.repeat(90),
    ],
    [
      'keel-revision-b.pdf',
      minimalPdf(['Keel revision B']),
      'application/pdf',
      'Keel revision B load cases. '.repeat(260),
    ],
  ];
  for (const [name, pdf, mediaType, text] of docs) {
    // A text document's original is its text; the PDF keeps its own bytes.
    const original = mediaType === 'application/pdf' ? pdf : new TextEncoder().encode(text);
    await store.documents.save({ name, mediaType, original, text, uploadedBy: 'ann@acme.com' });
  }
  for (const [version, age, auc] of [
    ['h-20261104-a', 27, 0.948],
    ['h-20261118-a', 13, 0.981],
  ] as const) {
    await store.heads.save({
      v: 1,
      version,
      createdAt: at(age).toISOString(),
      modelId: 'sentence-transformers/all-MiniLM-L6-v2',
      dimension: 2,
      weights: [0.4, -0.2],
      bias: 0,
      suggestedThreshold: 0.45,
      metrics: { cvPrecision: 0.93, cvRecall: 0.95, cvRocAuc: auc, positives: 412, negatives: 5008 },
    });
    await store.heads.promote(version, 'dev@localhost', at(age));
  }
  await store.limits.write({
    v: 1,
    defaultDailyTokens: 60_000,
    users: { 'ann@acme.com': 120_000, 'bob@acme.com': 45_000, 'erik@acme.com': null },
  });
  await store.settings.write({
    v: 1,
    defaultClaudeModel: 'claude-sonnet-4-6',
    allowedClaudeModels: ['claude-sonnet-4-6', 'claude-opus-4-1', 'claude-haiku-4-5'],
    classifierThreshold: 0.45,
  });
}

/** Scores text by a few words of the fixture corpus: a stand-in classifier for the Probe picture only. */
function standInClassifier() {
  return Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      const { texts } = (await request.json()) as { texts: string[] };
      const results = texts.map((t) => ({
        score: /skarv|lyngen|halvorsen|keel/i.test(t) ? 0.93 : 0.07,
        keywords: /skarv-7/i.test(t) ? ['Skarv-7'] : [],
      }));
      // The classifier's answer: per text, and the maximum over them with every keyword found.
      return Response.json({
        results,
        maxScore: Math.max(...results.map((r) => r.score)),
        keywords: [...new Set(results.flatMap((r) => r.keywords))],
        headVersion: 'h-20261118-a',
        modelId: 'sentence-transformers/all-MiniLM-L6-v2',
      });
    },
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'sb-ui-shots-'));
const store = openStore(dataDir, { onProblem: () => {} });
await seed(store, Date.now());
const classifier = standInClassifier();
const staticDir = await buildConsole();
const ui = createUiApp({
  config: loadUiConfig({
    UI_DEV_MODE: 'true',
    SPLIT_BRAIN_DATA_DIR: dataDir,
    CLASSIFIER_URL: `http://127.0.0.1:${classifier.port}`,
    LOG_LEVEL: 'error',
  }),
  store,
  logger: quietLogger,
  staticDir,
});
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: ui.app.fetch });
const base = `http://127.0.0.1:${server.port}`;
const context = await launchChromium();
const page = await context.newPage();
mkdirSync(OUT, { recursive: true });
const shot = async (name: string) => {
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  console.log(`docs/ui/${name}.png`);
};
const view = async (path: string, title: string, ready: () => Promise<unknown>) => {
  await page.goto(`${base}${path}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await ready();
};

try {
  await view('/tokens', 'Tokens', () =>
    page.getByRole('cell', { name: 'CI pipeline', exact: true }).waitFor(),
  );
  await page.getByRole('checkbox').check();
  await page.getByRole('cell', { name: 'old laptop', exact: true }).waitFor();
  await shot('tokens');
  await view('/requests', 'Requests', () => page.locator('figure.histogram').waitFor());
  await shot('requests');
  await page
    .getByRole('button', { name: /^Open request/ })
    .nth(2)
    .click();
  await page.getByRole('complementary', { name: 'Request detail' }).waitFor();
  await page.screenshot({ path: join(OUT, 'requests-detail.png') });
  console.log('docs/ui/requests-detail.png');
  await view('/labels', 'Labels', () =>
    page.getByRole('cell', { name: 'proprietary', exact: true }).first().waitFor(),
  );
  await shot('labels');
  await view('/documents', 'Documents', () =>
    page.getByRole('link', { name: 'keel-revision-b.pdf' }).waitFor(),
  );
  await shot('documents');
  await view('/training', 'Training', () => page.getByText('h-20261118-a').first().waitFor());
  await shot('training');
  await view('/probe', 'Probe', async () => {
    await page.getByLabel('Text').fill(PROPRIETARY[0]!);
    await page.getByRole('button', { name: 'Probe' }).click();
    await page.getByTestId('probe-route').waitFor();
  });
  await shot('probe');
  await view('/usage', 'Usage', () => page.locator('.small-multiples figure').first().waitFor());
  await page.getByLabel('Days').selectOption('30');
  await page.locator('.small-multiples figure').first().waitFor();
  await shot('usage');
  await view('/limits', 'Limits', () =>
    page.waitForFunction(() => !document.querySelector('fieldset')?.disabled),
  );
  await shot('limits');
  await view('/settings', 'Settings', () =>
    page.waitForFunction(() => !document.querySelector('fieldset')?.disabled),
  );
  await page.getByLabel('Default Claude model').fill('claude-opus-4-5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Nothing was saved').waitFor();
  await shot('settings');
} finally {
  await context.close();
  await server.stop(true);
  await classifier.stop(true);
  ui.close();
}
