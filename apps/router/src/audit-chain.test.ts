import { afterAll, beforeAll, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dayOf } from '@split-brain/store';
import OpenAI from 'openai';
import { auditRecords, type Stack, startStack } from './test-support.ts';

const KEY = 'router-audit-test-key-0123456789abcdef';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ AUDIT_HMAC_KEY: KEY, AUDIT_RETENTION_DAYS: '30' });
});
afterAll(async () => {
  await stack.stop();
});

const auditEntry = (id: string) => ({
  id,
  time: new Date().toISOString(),
  pod: 'old-pod',
  user: 'old@example.com',
  tokenId: null,
  dialect: 'openai' as const,
  stream: false,
  clientModel: null,
  route: 'local' as const,
  backendModel: 'm',
  score: 0.9,
  threshold: 0.4,
  keywords: [],
  headVersion: null,
  reason: 'score',
  status: 200,
  latencyMs: 1,
  ttfbMs: null,
  usage: null,
  text: 'an old request',
});

async function cli(...args: string[]) {
  const proc = Bun.spawn([process.execPath, resolve(import.meta.dir, 'audit-cli.ts'), ...args], {
    env: { ...process.env, SPLIT_BRAIN_DATA_DIR: stack.dataDir, AUDIT_HMAC_KEY: KEY },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { out, err, code };
}

test('requests through the router leave a keyed chain that verifies; a router answers an admin request', async () => {
  const token = await stack.token('chain@example.com');
  const openai = new OpenAI({ apiKey: token, baseURL: `${stack.routerUrl}/v1`, maxRetries: 0 });
  for (const content of ['Explain tides briefly.', 'Summarise the Project Falcon plan.', 'What is a monad?'])
    await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content }],
    });
  const records = (await auditRecords(stack)).filter((r) => r.user === 'chain@example.com');
  expect(records).toHaveLength(3);
  expect(records.every((r) => r.v === 2 && r.hash?.startsWith('hmac-sha256:'))).toBe(true);
  stack.router.deps.audit.flush();
  expect(await stack.store.audit.verify({ key: KEY })).toMatchObject({ ok: true, keyed: true, pods: 1 });

  await stack.store.audit.requestVerification('admin@example.com');
  expect(await stack.router.auditMaintenance.answerRequest()).toBe(true);
  const last = await stack.store.audit.lastVerification();
  expect(last).toMatchObject({ ok: true, requestedBy: 'admin@example.com', ranBy: 'router pod pod-a' });
  expect(last?.records).toBeGreaterThanOrEqual(3);
  // Answered once: the next poll finds nothing newer to do.
  expect(await stack.router.auditMaintenance.answerRequest()).toBe(false);
});

test('AUDIT_RETENTION_DAYS: the router removes days past the window behind a checkpoint; the rest verifies', async () => {
  const old = stack.store.audit.writer('old-pod', {
    key: KEY,
    now: () => Date.parse('2020-01-01T10:00:00Z'),
  });
  for (let i = 0; i < 3; i++) old.append({ ...auditEntry(`old-${i}`), time: '2020-01-01T10:00:00.000Z' });
  old.close();
  await stack.router.auditMaintenance.applyRetention();
  expect(await stack.store.audit.days()).not.toContain('2020-01-01');
  const checkpoint = JSON.parse(readFileSync(stack.store.paths.auditCheckpointFile, 'utf8'));
  expect(checkpoint.pods['old-pod']).toMatchObject({ seq: 2, day: '2020-01-01' });
  stack.router.deps.audit.flush();
  // The old pod's head is still checked, against the checkpoint.
  expect(await stack.store.audit.verify({ key: KEY })).toMatchObject({ ok: true, pods: 2 });
});

test('bun run audit -- verify: a summary and exit 0; a break named with file and line and exit 1; bad usage 2', async () => {
  stack.router.deps.audit.flush();
  const ok = await cli('verify');
  expect(ok.code).toBe(0);
  expect(ok.out).toMatch(/^OK: \d+ records checked in 2 pods, 1 files; HMAC checked with AUDIT_HMAC_KEY$/m);
  expect(ok.out + ok.err).not.toContain(KEY);
  const json = await cli('verify', '--json', '--from', dayOf(Date.now()));
  expect(JSON.parse(json.out)).toMatchObject({
    ok: true,
    keyed: true,
    from: dayOf(Date.now()),
    breakCount: 0,
  });

  const file = stack.store.paths.auditFile(dayOf(Date.now()), 'pod-a');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, original.replace('Explain tides briefly.', 'Explain tides at length.'));
  const broken = await cli('verify', '--data-dir', stack.dataDir);
  expect(broken.code).toBe(1);
  expect(broken.out).toMatch(/^BREAK\taudit\/\d{4}-\d{2}-\d{2}\/pod-a\.jsonl:\d+\tedited\tpod-a\t/m);
  expect(broken.out).toMatch(/^BROKEN: 1 break: /m);
  expect((await stack.store.audit.lastVerification())?.ok).toBe(false);
  writeFileSync(file, original);

  expect((await cli('verify', '--from', 'yesterday')).code).toBe(2);
  expect((await cli('verify', '--from', '2026-03-02', '--to', '2026-03-01')).err).toContain(
    '--from is after --to',
  );
  expect((await cli('check')).err).toContain('unknown command');
});
