import { describe, expect, test } from 'bun:test';
import { crossValidate, groupedFolds, usableFolds } from './cross-validation.ts';
import { exampleWeights } from './examples.ts';
import { parseGeneratedQuestions, tidyQuestions } from './generated-questions.ts';
import { fitLogistic, predict } from './logistic.ts';
import {
  blendedScorer,
  decodeVectors,
  encodeVectors,
  headScorer,
  meanTopSimilarity,
  vectorSet,
} from './head-scorer.ts';
import { documentSections, tableRowSentence } from './plain-text.ts';
import { generatorPrompt, parseGeneratorAnswer, pastedExamples } from './question-generator.ts';
import { requestFragments } from './request-fragments.ts';
import { buildExamples, documentChunks, heldOutSplit, type TrainingExample, withQuestions } from './train.ts';
import {
  DEVELOPER_TOOL_NEGATIVES_PATH,
  loadGeneralNegatives,
  PROFESSIONAL_NEGATIVES_PATH,
} from './general-negatives.ts';

describe('documents as plain text', () => {
  test('Markdown tables become one sentence per row, headings become sections', () => {
    const md =
      '# Prices\n\nIntro line.\n\n| Model | Price |\n| --- | --- |\n| Skarv-7 | 11.4m |\n| Terne-5 | **4.6m** |\n\n## Rules\n\n- Six percent without approval\n- Twelve with approval\n';
    const sections = documentSections(md, 'text/markdown');
    expect(sections.map((s) => s.title)).toEqual(['Prices', 'Prices > Rules']);
    expect(sections[0]!.text).toBe(
      'Intro line.\n\nModel: Skarv-7; Price: 11.4m.\n\nModel: Terne-5; Price: 4.6m.',
    );
    expect(sections[1]!.text).toBe('Six percent without approval.\n\nTwelve with approval.');
  });

  test('HTML tables, lists and entities the same way; scripts dropped', () => {
    const html =
      '<html><head><style>td{}</style></head><body><h1>Fees &amp; rates</h1><script>alert(1)</script><table><tr><th>Broker</th><th>Rate</th></tr><tr><td>Whitlow &amp; Crane</td><td>17.5%</td></tr></table><ul><li>Clawback in 60 days</li></ul></body></html>';
    const [section] = documentSections(html, 'text/html');
    expect(section!.title).toBe('Fees & rates');
    expect(section!.text).toContain('Broker: Whitlow & Crane; Rate: 17.5%.');
    expect(section!.text).toContain('Clawback in 60 days.');
    expect(section!.text).not.toContain('alert');
  });

  test('no chunk of a Markdown document with tables carries a pipe', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| Band ${i} | £${200 + i} | £${150 + i} |`).join('\n');
    const chunks = documentChunks({
      name: 'bands.md',
      text: `# Bands\n\n| Band | Premium | Excess |\n| --- | --- | --- |\n${rows}\n`,
    });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.some((c) => c.text.includes('|'))).toBe(false);
    expect(chunks[0]!.text).toContain('Band: Band 0; Premium: £200; Excess: £150.');
  });

  test('a row skips empty cells and a header equal to its value', () => {
    expect(tableRowSentence(['Tier', 'Waiver'], ['Gold', '-'])).toBe('Tier: Gold.');
  });
});

describe('cross-validation grouped by document', () => {
  test('a group never spans two folds, and folds stay balanced', () => {
    const groups = Array.from({ length: 200 }, (_, i) => (i < 100 ? `doc:${i % 10}` : `general:${i}`));
    const labels = groups.map((g) => (g.startsWith('doc') ? 1 : 0));
    const folds = groupedFolds(groups, labels, 5);
    for (let d = 0; d < 10; d++) {
      const seen = new Set(folds.filter((_, i) => groups[i] === `doc:${d}`));
      expect(seen.size).toBe(1);
    }
    for (let f = 0; f < 5; f++) {
      expect(labels.filter((y, i) => y === 1 && folds[i] === f)).toHaveLength(20);
      expect(labels.filter((y, i) => y === 0 && folds[i] === f)).toHaveLength(20);
    }
    expect(usableFolds(groups, labels, 20)).toBe(10);
  });

  test('near-duplicates inside one document inflate per-example folds but not grouped ones', () => {
    // Each "document" is one random point repeated with tiny noise; labels alternate by document. Split per
    // example, a scorer recognises the document from its siblings; split by document, it cannot.
    let seed = 3;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const x: number[][] = [];
    const y: number[] = [];
    const groups: string[] = [];
    for (let d = 0; d < 40; d++) {
      const centre = Array.from({ length: 8 }, () => random() * 2 - 1);
      const label = d % 2;
      for (let k = 0; k < 10; k++) {
        x.push(centre.map((v) => v + (random() - 0.5) * 0.01));
        y.push(label);
        groups.push(`doc:${d}`);
      }
    }
    // A scorer that memorises (the nearest training example's label), as a neighbour blend partly does.
    const nearest = (tx: ArrayLike<number>[], ty: number[]) => (v: ArrayLike<number>) => {
      let best = 0;
      let bestDistance = Infinity;
      tx.forEach((u, i) => {
        let d = 0;
        for (let j = 0; j < v.length; j++) d += (u[j]! - v[j]!) ** 2;
        if (d < bestDistance) [best, bestDistance] = [i, d];
      });
      return ty[best]!;
    };
    const perExample = crossValidate(x, y, { folds: 5, targetRecall: 0.9, fit: nearest });
    const grouped = crossValidate(x, y, { folds: 5, targetRecall: 0.9, groups, fit: nearest });
    expect(perExample.rocAuc).toBeGreaterThan(0.95);
    expect(grouped.rocAuc).toBeLessThan(0.8);
  });
});

