import { normalizeForMatching } from './normalize.ts';

/**
 * The keyword list: one term or phrase per line, `#` starts a comment line, blank lines are skipped.
 * Text and terms are both normalised (normalize.ts: case, diacritics, width, invisible characters,
 * look-alike letters, separators), then a term matches on word boundaries: a letter or digit next to it
 * means no match.
 */
export interface KeywordMatcher {
  readonly terms: readonly string[];
  /** The listed terms found in the text, in list order, each once. */
  match(text: string): string[];
}

const WORD_CHAR = '[\\p{L}\\p{N}]';

export function parseKeywordList(source: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const line of source.split(/\r?\n/)) {
    const term = line.trim().replace(/\s+/g, ' ');
    if (term === '' || term.startsWith('#')) continue;
    const key = normalizeForMatching(term).trim();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  return terms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A term as a pattern over normalised text; a term that normalises to nothing never matches. */
export function keywordPattern(term: string): RegExp | undefined {
  const body = normalizeForMatching(term).trim();
  if (body === '') return undefined;
  return new RegExp(`(?<!${WORD_CHAR})${escapeRegExp(body)}(?!${WORD_CHAR})`, 'u');
}

export function createKeywordMatcher(terms: readonly string[]): KeywordMatcher {
  const patterns = terms.map(keywordPattern);
  return {
    terms,
    match(text) {
      if (terms.length === 0) return [];
      const normal = normalizeForMatching(text);
      return terms.filter((_, i) => patterns[i]?.test(normal) === true);
    },
  };
}

/** A digest of a keyword list (its normalised terms), reported with verdicts so caches know what decided. */
export function keywordListDigest(terms: readonly string[]): string {
  const normal = terms.map((t) => normalizeForMatching(t).trim()).sort();
  return Bun.SHA256.hash(normal.join('\n'), 'hex').slice(0, 16);
}
