import { expect, test } from 'bun:test';
import { DeferredAppender } from './deferred-appender.ts';

/** A writer that records its calls, and refuses records marked bad (like a validating store writer). */
function recordingWriter() {
  const calls: string[][] = [];
  const check = (r: string) => {
    if (r.startsWith('bad')) throw new Error(`refused ${r}`);
  };
  return {
    calls,
    append(record: string) {
      check(record);
      calls.push([record]);
    },
    appendMany(records: readonly string[]) {
      for (const r of records) check(r);
      calls.push([...records]);
    },
  };
}

test('records appended in one turn go out together on the next, in order; nothing is written before', async () => {
  const writer = recordingWriter();
  const deferred = new DeferredAppender(writer, (e) => {
    throw e;
  });
  deferred.append('a');
  deferred.append('b');
  deferred.append('c');
  expect(writer.calls).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(writer.calls).toEqual([['a', 'b', 'c']]);
  deferred.append('d');
  deferred.drain(); // shutdown: at once
  expect(writer.calls).toEqual([['a', 'b', 'c'], ['d']]);
});

test('a batch the writer refuses is retried record by record, so only the bad one is lost and reported', async () => {
  const writer = recordingWriter();
  const errors: unknown[] = [];
  const deferred = new DeferredAppender(writer, (e) => errors.push(e));
  for (const r of ['a', 'bad-1', 'b']) deferred.append(r);
  deferred.drain();
  expect(writer.calls).toEqual([['a'], ['b']]);
  expect(errors.map(String)).toEqual(['Error: refused bad-1']);
  deferred.append('bad-2');
  deferred.drain();
  expect(errors).toHaveLength(2);
});