describe('weights by source with class balancing', () => {
  test('each class weighs half in total, and sources keep their ratio inside a class', () => {
    const examples = [
      ...Array.from({ length: 10 }, () => ({ label: 1 as const, source: 'document' as const })),
      ...Array.from({ length: 5 }, () => ({ label: 1 as const, source: 'generated' as const })),
      ...Array.from({ length: 100 }, () => ({ label: 0 as const, source: 'general' as const })),
      ...Array.from({ length: 5 }, () => ({ label: 0 as const, source: 'generated' as const })),
    ];
    const w = exampleWeights(examples, { document: 1, generated: 10, general: 1 });
    const sum = (pred: (i: number) => boolean) => w.reduce((a, v, i) => (pred(i) ? a + v : a), 0);
    expect(sum((i) => examples[i]!.label === 1)).toBeCloseTo(60, 6);
    expect(sum((i) => examples[i]!.label === 0)).toBeCloseTo(60, 6);
    expect(w[10]! / w[0]!).toBeCloseTo(10, 6);
    expect(() => exampleWeights(examples, { general: -1 })).toThrow('general');
  });

  test('a heavier source moves the boundary towards it', () => {
    // Two proprietary sources disagree about x=0.5: "document" says 1 there, "generated" says 0 nearby.
    const x = [[0.1], [0.2], [0.5], [0.5], [0.9], [0.8], [0.55], [0.45]];
    const y = [0, 0, 1, 1, 1, 1, 0, 0];
    const src = [
      'general',
      'general',
      'document',
      'document',
      'document',
      'document',
      'generated',
      'generated',
    ] as const;
    const examples = y.map((label, i) => ({ label: label as 0 | 1, source: src[i]! }));
    const light = fitLogistic(
      x,
      y,
      { l2: 1e-4, maxIterations: 3000 },
      exampleWeights(examples, { generated: 0.1 }),
    );
    const heavy = fitLogistic(
      x,
      y,
      { l2: 1e-4, maxIterations: 3000 },
      exampleWeights(examples, { generated: 20 }),
    );
    expect(predict(heavy, [0.5])).toBeLessThan(predict(light, [0.5]));
  });
});

