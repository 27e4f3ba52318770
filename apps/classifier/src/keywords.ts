/**
 * The keyword list: one term or phrase per line, `#` starts a comment line, blank lines are skipped.
 * Matching is case-insensitive and on word boundaries (a letter, digit or underscore next to the term
 * means no match), and the words of a phrase may be separated by any run of whitespace.
 */
export interface KeywordMatcher {
  readonly terms: readonly string[];
  /** The listed terms found in the text, in list order, each once. */
  match(text: string): string[];
}

const WORD_CHAR = '[\\p{L}\\p{N}_]';

export function parseKeywordList(source: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const line of source.split(/\r?\n/)) {
    const term = line.trim().replace(/\s+/g, ' ');
    if (term === '' || term.startsWith('#')) continue;
    const key = term.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  return terms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createKeywordMatcher(terms: readonly string[]): KeywordMatcher {
  const patterns = terms.map((term) => {
    const body = term.split(' ').map(escapeRegExp).join('\\s+');
    return new RegExp(`(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})`, 'iu');
  });
  return {
    terms,
    match(text) {
      return terms.filter((_, i) => patterns[i]!.test(text));
    },
  };
}
