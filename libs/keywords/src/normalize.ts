/**
 * The one normalisation for everything that matches keywords (the classifier's keyword list, session-taint
 * keys, the leak tests' witness). Text and keywords are both passed through it, so a keyword is found
 * however it is dressed:
 *
 * - compatibility forms fold (NFKD): fullwidth `ＦＡＬＣＯＮ`, the Kelvin sign `K`, ligatures `ﬁ`;
 * - diacritics drop: `Möwe`, `Mo\u0308we` (NFD) and `Mowe` are one word, `É` matches `E`;
 * - default-ignorable characters vanish: zero-width space, soft hyphen, word joiner, ZWJ, BOM;
 * - look-alike Cyrillic and Greek letters become the Latin letter they imitate (`Рrоjеct`);
 * - every run of spaces, line breaks, dashes (`-`, U+2011, en/em dash, minus) and underscores becomes one
 *   space, so `HM-2291`, `HM 2291`, `HM\n2291` and `HM‑2291` are alike;
 * - case folds (lower case).
 */

/** Upper- and lower-case look-alikes mapped to the Latin letter (case kept; folding comes after). */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Ԛ: 'Q',
  Ԝ: 'W',
  Һ: 'H',
  Ӏ: 'I',
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  х: 'x',
  у: 'y',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  // Greek
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  // Latin oddities NFKD leaves alone
  ı: 'i',
  ȷ: 'j',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
};
const CONFUSABLE_CHARS = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');
const MARKS = /\p{M}+/gu;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}+/gu;
/** Whitespace, dash punctuation, the minus sign and the underscore: one separator class. */
const SEPARATORS = /[\s\p{Pd}\u2212_]+/gu;

export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(IGNORABLE, '')
    .replace(CONFUSABLE_CHARS, (c) => CONFUSABLES[c] ?? c)
    .replace(SEPARATORS, ' ')
    .toLowerCase();
}