describe('generated questions', () => {
  test('a file from any generator: each bad line is named', () => {
    const ok = parseGeneratedQuestions(
      '{"text":"What is band A?","label":"proprietary","doc":"a.md","source":"x"}\n\n',
    );
    expect(ok).toHaveLength(1);
    expect(() =>
      parseGeneratedQuestions('{"text":"q","label":"proprietary","doc":"a","source":"x"}\nnot json'),
    ).toThrow('line 2: not JSON');
    expect(() => parseGeneratedQuestions('{"text":"q","label":"secret","doc":"a","source":"x"}')).toThrow(
      'line 1: label',
    );
    expect(() => parseGeneratedQuestions('{"text":"q","label":"public","source":"x"}')).toThrow('doc');
  });

  test('deduplicated (case and punctuation), contradictions dropped, capped per document and label', () => {
    const q = (text: string, label: 'proprietary' | 'public', doc = 'a.md') => ({
      text,
      label,
      doc,
      source: 's',
    });
    const tidy = tidyQuestions(
      [
        q('What is the band A premium?', 'proprietary'),
        q('what is the band a premium', 'proprietary'),
        q('Is thatch dearer?', 'proprietary'),
        q('is thatch dearer', 'public'),
        ...Array.from({ length: 5 }, (_, i) => q(`public question ${i}`, 'public')),
        ...Array.from({ length: 5 }, (_, i) => q(`other doc question ${i}`, 'proprietary', 'b.md')),
      ],
      { perDocumentAndLabel: 3, total: 7 },
    );
    expect(tidy.map((t) => t.text)).toEqual([
      'What is the band A premium?',
      'public question 0',
      'public question 1',
      'public question 2',
      'other doc question 0',
      'other doc question 1',
      'other doc question 2',
    ]);
  });

  test('the generator reads JSON answers or headed lists; pasted passages are deterministic', () => {
    expect(
      parseGeneratorAnswer(
        'Sure! {"employee":["What is our band A premium?"],"nameless":[],"public":["What is a premium?"]}',
      ),
    ).toEqual({
      employee: ['What is our band A premium?'],
      nameless: [],
      public: ['What is a premium?'],
    });
    expect(
      parseGeneratorAnswer(
        'Employee:\n1. What is our band A premium?\nPublic:\n- What is an excess, in general?',
      ).public,
    ).toEqual(['What is an excess, in general?']);
    const text =
      'First sentence here about the yard and its boats. Second sentence about the price list for 2026. Third sentence on discounts and approval rules for sales staff.';
    expect(pastedExamples(text, 1, 4)).toEqual(pastedExamples(text, 1, 4));
    expect(pastedExamples(text, 1, 4)[0]).toContain('Second sentence about the price list');
    expect(
      generatorPrompt('a.md', 'Prices', 'text', { employee: 2, nameless: 3, public: 4, pasted: 0 }),
    ).toMatch(/^Document: a\.md\nSection: Prices\n/);
  });

  test('question-form examples are held out by a stable hash; training input keeps documents whole', async () => {
    const input = {
      documents: [
        {
          name: 'a.md',
          text: '# A\n\nThe band A premium is £212 and the excess is £150 for every policy we write.',
        },
        {
          name: 'p.md',
          text: '# P\n\nHome insurance covers the structure and the contents of a home in general.',
          public: true,
        },
      ],
      labels: [],
      generated: Array.from({ length: 200 }, (_, i) => ({
        text: `question number ${i} about things`,
        label: (i % 2 ? 'proprietary' : 'public') as 'proprietary' | 'public',
        doc: 'a.md',
        source: 'employee',
      })),
      generalNegatives: ['how do I boil an egg', 'what is the capital of France'],
    };
    const examples = await buildExamples(input);
    expect(examples.filter((e) => e.source === 'public-document').every((e) => e.label === 0)).toBe(true);
    expect(
      examples.filter((e) => e.source === 'document').every((e) => e.label === 1 && e.group === 'doc:a.md'),
    ).toBe(true);
    const held = heldOutSplit(examples, 0.3);
    expect(held).toEqual(heldOutSplit(examples, 0.3));
    const heldOut = examples.filter((_, i) => held[i]);
    expect(heldOut.every((e) => e.source === 'generated')).toBe(true);
    expect(new Set(heldOut.map((e) => e.label)).size).toBe(2);
    expect(heldOutSplit(examples, 0).every((h) => !h)).toBe(true);
    // Too few to set a 99% threshold on: nothing is held out.
    expect(heldOutSplit(examples.slice(0, 30), 0.3).every((h) => !h)).toBe(true);
  });
});

