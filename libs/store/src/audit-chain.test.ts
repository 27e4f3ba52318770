import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seal } from './audit-chain.ts';
import { type AuditEntry, type AuditVerification, openStore, type Store } from './index.ts';

const KEY = 'k'.repeat(32);
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03'];
let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-chain-'));
  store = openStore(dir, { onProblem: () => {} });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (id: string, time: string): AuditEntry => ({
  id,
  time,
  pod: 'router-0',
  user: 'u@example.com',
  tokenId: null,
  dialect: 'openai',
  stream: false,
  clientModel: null,
  route: 'local',
  backendModel: 'm',
  score: 0.9,
  threshold: 0.4,
  keywords: ['acme'],
  headVersion: null,
  reason: 'score',
  status: 200,
  latencyMs: 3,
  ttfbMs: null,
  usage: null,
  text: `the text of ${id}, with "quotes" and ünïcode`,
});

/** Three day files of one pod (3, 4 and 3 records), written as the router writes them. */
function writeLog(options: { key?: string; pod?: string; days?: string[]; perDay?: number[] } = {}) {
  const days = options.days ?? DAYS;
  const perDay = options.perDay ?? [3, 4, 3];
  let clock = 0;
  const w = store.audit.writer(options.pod ?? 'router-0', {
    key: options.key,
    now: () => clock,
    fsyncIntervalMs: 0,
    headIntervalMs: 0,
  });
  days.forEach((day, d) => {
    for (let i = 0; i < (perDay[d] ?? 0); i++) {
      clock = Date.parse(`${day}T10:0${i}:00.000Z`);
      w.append(entry(`${day}-${i}`, new Date(clock).toISOString()));
    }
  });
  w.close();
}

const file = (day: string, pod = 'router-0') => store.paths.auditFile(day, pod);
const lines = (day: string) => readFileSync(file(day), 'utf8').split('\n').slice(0, -1);
const rewrite = (day: string, edit: (l: string[]) => string[]) =>
  writeFileSync(
    file(day),
    edit(lines(day))
      .map((l) => `${l}\n`)
      .join(''),
  );
const kinds = (v: AuditVerification) =>
  v.breaks.map((b) => `${b.kind} ${b.file.split('/').slice(-2).join('/')}:${b.line}`);

/** Re-seals lines from `from` on, as someone would who can write the volume but lacks the key. */
function rechain(day: string, from: number, key: string | undefined) {
  const all = lines(day);
  let prev = (JSON.parse(all[from - 1] as string) as { hash: string }).hash;
  for (let i = from; i < all.length; i++) {
    const { hash: _hash, ...record } = JSON.parse(all[i] as string);
    if (i === from) record.text = 'nothing to see here';
    record.prev = prev;
    const sealed = seal(record, 'hash', key);
    all[i] = sealed.text;
    prev = sealed.hash;
  }
  writeFileSync(file(day), all.map((l) => `${l}\n`).join(''));
}

