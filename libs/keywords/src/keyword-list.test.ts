import { describe, expect, test } from 'bun:test';
import { createKeywordMatcher, keywordListDigest, parseKeywordList } from './keyword-list.ts';
import { normalizeForMatching } from './normalize.ts';

describe('keyword normalisation (issue #13, cause 7)', () => {
  const matcher = createKeywordMatcher(['Project Falcon', 'HM-2291', 'Möwe', 'Skunkworks', 'Éclair']);
  const found = (text: string) => matcher.match(text);

  test.each([
    ['zero-width space', 'Project Fal\u200Bcon'],
    ['soft hyphen', 'Project Fal\u00ADcon'],
    ['word joiner', 'Pro\u2060ject Falcon'],
    ['fullwidth letters', 'Ｐｒｏｊｅｃｔ　Ｆａｌｃｏｎ'],
    ['Cyrillic look-alikes', 'Рrојеct Fаlcоn'],
    ['Greek look-alikes', 'ΡROJΕCT FALCΟΝ'],
    ['a line break for the space', 'Project\nFalcon'],
    ['a hyphen for the space', 'Project-Falcon'],
    ['upper case', 'PROJECT FALCON'],
  ])('%s: "Project Falcon" is still found', (_, text) => {
    expect(found(text)).toContain('Project Falcon');
  });

  test.each([
    ['U+2011 non-breaking hyphen', 'HM\u20112291'],
    ['an en dash', 'HM\u20132291'],
    ['a space', 'HM 2291'],
    ['a line break', 'HM\r\n2291'],
  ])('%s in place of the hyphen: "HM-2291" is still found', (_, text) => {
    expect(found(text)).toContain('HM-2291');
  });

  test('diacritics and compatibility forms fold both ways', () => {
    expect(found('die Mo\u0308we fliegt')).toContain('Möwe'); // NFD
    expect(found('die Mowe fliegt')).toContain('Möwe');
    expect(found('an eclair')).toContain('Éclair');
    expect(createKeywordMatcher(['Kelvin']).match('\u212Aelvin scale')).toEqual(['Kelvin']); // Kelvin sign
  });

  test('word boundaries still hold', () => {
    expect(found('Project Falcons')).toEqual([]);
    expect(found('HM-22910')).toEqual([]);
    expect(found('Skunkworksy')).toEqual([]);
  });

  test('normalised text reads as documented', () => {
    expect(normalizeForMatching('Ｍo\u0308we\u200B—HM‑2291\n\nX')).toBe('mowe hm 2291 x');
  });

  test('the digest changes with the list, not with its order or case', () => {
    expect(keywordListDigest(['a', 'B'])).toBe(keywordListDigest(['b', 'A']));
    expect(keywordListDigest(['a'])).not.toBe(keywordListDigest(['a', 'b']));
  });

  test('parsing drops duplicates that differ only in dress', () => {
    expect(parseKeywordList('Möwe\nMOWE\nmo\u0308we\n')).toEqual(['Möwe']);
  });
});