describe('shipped negative sets', () => {
  test('developer text joins every run whole; professional text and request fragments only runs with employee questions', async () => {
    const documents = [
      { name: 'a.md', text: '# A\n\nThe band A premium is £212 for every policy we write.' },
    ];
    const question = (i: number, label: 'proprietary' | 'public') => ({
      text: `What is the band ${i} premium for a ${label} customer?`,
      label,
      doc: 'a.md',
      source: 'employee',
    });
    const developer = await loadGeneralNegatives(DEVELOPER_TOOL_NEGATIVES_PATH);
    const professional = await loadGeneralNegatives(PROFESSIONAL_NEGATIVES_PATH);
    const fragments = requestFragments();
    const generalTexts = (examples: TrainingExample[]) =>
      new Set(examples.filter((e) => e.source === 'general').map((e) => e.text));

    const documentsOnly = await buildExamples({ documents, labels: [], maxGeneralNegatives: 10 });
    expect(documentsOnly.filter((e) => e.source === 'general').length).toBe(10 + developer.length);
    expect(withQuestions(documentsOnly)).toBe(false);

    const generated = [
      ...Array.from({ length: 50 }, (_, i) => question(i, 'proprietary')),
      ...Array.from({ length: 20 }, (_, i) => question(i, 'public')),
    ];
    const asked = await buildExamples({ documents, labels: [], generated, maxGeneralNegatives: 10 });
    expect(withQuestions(asked)).toBe(true);
    const texts = generalTexts(asked);
    expect(asked.filter((e) => e.source === 'general').every((e) => e.label === 0)).toBe(true);
    for (const list of [developer, professional, fragments])
      expect(list.every((t) => texts.has(t))).toBe(true);
    // 49 proprietary questions are not enough.
    const fewer = await buildExamples({
      documents,
      labels: [],
      generated: generated.slice(1),
      maxGeneralNegatives: 10,
    });
    expect(generalTexts(fewer).has(professional[0]!)).toBe(false);
    // A run given its own general set (tests, other deployments) gets only that.
    const own = await buildExamples({
      documents,
      labels: [],
      generated,
      generalNegatives: ['how do I boil an egg'],
    });
    expect(own.filter((e) => e.source === 'general').map((e) => e.text)).toEqual(['how do I boil an egg']);
  });

  test('request fragments: the same on every run, distinct, and short', () => {
    const fragments = requestFragments();
    expect(requestFragments()).toEqual(fragments);
    expect(new Set(fragments).size).toBe(fragments.length);
    expect(fragments.length).toBeGreaterThan(500);
    for (const kind of [
      /^claude-/,
      /^toolu_01/,
      /^call_/,
      /^sb-user-[0-9a-f]{32}$/,
      /^\d+$/,
      /^yes$/,
      /^end_turn$/,
    ])
      expect(fragments.some((f) => kind.test(f))).toBe(true);
    expect(fragments.filter((f) => f.split(/\s+/).length > 4)).toEqual([]);
  });

  test("the professional set keeps its promise: distinct lines, and nothing from the evaluation sets' fields", async () => {
    const lines = await loadGeneralNegatives(PROFESSIONAL_NEGATIVES_PATH);
    expect(lines.length).toBeGreaterThan(1000);
    expect(new Set(lines).size).toBe(lines.length);
    const evaluationFields = /insur|freight|warehous|shipping|logistic|customs|parcel|haulage/i;
    expect(lines.filter((l) => evaluationFields.test(l))).toEqual([]);
  });
});

describe('nearest-neighbour blend', () => {
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  test('int8 storage keeps similarities within 1e-2', () => {
    const vs = [unit([1, 2, 3, 4]), unit([-4, 0.5, 2, 1])];
    const decoded = decodeVectors(encodeVectors(vs, 4), 4);
    const q = unit([1, 1, 1, 1]);
    expect(meanTopSimilarity(decoded, q, 1)).toBeCloseTo(meanTopSimilarity(vectorSet(vs, 4), q, 1), 2);
    expect(() => decodeVectors({ ...encodeVectors(vs, 4), count: 3, scales: [1, 1, 1] }, 4)).toThrow(
      'need 12',
    );
  });

  test('evidence from the nearest examples moves the score; without neighbours it is plain logistic', () => {
    const pos = vectorSet([unit([1, 0, 0]), unit([0.9, 0.1, 0])], 3);
    const neg = vectorSet([unit([0, 1, 0]), unit([0, 0.9, 0.1])], 3);
    const plain = blendedScorer({ weights: [0, 0, 0], bias: 0 });
    const blended = blendedScorer({
      weights: [0, 0, 0],
      bias: 0,
      neighbours: { k: 1, weight: 10, positives: pos, negatives: neg },
    });
    expect(plain.scoreText('', [unit([1, 0, 0])])).toBe(0.5);
    expect(blended.scoreText('', [unit([1, 0.05, 0])])).toBeGreaterThan(0.99);
    expect(blended.scoreText('', [unit([0.05, 1, 0])])).toBeLessThan(0.01);
    // A text's most proprietary window decides.
    expect(blended.scoreText('', [unit([0.05, 1, 0]), unit([1, 0.05, 0])])).toBeGreaterThan(0.99);
    expect(() => blended.scoreText('', [])).toThrow('at least one');
    const head = {
      weights: [0, 0, 0],
      bias: 0,
      dimension: 3,
      neighbours: {
        k: 1,
        weight: 10,
        positives: encodeVectors([unit([1, 0, 0])], 3),
        negatives: encodeVectors([unit([0, 1, 0])], 3),
      },
    };
    expect(headScorer(head).scoreText('', [unit([1, 0.05, 0])])).toBeGreaterThan(0.99);
  });
});
