import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClassifier } from '../apps/classifier/src/test-support.ts';
import { auditRecordSchema, openStore } from '../libs/store/src/index.ts';
import { requestFragments } from '../libs/training/src/index.ts';

const ROOT = join(import.meta.dir, '..');
const EVAL = join(ROOT, 'bench/classifier-eval/fernhill');
const scratch = mkdtempSync(join(tmpdir(), 'sb-train-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `bun run train -- ...` as an operator runs it. */
async function train(args: string[]) {
  const proc = Bun.spawn(['bun', join(ROOT, 'scripts', 'train.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: scratch },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

describe('bun run train', () => {
  test('refuses bad arguments with the reason and exit code 2', async () => {
    const none = await train([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--docs DIR is required');
    const promote = await train(['--docs', EVAL, '--promote']);
    expect(promote.code).toBe(2);
    expect(promote.stderr).toContain('--promote needs --data-dir');
    const recall = await train(['--docs', EVAL, '--target-recall', '2']);
    expect(recall.stderr).toContain('--target-recall must be a number from 0.5 to 1');
    const missing = await train(['--docs', join(scratch, 'nope')]);
    expect(missing.stderr).toContain('is not a folder');
    const labels = join(scratch, 'labels.jsonl');
    writeFileSync(labels, '{"text":"a","label":"proprietary"}\n{"text":"b","label":"secret"}\n');
    const bad = await train(['--docs', join(EVAL, 'internal'), '--labels', labels]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 2: "label" must be "proprietary" or "public"');
  }, 60_000);

  test('trains from folders and a questions file, saves, replays recent traffic and promotes', async () => {
    const dataDir = join(scratch, 'data');
    const store = openStore(dataDir);
    const writer = store.audit.writer('router-0', { fsyncIntervalMs: 0 });
    writer.append(
      auditRecordSchema.parse({
        v: 1,
        id: 'r-1',
        time: new Date().toISOString(),
        pod: 'router-0',
        user: 'ann@example.com',
        tokenId: null,
        dialect: 'openai',
        stream: false,
        clientModel: null,
        route: 'claude',
        backendModel: null,
        score: 0.01,
        threshold: 0.4,
        keywords: [],
        headVersion: null,
        reason: 'below-threshold',
        status: 200,
        latencyMs: 1,
        ttfbMs: null,
        usage: null,
        text: 'At what Magpie score does a claim get referred to SIU?',
      }),
    );
    writer.close();
    const labels = join(scratch, 'ok-labels.jsonl');
    writeFileSync(labels, '{"text":"What is the Maple Gold renewal discount?","label":"proprietary"}\n');
    const run = await train([
      '--docs',
      join(EVAL, 'internal'),
      '--public-docs',
      join(EVAL, 'public'),
      '--synthetic',
      join(EVAL, 'generated-questions.jsonl'),
      '--labels',
      labels,
      '--data-dir',
      dataDir,
      '--max-general',
      '500',
      '--promote',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('held-out questions (never trained on');
    expect(run.stdout).toContain('cross-validation by document');
    expect(run.stdout).toMatch(/suggested threshold: 0\.\d{3}/);
    // 500 sampled everyday prompts plus the whole developer-tool set shipped beside them.
    expect(Number(run.stdout.match(/(\d+) general prompts/)?.[1])).toBeGreaterThanOrEqual(500);
    expect(run.stdout).toContain('replay of 1 recent requests');
    expect(run.stdout).toContain('1 would go local instead of Claude');
    const version = run.stdout.match(/saved head (\S+)/)?.[1];
    expect(version).toBeDefined();
    expect((await store.heads.pointer())?.current).toBe(version!);
    const head = await store.heads.read(version!);
    expect(head?.neighbours?.k).toBe(3);
    expect(head?.lexical?.count).toBeGreaterThan(1000);
    expect(head?.metrics.publicChunks).toBeGreaterThan(0);

    // The promoted head, served by a real classifier: pieces of a request that carry no facts score below the
    // router's default threshold, including ones training never saw (none of these is in requestFragments()).
    // The router classifies each on its own, the model name included; one above the threshold would send
    // every request local.
    const unseen = [
      'claude-opus-4-7',
      'claude-sonnet-5-20270101',
      'gpt-5.1-codex',
      'toolu_01Qm7Zt2Lx9Vb4Nc8Rd3Ke5Wf6',
      'call_Hx2Jk4Lm6Np8Qr0St2Uv4Wx6',
      'yep',
      'nope, the other one',
      '2041',
      'stop_reason',
    ];
    expect(requestFragments().filter((f) => unseen.includes(f))).toEqual([]);
    const classifier = await startTestClassifier({ dataDir });
    try {
      const res = await fetch(`${classifier.url}/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ texts: [...unseen, 'What is the Maple Heritage member dividend this year?'] }),
      });
      const body = (await res.json()) as { headVersion: string; results: { score: number }[] };
      expect(body.headVersion).toBe(version!);
      const scores = body.results.map((r) => r.score);
      expect(unseen.filter((_, i) => scores[i]! >= 0.4)).toEqual([]);
      // ...while a question about Fernhill's facts is kept local.
      expect(scores.at(-1)!).toBeGreaterThanOrEqual(0.4);
    } finally {
      await classifier.close();
    }
  }, 240_000);
});
