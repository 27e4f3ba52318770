import { describe, expect, test } from 'bun:test';
import { headScorer } from './head-scorer.ts';
import { decodeLexical, encodeLexical, fitLexical, lexicalFeatures, lexicalLogit } from './lexical.ts';

const proprietary = [
  'What is the Sunday collection surcharge per pallet on the Granite tier?',
  'Remind me of the pallet surcharge for Sunday collections',
  'Who signs off a Granite discount above eight percent?',
  'Does the Granite tier get free Sunday collections?',
];
const publicTexts = [
  'What is a typical pallet size in Europe?',
  'How do I stack pallets safely?',
  'What is granite made of?',
  'Is Sunday trading regulated in England?',
  'How do I bake sourdough bread?',
  'What is a good name for a cat?',
];

describe('word features', () => {
  test('case, look-alike letters and zero-width characters do not change a word', () => {
    const plain = lexicalFeatures('Granite tier');
    expect(lexicalFeatures('GRANITE   tier')).toEqual(plain);
    // Cyrillic "а" and "е" imitate Latin letters; a zero-width space hides nothing.
    expect(lexicalFeatures('Grаnit\u200be tiеr')).toEqual(plain);
  });

  test('words and adjacent pairs are features, each once', () => {
    expect(lexicalFeatures('granite tier').length).toBe(3);
    expect(lexicalFeatures('granite granite').length).toBe(2);
    expect(lexicalFeatures('').length).toBe(0);
    expect(lexicalFeatures('tier granite')).not.toEqual(lexicalFeatures('granite tier'));
  });
});

describe('the word model', () => {
  const texts = [...proprietary, ...publicTexts];
  const y = texts.map((_, i) => (i < proprietary.length ? 1 : 0));
  const even = texts.map(() => 1);

  test('learns which words are ours: an unseen question naming them scores above public ones', () => {
    const model = fitLexical(texts, y, even);
    const ours = lexicalLogit(model, 'What Sunday surcharge applies to a Granite customer?');
    // Its words pull it up from the bias; an unseen public question's words pull it down.
    expect(ours).toBeGreaterThan(model.bias);
    expect(lexicalLogit(model, 'How do I bake bread on a Sunday?')).toBeLessThan(ours);
    expect(lexicalLogit(model, 'What is a good name for a dog?')).toBeLessThan(model.bias);
  });

  test('a text with few words is judged by them less: its sum is divided as if it had minTerms', () => {
    const model = fitLexical(texts, y, even, { minTerms: 1 });
    const damped = { ...model, minTerms: 16 };
    // One word and its absence of pairs: 1 term, so the damped logit is a quarter of the way from the bias.
    const full = lexicalLogit(model, 'Granite') - model.bias;
    expect(lexicalLogit(damped, 'Granite') - model.bias).toBeCloseTo(full / 4, 6);
    const long = texts.join(' ');
    expect(lexicalLogit(damped, long)).toBeCloseTo(lexicalLogit(model, long), 6);
  });

  test('sample weights count: a public example weighted up pulls its words down', () => {
    const plain = fitLexical(texts, y, even);
    const weighted = fitLexical(
      texts,
      y,
      texts.map((t) => (t === 'What is granite made of?' ? 20 : 1)),
    );
    expect(lexicalLogit(weighted, 'granite')).toBeLessThan(lexicalLogit(plain, 'granite'));
    expect(() => fitLexical(texts, y.slice(1), even)).toThrow('one label and one weight');
  });

  test('stored and loaded, it scores the same; a damaged one is refused', () => {
    const model = fitLexical(texts, y, even);
    const stored = encodeLexical(model);
    expect(stored.count).toBe(model.weights.size);
    const loaded = decodeLexical(JSON.parse(JSON.stringify(stored)));
    for (const t of [...texts, 'something else entirely'])
      expect(lexicalLogit(loaded, t)).toBeCloseTo(lexicalLogit(model, t), 5);
    expect(() => decodeLexical({ ...stored, count: stored.count + 1 })).toThrow('entries need');
    expect(() => decodeLexical({ ...stored, bits: 8 })).toThrow('outside 8 bits');
  });

  test("in a head, the text's words move its score; the same windows with other words score differently", () => {
    const model = fitLexical(texts, y, even);
    const head = { weights: [0, 0], bias: 0, dimension: 2, lexical: encodeLexical(model) };
    const scorer = headScorer(head);
    const window = [Math.SQRT1_2, Math.SQRT1_2];
    const ours = scorer.scoreText('Granite Sunday surcharge', [window]);
    const theirs = scorer.scoreText('bake sourdough bread', [window]);
    expect(ours).toBeGreaterThan(0.5);
    expect(theirs).toBeLessThan(ours);
    // Without a word model the words do not matter.
    const noWords = headScorer({ weights: [0, 0], bias: 0, dimension: 2 });
    expect(noWords.scoreText('Granite Sunday surcharge', [window])).toBe(0.5);
    expect(() => headScorer({ ...head, lexical: { ...head.lexical, weights: 'AAAA' } })).toThrow(
      'entries need',
    );
  });
});
