import { expect, test } from 'bun:test';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './index.ts';

test('taint log: each pod appends its own daily file; a reader gets only what is new and still in force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'taint-'));
  try {
    const now = Date.now();
    const store = openStore(dir, { onProblem: () => {} });
    const a = store.taint.writer('pod-a');
    const b = store.taint.writer('pod-b');
    a.append([{ k: 'o:1', u: now + 60_000 }]);
    b.append([
      { k: 't:2', u: now + 60_000 },
      { k: 't:old', u: now - 1 },
    ]);
    const reader = openStore(dir, { onProblem: () => {} }).taint;
    expect((await reader.readNew()).map((e) => e.k).sort()).toEqual(['o:1', 't:2']);
    expect(await reader.readNew()).toEqual([]);
    a.append([{ k: 'a:3', u: now + 60_000 }]);
    // A torn line (a crash mid-write) is not read until it is complete.
    appendFileSync(store.paths.taintFile(new Date(now).toISOString().slice(0, 10), 'pod-b'), '{"k":"t:4"');
    expect((await reader.readNew()).map((e) => e.k)).toEqual(['a:3']);
    a.close();
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
