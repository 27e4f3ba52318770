import { describe, expect, test } from 'bun:test';
import { findDuplicateKey, MAX_NESTING, parseStrictJson } from './strict-json.ts';

describe('strict JSON for client bodies', () => {
  test('a duplicate key is found at any depth, compared decoded, with its path', () => {
    expect(findDuplicateKey('{"a":1,"b":{"c":[{"d":1,"e":2,"d":3}]}}')).toEqual({
      key: 'd',
      path: 'b.c.0.d',
    });
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toEqual({ key: 'a', path: 'a' });
    expect(findDuplicateKey('{"a":"\\"a\\":","b":["a","a"],"c":{"a":1}}')).toBeUndefined();
    expect(findDuplicateKey('[{"a":1},{"a":2}]')).toBeUndefined();
  });

  test('refusals are 400s naming what was wrong', () => {
    const dup = parseStrictJson('{"messages":[{"role":"user","content":"x","content":"y"}]}');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.error.message).toContain('"content" twice');
    const lone = parseStrictJson('{"t":"a\\udc00"}');
    expect(lone.ok).toBe(false);
    if (!lone.ok) expect(lone.error.message).toContain('unpaired UTF-16 surrogate');
    const deep = parseStrictJson(`${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`);
    expect(deep.ok).toBe(false);
    const syntax = parseStrictJson('{"a":');
    expect(syntax.ok).toBe(false);
    expect(parseStrictJson('{"emoji":"\\ud83d\\ude00"}').ok).toBe(true);
  });
});
