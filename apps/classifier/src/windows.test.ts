import { describe, expect, test } from 'bun:test';
import { splitIntoWindows } from './windows.ts';

describe('splitIntoWindows', () => {
  const ids = Array.from({ length: 600 }, (_, i) => i);

  test('keeps a short text whole', () => {
    expect(splitIntoWindows(ids.slice(0, 254), 254, 32)).toEqual([ids.slice(0, 254)]);
  });

  test('covers a long text with overlapping windows of at most the window size', () => {
    const windows = splitIntoWindows(ids, 254, 32);
    expect(windows.map((w) => w.length)).toEqual([254, 254, 156]);
    expect(windows[1]![0]).toBe(222);
    expect(windows.at(-1)!.at(-1)).toBe(599);
  });

  test('refuses an overlap as large as the window', () => {
    expect(() => splitIntoWindows(ids, 32, 32)).toThrow('must exceed');
  });
});
