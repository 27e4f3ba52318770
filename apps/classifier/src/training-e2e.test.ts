import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { confusionAt, saveHead, type TrainingResult, trainHead } from '@split-brain/training';
import { startTestClassifier, type TestClassifier } from './test-support.ts';

const fixtures = join(import.meta.dir, '../../../libs/training/src/fixtures');

let classifier: TestClassifier;
let trained: TrainingResult;
let heldOut: { proprietary: string[]; general: string[] };

beforeAll(async () => {
  classifier = await startTestClassifier();
  const corpusDir = join(fixtures, 'corpus');
  const documents = await Promise.all(
    (await readdir(corpusDir)).map(async (name) => ({
      name,
      text: await Bun.file(join(corpusDir, name)).text(),
    })),
  );
  const labels = await Bun.file(join(fixtures, 'labels.json')).json();
  heldOut = await Bun.file(join(fixtures, 'held-out-questions.json')).json();
  trained = await trainHead(
    { documents, labels, maxGeneralNegatives: 2000 },
    { classifierUrl: classifier.url, targetRecall: 0.95, folds: 5, version: 'h-e2e-1' },
  );
}, 180_000);

afterAll(async () => {
  await classifier?.close();
});

describe('training end to end on a fictional company corpus', () => {
  test('cross-validation reaches recall 0.95 at precision >= 0.9', () => {
    const cv = trained.crossValidation;
    console.log('cv', {
      precision: cv.precision,
      recall: cv.recall,
      auc: cv.rocAuc,
      threshold: cv.threshold,
      counts: trained.counts,
    });
    expect(cv.recall).toBeGreaterThanOrEqual(0.95);
    expect(cv.precision).toBeGreaterThanOrEqual(0.9);
    expect(cv.rocAuc).toBeGreaterThan(0.95);
    expect(trained.head.suggestedThreshold).toBe(cv.threshold);
  });

  test('the saved, promoted head separates held-out paraphrased questions from ordinary ones', async () => {
    await saveHead(classifier.store, trained.head);
    await classifier.store.heads.promote(trained.head.version, 'test');
    const reload = await fetch(`${classifier.url}/reload`, { method: 'POST' });
    expect(reload.status).toBe(200);
    const texts = [...heldOut.proprietary, ...heldOut.general];
    const res = await fetch(`${classifier.url}/classify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts }),
    });
    const body = (await res.json()) as { headVersion: string; results: { score: number }[] };
    expect(body.headVersion).toBe('h-e2e-1');
    const scores = body.results.map((r) => r.score);
    const labels = texts.map((_, i) => (i < heldOut.proprietary.length ? 1 : 0));
    const at = confusionAt(scores, labels, trained.head.suggestedThreshold!);
    console.log('held-out', at);
    expect(at.recall).toBeGreaterThanOrEqual(0.95);
    expect(at.precision).toBeGreaterThanOrEqual(0.9);
  });
});
