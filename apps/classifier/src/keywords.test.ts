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