describe('audit chain: what the writer produces', () => {
  test('records carry v 2, seq, prev and hash; a day links to the day before; all of it verifies', async () => {
    writeLog({ key: KEY });
    const first = JSON.parse(lines(DAYS[1] as string)[0] as string);
    const lastOfDay1 = JSON.parse(lines(DAYS[0] as string)[2] as string);
    expect(first).toMatchObject({ v: 2, seq: 3, prev: lastOfDay1.hash });
    expect(first.hash).toMatch(/^hmac-sha256:[a-f0-9]{64}$/);
    expect(Object.keys(first).at(-1)).toBe('hash');
    const v = await store.audit.verify({ key: KEY });
    expect(v).toMatchObject({ ok: true, records: 10, pods: 1, files: 3, keyed: true, breakCount: 0 });
    // Readers elsewhere still read chained records.
    expect((await store.audit.page({ limit: 20 })).records).toHaveLength(10);
  });

  test('a day file larger than the 4 MiB read chunk verifies, lines across chunk boundaries included', async () => {
    const w = store.audit.writer('router-0', { key: KEY, now: () => Date.parse('2026-03-01T10:00:00Z') });
    for (let i = 0; i < 60; i++)
      w.append({ ...entry(`big-${i}`, '2026-03-01T10:00:00.000Z'), text: `${i} `.repeat(40_000 + i * 7) });
    w.close();
    const v = await store.audit.verify({ key: KEY });
    expect(v).toMatchObject({ ok: true, records: 60 });
    rewrite('2026-03-01', (l) => l.map((x, i) => (i === 45 ? x.replace('45 45', '45 46') : x)));
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['edited 2026-03-01/router-0.jsonl:46']);
  });

  test('two pods, each its own chain, verified together; a writer still appending is no break', async () => {
    writeLog({ key: KEY, pod: 'router-a' });
    writeLog({ key: KEY, pod: 'router-b', perDay: [1, 0, 5] });
    const live = store.audit.writer('router-a', { key: KEY, now: () => Date.parse('2026-03-03T12:00:00Z') });
    live.append(entry('live-1', '2026-03-03T12:00:00.000Z'));
    const during = store.audit.verify({ key: KEY });
    live.append(entry('live-2', '2026-03-03T12:00:01.000Z'));
    expect(await during).toMatchObject({ ok: true, pods: 2 });
    live.close();
    expect(await store.audit.verify({ key: KEY })).toMatchObject({ ok: true, pods: 2, records: 18 });
  });

  test('without a key the chain is plain SHA-256 and verifies without one', async () => {
    writeLog();
    expect(JSON.parse(lines(DAYS[0] as string)[0] as string).hash).toMatch(/^sha256:/);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  test('a restarted writer continues the chain where the log ends, also on a later day', async () => {
    writeLog({ key: KEY, days: DAYS.slice(0, 1), perDay: [2] });
    writeLog({ key: KEY, days: DAYS.slice(2), perDay: [2] });
    expect(JSON.parse(lines(DAYS[2] as string)[0] as string).seq).toBe(2);
    expect(await store.audit.verify({ key: KEY })).toMatchObject({ ok: true, records: 4 });
  });
});

describe('audit chain: each kind of tampering is found and named', () => {
  test('edit a byte', async () => {
    writeLog({ key: KEY });
    rewrite(DAYS[1] as string, (l) => l.map((x, i) => (i === 1 ? x.replace('the text', 'the test') : x)));
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['edited 2026-03-02/router-0.jsonl:2']);
  });

  test('edit a byte so the line is no longer JSON', async () => {
    writeLog({ key: KEY });
    rewrite(DAYS[1] as string, (l) => l.map((x, i) => (i === 1 ? x.replace('{"v"', '["v"') : x)));
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['edited 2026-03-02/router-0.jsonl:2']);
  });

  test('edit a byte, in a log without a key', async () => {
    writeLog();
    rewrite(DAYS[1] as string, (l) =>
      l.map((x, i) => (i === 1 ? x.replace('"status":200', '"status":500') : x)),
    );
    expect(kinds(await store.audit.verify())).toEqual(['edited 2026-03-02/router-0.jsonl:2']);
  });

  test('delete a line', async () => {
    writeLog({ key: KEY });
    rewrite(DAYS[1] as string, (l) => l.filter((_, i) => i !== 1));
    const v = await store.audit.verify({ key: KEY });
    expect(kinds(v)).toEqual(['removed 2026-03-02/router-0.jsonl:2']);
    expect(v.breaks[0]?.message).toContain('1 record missing');
  });

  test('insert a forged line', async () => {
    writeLog({ key: KEY });
    rewrite(DAYS[1] as string, (l) => [
      l[0] as string,
      (l[1] as string).replace('the text', 'a forged text'),
      ...l.slice(1),
    ]);
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['inserted 2026-03-02/router-0.jsonl:2']);
  });

  test('insert a copy of a genuine line (a replay)', async () => {
    writeLog({ key: KEY });
    rewrite(DAYS[1] as string, (l) => [...l.slice(0, 3), l[0] as string, ...l.slice(3)]);
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['inserted 2026-03-02/router-0.jsonl:4']);
  });

  test('swap two lines, next to each other or apart', async () => {
    writeLog({ key: KEY });
    rewrite(DAYS[1] as string, (l) => [l[0], l[2], l[1], l[3]] as string[]);
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['reordered 2026-03-02/router-0.jsonl:2']);
    rewrite(DAYS[1] as string, (l) => [l[0], l[2], l[1], l[3]] as string[]); // back
    rewrite(DAYS[1] as string, (l) => [l[3], l[1], l[2], l[0]] as string[]);
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['reordered 2026-03-02/router-0.jsonl:1']);
  });

  test('truncate the end of the log, at a line boundary or inside a line', async () => {
    writeLog({ key: KEY });
    const day = DAYS[2] as string;
    const whole = readFileSync(file(day), 'utf8');
    rewrite(day, (l) => l.slice(0, 1));
    const v = await store.audit.verify({ key: KEY });
    expect(kinds(v)).toEqual(['truncated 2026-03-03/router-0.jsonl:1']);
    expect(v.breaks[0]?.message).toContain('2 records cut from the end');
    writeFileSync(file(day), whole.slice(0, whole.length - 40));
    const cut = await store.audit.verify({ key: KEY });
    expect(kinds(cut)).toEqual(['truncated 2026-03-03/router-0.jsonl:3']);
  });

  test('remove a whole day file, in the middle or at the end', async () => {
    writeLog({ key: KEY });
    const day3 = readFileSync(file(DAYS[2] as string));
    rmSync(file(DAYS[1] as string));
    const v = await store.audit.verify({ key: KEY });
    expect(kinds(v)).toEqual(['removed 2026-03-03/router-0.jsonl:1']);
    expect(v.breaks[0]?.message).toContain('4 records missing');
    expect(v.breaks[0]?.message).toContain('whole day file');
    writeLog({ key: KEY, days: [DAYS[1] as string], perDay: [0] });
    rmSync(file(DAYS[2] as string));
    expect(kinds(await store.audit.verify({ key: KEY }))).toContain('truncated 2026-03-01/router-0.jsonl:3');
    writeFileSync(file(DAYS[2] as string), day3);
  });

  test('re-chain without the key: with plain SHA-256, or with a key of ones own', async () => {
    writeLog({ key: KEY });
    rechain(DAYS[1] as string, 1, undefined);
    const plain = await store.audit.verify({ key: KEY });
    // The next day's first record still points at the original hash of the day before's last: named too.
    expect(kinds(plain)).toEqual([
      'rechained 2026-03-02/router-0.jsonl:2',
      'rechained 2026-03-03/router-0.jsonl:1',
    ]);
    expect(plain.breaks[0]?.message).toContain('without the key');
    rmSync(dir, { recursive: true, force: true });
    writeLog({ key: KEY, days: DAYS.slice(0, 2), perDay: [3, 4] });
    rechain(DAYS[1] as string, 1, 'not-the-key-but-looks-like-one-32b');
    const wrongKey = await store.audit.verify({ key: KEY });
    expect(kinds(wrongKey)[0]).toBe('rechained 2026-03-02/router-0.jsonl:2');
    expect(wrongKey.breaks[0]?.message).toContain('3 records');
  });

  test('a forged head or checkpoint is named too', async () => {
    writeLog({ key: KEY });
    const head = store.paths.auditHeadFile('router-0');
    writeFileSync(head, readFileSync(head, 'utf8').replace('"seq":9', '"seq":12'));
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['edited heads/router-0.json:1']);
  });
});

