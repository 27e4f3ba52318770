import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, openStore, type StoreProblem, UnsafeIdError } from './index.ts';

let dir: string;
let problems: StoreProblem[];
const open = () => openStore(dir, { onProblem: (p) => problems.push(p) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  problems = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const audit = (id: string, time: string, pod = 'pod-a'): AuditRecord => ({
  v: 1,
  id,
  time,
  pod,
  user: 'u@example.com',
  tokenId: null,
  dialect: 'anthropic',
  stream: true,
  clientModel: 'claude-sonnet-4-6',
  route: 'claude',
  backendModel: 'claude-sonnet-4-6',
  score: 0.1,
  threshold: 0.4,
  keywords: [],
  headVersion: 'h1',
  reason: 'below-threshold',
  status: 200,
  latencyMs: 12,
  ttfbMs: 3,
  usage: { inputTokens: 10, outputTokens: 5 },
  text: `text of ${id}`,
});

describe('paths', () => {
  test.each([['../x'], ['/etc/passwd'], ['a/b'], ['a\0b'], ['x'.repeat(200)], ['..'], ['.hidden'], ['']])(
    'refuses the id %p',
    (bad) => {
      const s = open();
      expect(() => s.paths.documentDir(bad)).toThrow(UnsafeIdError);
      expect(() => s.paths.headFile(bad)).toThrow(UnsafeIdError);
      expect(() => s.paths.auditFile('2026-11-23', bad)).toThrow(UnsafeIdError);
    },
  );
  test('refuses a day that is not a date', () => {
    expect(() => open().paths.auditFile('../../etc', 'pod')).toThrow(/YYYY-MM-DD/);
  });
  test('every path stays under the data root', () => {
    const p = open().paths;
    for (const path of [
      p.auditFile('2026-01-01', 'p'),
      p.headFile('v1'),
      p.documentTextFile('d'),
      p.limitsFile,
    ]) {
      expect(path.startsWith(`${p.root}/`)).toBe(true);
    }
  });
});

describe('tokens', () => {
  test('create, look up, revoke; the token itself is never written', async () => {
    const s = open();
    const { token, record } = await s.tokens.create({
      user: 'Ana@Example.com',
      name: 'laptop',
      createdBy: 'cli',
    });
    expect(token).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    expect(record.user).toBe('ana@example.com');
    expect(readFileSync(s.paths.tokenFile(record.hash), 'utf8')).not.toContain(token.slice(4));
    expect((await s.tokens.lookup(token))?.id).toBe(record.id);
    expect(await s.tokens.lookup(`${token.slice(0, -1)}x`)).toBeUndefined();
    expect(await s.tokens.lookup('sbk_short')).toBeUndefined();
    await s.tokens.revoke(record.id);
    expect((await s.tokens.lookup(token))?.revokedAt).not.toBeNull();
    const [listed] = await s.tokens.list({ user: 'ana@example.com' });
    expect(listed?.revokedAt).not.toBeNull();
  });

  test('last-used writes from two processes never bring back a token revoked by a third', async () => {
    for (let round = 0; round < 3; round++) {
      const s = open();
      const { token, record } = await s.tokens.create({
        user: 'r@example.com',
        name: `t${round}`,
        createdBy: 't',
      });
      const child = (script: string, ...args: string[]) =>
        Bun.spawn(['bun', join(import.meta.dir, 'test-processes', script), dir, ...args], { stdout: 'pipe' });
      const touchers = [
        child('token-toucher.ts', record.hash, '400'),
        child('token-toucher.ts', record.hash, '400'),
      ];
      const revoker = child('token-revoker.ts', record.id, String(20 + round * 30));
      expect(await new Response(revoker.stdout).text()).toBe('revoked\n');
      await Promise.all([...touchers.map((t) => t.exited), revoker.exited]);
      expect(touchers.map((t) => t.exitCode)).toEqual([0, 0]);
      expect((await s.tokens.lookup(token))?.revokedAt).not.toBeNull();
      expect(await s.tokens.lastUsed(record.hash)).not.toBeNull();
    }
  }, 60_000);

  test('a corrupt token file is reported and treated as unknown', async () => {
    const s = open();
    const { token, record } = await s.tokens.create({ user: 'c@example.com', name: 'n', createdBy: 't' });
    writeFileSync(s.paths.tokenFile(record.hash), '{"v":1,"id":');
    expect(await s.tokens.lookup(token)).toBeUndefined();
    expect(problems[0]?.path).toBe(s.paths.tokenFile(record.hash));
    expect(problems[0]?.message).toMatch(/not valid JSON/);
  });
});

describe('audit log', () => {
  test('pages newest first across pods and days, resuming from the cursor', async () => {
    const s = open();
    const times: string[] = [];
    // Two pods writing interleaved over two days.
    for (let i = 0; i < 40; i++) {
      const t = new Date(Date.UTC(2026, 10, 22, 23, 50) + i * 60_000).toISOString();
      times.push(t);
      const pod = i % 3 === 0 ? 'pod-b' : 'pod-a';
      const w = s.audit.writer(pod, { now: () => Date.parse(t), fsyncIntervalMs: 0 });
      w.append(audit(`r${i}`, t, pod));
      w.close();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof s.audit.page>> = await s.audit.page({ limit: 7, cursor });
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => `r${39 - i}`));
    const filtered = await s.audit.page({ limit: 100, filter: (r) => r.pod === 'pod-b' });
    expect(filtered.records.length).toBe(14);
    expect((await s.audit.find('r5'))?.text).toBe('text of r5');
    // With its time as a hint the lookup starts at the record's day: a newer day is never read (its bad
    // line goes unreported), and a wrong hint still finds the record through the full scan.
    appendFileSync(s.paths.auditFile('2026-11-23', 'pod-a'), 'not json\n');
    expect((await s.audit.find('r5', { time: times[5] }))?.id).toBe('r5');
    expect(problems).toEqual([]);
    expect((await s.audit.find('r5', { time: times[30] }))?.id).toBe('r5');
    expect(problems.length).toBeGreaterThan(0); // the wrong hint made it read the newer day
    expect(await s.audit.find('nope', { time: times[5] })).toBeUndefined();
  });

  test('skips a torn last line, reports a non-JSON line and an unknown version, and keeps reading', async () => {
    const s = open();
    const day = '2026-11-23';
    const path = s.paths.auditFile(day, 'pod-a');
    mkdirSync(s.paths.auditDayDir(day), { recursive: true });
    const line = (r: object) => `${JSON.stringify(r)}\n`;
    appendFileSync(path, line(audit('a', `${day}T01:00:00.000Z`)));
    appendFileSync(path, 'this is not json\n');
    appendFileSync(path, line({ ...audit('b', `${day}T02:00:00.000Z`), v: 3 }));
    appendFileSync(path, line(audit('c', `${day}T03:00:00.000Z`)));
    appendFileSync(path, '{"v":1,"id":"torn');
    const page = await s.audit.page({ limit: 10 });
    expect(page.records.map((r) => r.id)).toEqual(['c', 'a']);
    const messages = problems.map((p) => p.message);
    expect(messages.some((m) => m.includes('not valid JSON'))).toBe(true);
    expect(messages.some((m) => m.includes('unknown record version'))).toBe(true);
    expect(messages.length).toBe(2);
    expect(problems.every((p) => p.path === path)).toBe(true);
    // A writer reopening the file ends the torn record first, so the next record is not glued to it.
    const w = s.audit.writer('pod-a', { now: () => Date.parse(`${day}T04:00:00.000Z`), fsyncIntervalMs: 0 });
    w.append(audit('d', `${day}T04:00:00.000Z`));
    w.close();
    expect((await s.audit.page({ limit: 10 })).records.map((r) => r.id)).toEqual(['d', 'c', 'a']);
  });

  test('a writer refuses a record that does not fit the format', () => {
    const w = open().audit.writer('pod-a');
    expect(() => w.append({ ...audit('x', 'yesterday') })).toThrow();
    w.close();
  });

  test('a non-validating writer appends as given, and readers still skip what does not fit', async () => {
    const s = open();
    const w = s.audit.writer('pod-a', { validate: false, fsyncIntervalMs: 0 });
    w.append(audit('good', '2026-03-01T10:00:00.000Z'));
    w.append({ ...audit('bad', '2026-03-01T11:00:00.000Z'), status: 'teapot' as unknown as number });
    w.close();
    expect((await s.audit.page({ limit: 10 })).records.map((r) => r.id)).toEqual(['good']);
    expect(problems).toHaveLength(1);
  });

  test('appendMany writes records in order as separate lines; a validating writer refuses a bad batch whole', async () => {
    const s = open();
    const w = s.audit.writer('pod-a', { now: () => Date.parse('2026-03-01T12:00:00Z'), fsyncIntervalMs: 0 });
    w.append(audit('one', '2026-03-01T10:00:00.000Z'));
    w.appendMany([audit('two', '2026-03-01T10:01:00.000Z'), audit('three', '2026-03-01T10:02:00.000Z')]);
    expect(() =>
      w.appendMany([audit('four', '2026-03-01T10:03:00.000Z'), audit('x', 'yesterday')]),
    ).toThrow();
    w.appendMany([]);
    w.close();
    const lines = readFileSync(s.paths.auditFile('2026-03-01', 'pod-a'), 'utf8').split('\n');
    expect(lines.map((l) => (l ? JSON.parse(l).id : ''))).toEqual(['one', 'two', 'three', '']);
  });

  test('background flushes run beside appends and a close in the middle of one; every line is kept', async () => {
    const s = open();
    const w = s.audit.writer('pod-a', { now: () => Date.parse('2026-03-01T12:00:00Z'), fsyncIntervalMs: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push(`r${i}`);
      w.append(audit(`r${i}`, '2026-03-01T10:00:00.000Z'));
      await Bun.sleep(1);
    }
    w.close();
    expect((await s.audit.page({ limit: 100 })).records.map((r) => r.id)).toEqual(ids.reverse());
  });

  test('a garbled cursor is refused', async () => {
    await expect(open().audit.page({ limit: 5, cursor: 'bm90IGpzb24' })).rejects.toThrow(/cursor/);
  });

  test('SIGKILL at random moments loses at most the record being written, and the chain verifies after every restart', async () => {
    const runs = 100;
    const deadline = Date.now() + 90_000;
    const key = 'crash-test-key-'.repeat(3);
    let done = 0;
    for (let run = 0; run < runs && Date.now() < deadline; run++) {
      const child = Bun.spawn(
        ['bun', join(import.meta.dir, 'test-processes', 'audit-writer.ts'), dir, 'pod-k', `run${run}`, key],
        {
          stdout: 'pipe',
        },
      );
      const reader = child.stdout.getReader();
      await reader.read(); // "ready": the writer is appending from here on
      await Bun.sleep(Math.random() * 25);
      child.kill('SIGKILL');
      await child.exited;
      done++;
      // Each run went on from the previous run's last complete record: one chain across all runs, head file
      // included; a torn line is a note, never a break.
      const verification = await open().audit.verify({ key });
      expect(verification.breaks).toEqual([]);
      expect(verification.notes.every((n) => n.kind === 'torn' || n.kind === 'resumed')).toBe(true);
    }
    expect(done).toBeGreaterThanOrEqual(100);
    const s = open();
    const bySeq = new Map<string, number[]>();
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof s.audit.page>> = await s.audit.page({ limit: 1000, cursor });
      for (const r of page.records) {
        const [run, seq] = r.id.split('-') as [string, string];
        expect(r.text.startsWith(`record ${seq} `)).toBe(true);
        bySeq.set(run, [...(bySeq.get(run) ?? []), Number(seq)]);
      }
      cursor = page.nextCursor;
    } while (cursor);
    // Every run's records are all there, 0..n-1 with no gap: only a record in flight at the kill can be lost.
    for (const seqs of bySeq.values()) {
      seqs.sort((a, b) => a - b);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    }
    // At most one torn line per kill.
    expect(problems.length).toBeLessThanOrEqual(done);
  }, 120_000);
});

describe('usage ledger', () => {
  test('two processes append to their own pod files without interleaving, and the tally sums both', async () => {
    const count = 2000;
    const procs = ['pod-1', 'pod-2'].map((pod) =>
      Bun.spawn([
        'bun',
        join(import.meta.dir, 'test-processes', 'usage-appender.ts'),
        dir,
        pod,
        String(count),
      ]),
    );
    await Promise.all(procs.map((p) => p.exited));
    const s = open();
    const [day] = await s.usage.days();
    for (const pod of ['pod-1', 'pod-2']) {
      const lines = readFileSync(s.paths.usageFile(day!, pod), 'utf8').trimEnd().split('\n');
      expect(lines.length).toBe(count);
      for (const [i, l] of lines.entries()) expect(JSON.parse(l).requestId).toBe(`${pod}-${i}`);
    }
    const tally = s.usage.tally(day!);
    await tally.refresh();
    expect(tally.tokensFor('pod-1@example.com')).toBe(count);
    // A later refresh reads only what was appended since.
    const w = s.usage.writer('pod-1', { now: () => Date.parse(`${day}T12:00:00Z`), fsyncIntervalMs: 0 });
    w.append({
      v: 1,
      time: new Date().toISOString(),
      requestId: 'x',
      user: 'pod-1@example.com',
      brain: 'local',
      kind: 'settle',
      tokens: -1,
      inputTokens: 3,
      outputTokens: 4,
    });
    w.close();
    await tally.refresh();
    expect(tally.tokensFor('pod-1@example.com')).toBe(count - 1);
    expect(tally.totals.get('pod-1@example.com')?.byBrain.local).toEqual({ inputTokens: 3, outputTokens: 4 });
  }, 60_000);

  test("a tally with an own pod reads that pod's file as far as it reached, and takes the rest from record()", async () => {
    const s = open();
    const day = '2026-05-04';
    const entry = (requestId: string, tokens: number) => ({
      v: 1 as const,
      time: `${day}T10:00:00.000Z`,
      requestId,
      user: 'u@example.com',
      brain: 'claude' as const,
      kind: 'reserve' as const,
      tokens,
    });
    const writer = (pod: string) =>
      s.usage.writer(pod, { now: () => Date.parse(`${day}T10:00:00Z`), fsyncIntervalMs: 0 });
    const own = writer('pod-a');
    const other = writer('pod-b');
    own.append(entry('before-restart', 100)); // written by an earlier process of this pod
    other.append(entry('other-1', 10));
    const tally = s.usage.tally(day, { ownPod: 'pod-a' });
    // Appended after the tally was made: recorded in memory, and on disk, but counted once.
    const later = entry('after', 1000);
    own.append(later);
    tally.record(later);
    await tally.refresh();
    expect(tally.tokensFor('u@example.com')).toBe(1110);
    other.append(entry('other-2', 20));
    own.append(entry('not-recorded', 5)); // an entry the tally was not told about is not read back either
    await tally.refresh();
    expect(tally.tokensFor('u@example.com')).toBe(1130);
    own.close();
    other.close();
    // A tally without an own pod reads every file whole.
    const plain = s.usage.tally(day);
    await plain.refresh();
    expect(plain.tokensFor('u@example.com')).toBe(1135);
  });
});

describe('heads', () => {
  const head = (version: string) => ({
    v: 1 as const,
    version,
    createdAt: new Date().toISOString(),
    modelId: 'all-MiniLM-L6-v2',
    dimension: 3,
    weights: [0.1, 0.2, 0.3],
    bias: -0.5,
    metrics: { recall: 0.97 },
  });
  test('save, promote, roll back; versions are immutable', async () => {
    const s = open();
    await s.heads.save(head('h1'));
    await s.heads.save(head('h2'));
    await expect(s.heads.save(head('h1'))).rejects.toThrow(/already exists/);
    expect(await s.heads.current()).toBeUndefined();
    await s.heads.promote('h1', 'ops');
    await s.heads.promote('h2', 'ops');
    expect((await s.heads.current())?.version).toBe('h2');
    await s.heads.rollback('ops');
    expect((await s.heads.current())?.version).toBe('h1');
    await expect(s.heads.rollback('ops')).rejects.toThrow(/no earlier head/);
    expect(await s.heads.list()).toEqual(['h1', 'h2']);
  });
  test('a head whose weights do not match its dimension is refused', async () => {
    await expect(open().heads.save({ ...head('bad'), dimension: 4 })).rejects.toThrow(/dimension/);
  });
});

describe('live files', () => {
  test('a bad limits.json is reported and the last good values stay in force', async () => {
    const s = open();
    await s.limits.refresh();
    expect(s.limits.get().defaultDailyTokens).toBeNull();
    await s.limits.write({ v: 1, defaultDailyTokens: 1000, users: { 'a@example.com': 5 } });
    expect(s.limits.get().users['a@example.com']).toBe(5);
    writeFileSync(s.paths.limitsFile, '{"v":1,"defaultDailyTokens":"lots"}');
    expect(await s.limits.refresh()).toBe(false);
    expect(s.limits.get().defaultDailyTokens).toBe(1000);
    expect(problems[0]?.message).toMatch(/keeping the last good values/);
  });
});

describe('labels and documents', () => {
  test('a label for the same request replaces the earlier one', async () => {
    const s = open();
    await s.labels.add({ text: 'a', label: 'public', requestId: 'r1', createdBy: 'u' });
    await s.labels.add({ text: 'a', label: 'proprietary', requestId: 'r1', createdBy: 'u' });
    await s.labels.add({ text: 'b', label: 'public', requestId: null, createdBy: 'u' });
    const labels = await s.labels.list();
    expect(labels.map((l) => l.label)).toEqual(['proprietary', 'public']);
    expect(await s.labels.remove(labels[0]!.id)).toBe(true);
    expect((await s.labels.list()).length).toBe(1);
  });
  test('documents keep original bytes and text; an unfinished upload is not listed', async () => {
    const s = open();
    const meta = await s.documents.save({
      name: 'plan.md',
      mediaType: 'text/markdown',
      original: new TextEncoder().encode('# Plan'),
      text: 'Plan',
      uploadedBy: 'u',
    });
    mkdirSync(join(s.paths.bootstrapDir, 'half-uploaded'), { recursive: true });
    expect((await s.documents.list()).map((d) => d.id)).toEqual([meta.id]);
    expect(await s.documents.text(meta.id)).toBe('Plan');
    expect(await s.documents.remove(meta.id)).toBe(true);
    expect(await s.documents.list()).toEqual([]);
  });
});
