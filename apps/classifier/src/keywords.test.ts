import { describe, expect, test } from 'bun:test';
import { createKeywordMatcher, parseKeywordList } from './keywords.ts';

describe('keyword list', () => {
  const terms = parseKeywordList('# codenames\nBluefin\n\nproject  Skarv\nHM-2291\nbluefin\nC++\n');
  const matcher = createKeywordMatcher(terms);

  test('parses one term per line, skipping comments, blanks and case-insensitive duplicates', () => {
    expect(terms).toEqual(['Bluefin', 'project Skarv', 'HM-2291', 'C++']);
  });

  test('matches case-insensitively on word boundaries only', () => {
    expect(matcher.match('what is BLUEFIN?')).toEqual(['Bluefin']);
    expect(matcher.match('bluefins are fish')).toEqual([]);
    expect(matcher.match('tunabluefin')).toEqual([]);
    expect(matcher.match('contract hm-2291, please')).toEqual(['HM-2291']);
    expect(matcher.match('contract HM-22910')).toEqual([]);
  });

  test('matches phrases across any whitespace and reports each term once, in list order', () => {
    expect(matcher.match('Project\n  skarv and bluefin and Bluefin')).toEqual(['Bluefin', 'project Skarv']);
    expect(matcher.match('projects skarv')).toEqual([]);
  });

  test('treats regex characters literally and handles non-ASCII word characters', () => {
    expect(matcher.match('I write C++ daily')).toEqual(['C++']);
    expect(matcher.match('I write C daily')).toEqual([]);
    const nordic = createKeywordMatcher(['Ærfugl']);
    expect(nordic.match('the ærfugl tender')).toEqual(['Ærfugl']);
    expect(nordic.match('ærfuglen')).toEqual([]);
  });
});

describe('the keyword file, live', () => {
  test('an edited file is read again and its digest changes; an unreadable one keeps the last list', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LiveKeywords } = await import('./keywords.ts');
    const dir = await mkdtemp(join(tmpdir(), 'keywords-'));
    const path = join(dir, 'keywords.txt');
    await writeFile(path, 'Bluefin\n');
    const problems: string[] = [];
    const live = new LiveKeywords(path, (m) => problems.push(m));
    try {
      expect(await live.refresh()).toBe(true);
      const first = live.digest;
      expect(live.match('a Heronsgate memo')).toEqual([]);
      await writeFile(path, 'Bluefin\nHeronsgate\n');
      await Bun.sleep(20);
      expect(await live.refresh()).toBe(true);
      expect(live.match('a Heronsgate memo')).toEqual(['Heronsgate']);
      expect(live.digest).not.toBe(first);
      expect(await live.refresh()).toBe(false); // unchanged: not read again
      await rm(path);
      expect(await live.refresh()).toBe(false);
      expect(live.terms).toEqual(['Bluefin', 'Heronsgate']);
      expect(problems.length).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
