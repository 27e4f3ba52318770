import { afterAll, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '@split-brain/store';

const dir = await mkdtemp(join(tmpdir(), 'token-cli-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const cli = resolve(import.meta.dir, 'token-cli.ts');

async function run(...args: string[]) {
  const proc = Bun.spawn(['bun', cli, ...args], {
    env: { ...process.env, SPLIT_BRAIN_DATA_DIR: dir },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { out: out.trim(), err, code };
}

test('create prints the token once; list shows it without the secret; revoke makes lookups see it revoked', async () => {
  const created = await run('create', '--user', 'Ops@Example.com', '--name', 'ci');
  expect(created.code).toBe(0);
  expect(created.out).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
  const store = openStore(dir);
  const record = await store.tokens.lookup(created.out);
  expect(record?.user).toBe('ops@example.com');
  const listed = await run('list', '--user', 'ops@example.com');
  expect(listed.out).toContain(record!.id);
  expect(listed.out).not.toContain(created.out);
  expect((await run('revoke', record!.id)).code).toBe(0);
  expect((await store.tokens.lookup(created.out))?.revokedAt).toBeTruthy();
});

test('bad usage exits non-zero with a message', async () => {
  const missing = await run('create', '--user', 'a@b.c');
  expect(missing.code).toBe(2);
  expect(missing.err).toContain('--name');
  expect((await run('revoke', 'ffffffffffff')).err).toContain('no token with id');
  expect((await run('frobnicate')).err).toContain('unknown command');
});