describe('audit chain: crashes are not tampering', () => {
  test('a torn last line is a note, and a restarted writer resumes from the last complete record', async () => {
    writeLog({ key: KEY, days: DAYS.slice(0, 1), perDay: [3] });
    appendFileSync(file(DAYS[0] as string), '{"v":2,"id":"torn","time":"2026-03-0');
    const torn = await store.audit.verify({ key: KEY });
    expect(torn.ok).toBe(true);
    expect(torn.notes.map((n) => `${n.kind}:${n.line}`)).toEqual(['torn:4']);
    writeLog({ key: KEY, days: DAYS.slice(0, 1), perDay: [2] });
    const resumed = await store.audit.verify({ key: KEY });
    expect(resumed).toMatchObject({ ok: true, records: 5 });
    expect(resumed.notes.map((n) => `${n.kind}:${n.line}`)).toEqual(['torn:4', 'resumed:5']);
    expect(resumed.notes[1]?.message).toContain('router-0.jsonl:3');
  });
});

describe('audit retention', () => {
  const now = () => Date.parse('2026-03-06T12:00:00Z');

  test('removes days past the window, leaves a sealed checkpoint, and what remains still verifies', async () => {
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
    writeLog({ key: KEY, days, perDay: [2, 2, 2, 2, 2, 2] });
    writeLog({ key: KEY, pod: 'router-1', days: days.slice(0, 2), perDay: [1, 1] });
    const outcome = await store.audit.applyRetention({ days: 3, key: KEY, now });
    expect(outcome).toEqual({ removedDays: days.slice(0, 3), through: '2026-03-03' });
    expect(await store.audit.days()).toEqual(days.slice(3).reverse());
    const cp = JSON.parse(readFileSync(store.paths.auditCheckpointFile, 'utf8'));
    expect(cp.pods['router-0']).toMatchObject({ seq: 5, day: '2026-03-03' });
    expect(cp.pods['router-1']).toMatchObject({ seq: 1, day: '2026-03-02' });
    expect(cp.mac).toMatch(/^hmac-sha256:/);
    expect(await store.audit.verify({ key: KEY })).toMatchObject({ ok: true, records: 6 });

    // A second pass finds nothing to do; a later one extends the checkpoint.
    expect(await store.audit.applyRetention({ days: 3, key: KEY, now })).toEqual({
      removedDays: [],
      through: null,
    });
    await store.audit.applyRetention({ days: 2, key: KEY, now });
    expect(await store.audit.verify({ key: KEY })).toMatchObject({ ok: true, records: 4 });

    // Removing the oldest kept day by hand is still a break: the checkpoint says where the chain went on.
    rmSync(store.paths.auditDayDir('2026-03-05'), { recursive: true });
    expect(kinds(await store.audit.verify({ key: KEY }))).toEqual(['removed 2026-03-06/router-0.jsonl:1']);
  });

  test('a writer whose every file was removed continues from the checkpoint', async () => {
    writeLog({ key: KEY, days: ['2026-03-01'], perDay: [3] });
    await store.audit.applyRetention({ days: 1, key: KEY, now });
    expect(existsSync(file('2026-03-01'))).toBe(false);
    writeLog({ key: KEY, days: ['2026-03-06'], perDay: [1] });
    expect(JSON.parse(lines('2026-03-06')[0] as string).seq).toBe(3);
    expect(await store.audit.verify({ key: KEY })).toMatchObject({ ok: true, records: 1 });
  });

  test('a checkpoint edited by hand is a break, and retention refuses to build on it', async () => {
    writeLog({ key: KEY, days: ['2026-03-01', '2026-03-05'], perDay: [2, 2] });
    await store.audit.applyRetention({ days: 3, key: KEY, now });
    const path = store.paths.auditCheckpointFile;
    writeFileSync(path, readFileSync(path, 'utf8').replace('"seq":1', '"seq":0'));
    expect(kinds(await store.audit.verify({ key: KEY }))[0]).toBe('edited chain/checkpoint.json:1');
    writeLog({ key: KEY, days: ['2026-03-02'], perDay: [1] });
    await expect(store.audit.applyRetention({ days: 3, key: KEY, now })).rejects.toThrow(
      /does not match its seal/,
    );
  });

  test('verifying a range of days takes its first link on trust', async () => {
    writeLog({ key: KEY });
    writeLog({ key: KEY, pod: 'router-1', days: DAYS.slice(0, 1), perDay: [2] });
    rmSync(file(DAYS[0] as string));
    // router-1 wrote only before the range: its head is not compared with anything.
    expect(await store.audit.verify({ key: KEY, from: DAYS[1] })).toMatchObject({ ok: true, pods: 1 });
    expect(await store.audit.verify({ key: KEY, from: DAYS[1], to: DAYS[1] })).toMatchObject({
      ok: true,
      records: 4,
    });
  });
});
