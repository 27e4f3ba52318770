/**
 * `bun run eval:classifier [-- --set NAME|DIR] [--threshold T | --suggested] [--out DIR]`: the classifier judged the way a user
 * meets it. The evaluation set's documents, public reference documents, generated questions and labels go into
 * a fresh store as the console would put them there; the console's trainer (storeTrainer, the same code path as
 * the Training view and `bun run train`) builds a head through a real classifier with the provisioned model; the
 * head is promoted; then every prompt is sent through a real router (upstream simulator behind it) and the route
 * it took is read from the response. The report (bench/results/classifier-<date>-<commit>/) has recall and
 * false-positive rate per kind at the router's threshold, ROC and precision-recall curves as SVG, and the worst
 * misses and false positives.
 *
 * The router runs at its default threshold (0.4) unless --threshold T or --suggested (the head's suggested
 * threshold, as an operator would apply it in Settings) says otherwise; the report gives the other too.
 * Heavy: run it under `flock /tmp/sb-heavy.lock`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadClassifierConfig, loadRouterConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import { startSimulator } from '@split-brain/simulator';
import { openStore } from '@split-brain/store';
import {
  confusionAt,
  curves,
  documentSections,
  formatFromName,
  formatTrainingSummary,
  parseGeneratedQuestions,
  rocAuc,
  thresholdForRecall,
  tidyQuestions,
  type TrainingResult,
  trainFromStore,
} from '@split-brain/training';
import { startClassifier } from '../../apps/classifier/src/start.ts';
import { createRouter } from '../../apps/router/src/router.ts';
import { extractDocumentText } from '../../apps/ui/src/server/documents/extract-text.ts';
import { formatResults } from '../report/format.ts';
import { xyChart } from '../report/svg.ts';
import { type EvalPrompt, type PromptKind, PROPRIETARY_KINDS, PUBLIC_KINDS } from './eval-set.ts';
import { EVAL_SETS, evalSetDir, loadEvalDocuments, loadEvalPrompts } from './eval-set.ts';

const REPO = resolve(import.meta.dir, '../..');

interface Scored {
  prompt: EvalPrompt;
  route: 'local' | 'claude';
  score: number;
  /** Cosine similarity of the prompt's closest message to the closest generated question of its label. */
  sibling?: number;
}

/** A prompt "has a sibling" when a generated question of the same label is this close (same fact, reworded). */
const SIBLING_SIMILARITY = 0.85;

async function embed(classifierUrl: string, texts: string[]): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += 64) {
    const res = await fetch(`${classifierUrl}/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: texts.slice(i, i + 64) }),
    });
    if (!res.ok) throw new Error(`/embed answered ${res.status}`);
    out.push(...((await res.json()) as { embeddings: number[][] }).embeddings);
  }
  return out;
}

/**
 * How close each prompt is to the generated questions of its own label: prompts with a close sibling test
 * memory of that question more than understanding, so the report gives recall and false positives for both.
 */
async function markSiblings(scored: Scored[], classifierUrl: string, store: ReturnType<typeof openStore>) {
  const questions = await store.generatedQuestions.list();
  const vectors = await embed(
    classifierUrl,
    questions.map((q) => q.text),
  );
  const messages = scored.flatMap((s) =>
    s.prompt.messages.filter((m) => m.role === 'user').map((m) => m.content),
  );
  const messageVectors = await embed(classifierUrl, messages);
  let next = 0;
  for (const s of scored) {
    const label = s.prompt.proprietary ? 'proprietary' : 'public';
    let best = -1;
    for (const _ of s.prompt.messages.filter((m) => m.role === 'user')) {
      const v = messageVectors[next++]!;
      questions.forEach((q, i) => {
        if (q.label !== label) return;
        let dot = 0;
        for (let d = 0; d < v.length; d++) dot += v[d]! * vectors[i]![d]!;
        best = Math.max(best, dot);
      });
    }
    s.sibling = best;
  }
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

async function commitOf(): Promise<string> {
  const proc = Bun.spawn(['git', 'rev-parse', '--short', 'HEAD'], {
    cwd: REPO,
    stdout: 'pipe',
    stderr: 'ignore',
  });
  return (await new Response(proc.stdout).text()).trim() || 'unknown';
}

/** Loads the set into a fresh store the way the console's upload and review would. */
async function fillStore(dataDir: string, setDir: string) {
  const store = openStore(dataDir);
  const { internal, publicDocs } = await loadEvalDocuments(setDir);
  for (const [docs, isPublic] of [
    [internal, false],
    [publicDocs, true],
  ] as const) {
    for (const doc of docs) {
      const bytes = new TextEncoder().encode(doc.text);
      const extracted = await extractDocumentText(doc.name, bytes);
      await store.documents.save({
        name: doc.name,
        mediaType: extracted.type,
        original: bytes,
        text: extracted.text,
        uploadedBy: 'eval',
        public: isPublic,
      });
    }
  }
  const questionsFile = Bun.file(join(setDir, 'generated-questions.jsonl'));
  const questions = (await questionsFile.exists()) ? parseGeneratedQuestions(await questionsFile.text()) : [];
  await store.generatedQuestions.replaceAll(tidyQuestions(questions));
  const labelsFile = Bun.file(join(setDir, 'labels.jsonl'));
  const labels = (await labelsFile.exists())
    ? (await labelsFile.text())
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { text: string; label: 'proprietary' | 'public' })
    : [];
  if (labels.length > 20)
    throw new Error(`the evaluation allows at most 20 operator labels (${labels.length} given)`);
  for (const l of labels) await store.labels.add({ ...l, requestId: null, createdBy: 'eval' });
  return {
    store,
    documents: internal.length,
    publicDocuments: publicDocs.length,
    questions: questions.length,
    labels,
    sections: internal.reduce((n, d) => n + documentSections(d.text, formatFromName(d.name)).length, 0),
  };
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      set: { type: 'string', default: EVAL_SETS[0] },
      threshold: { type: 'string' },
      suggested: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const setDir = values.set!.includes('/') ? resolve(values.set!) : evalSetDir(values.set!);
  const started = performance.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'classifier-eval-'));
  const logger = createLogger('eval', 'error');
  const stops: (() => Promise<void> | void)[] = [() => rm(dataDir, { recursive: true, force: true })];
  try {
    const filled = await fillStore(dataDir, setDir);
    const classifierConfig = {
      ...loadClassifierConfig({}),
      port: 0,
      dataDir,
      logLevel: 'error' as const,
      headPollMs: 200,
    };
    const classifier = await startClassifier(classifierConfig, logger);
    const classifierServer = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: classifier.app.fetch });
    stops.unshift(async () => {
      await classifierServer.stop(true);
      await classifier.stop();
    });
    const classifierUrl = `http://127.0.0.1:${classifierServer.port}`;

    // The console's code path: storeTrainer is trainFromStore with the console's defaults.
    const trainStarted = performance.now();
    const trained: TrainingResult = await trainFromStore(filled.store, { classifierUrl });
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    await filled.store.heads.save(trained.head);
    await filled.store.heads.promote(trained.head.version, 'eval');
    const reload = await fetch(`${classifierUrl}/reload`, { method: 'POST' });
    if (!reload.ok) throw new Error(`the classifier refused the head: ${await reload.text()}`);

    // The router's own default (CLASSIFIER_THRESHOLD's default), unless --threshold names another.
    const threshold =
      values.threshold !== undefined
        ? Number(values.threshold)
        : values.suggested === true
          ? trained.head.suggestedThreshold!
          : loadRouterConfig({
              ANTHROPIC_API_KEY: 'x',
              SCALARLM_BASE_URL: 'http://x',
              CLASSIFIER_URL: 'http://x',
            }).classifier.threshold;
    if (!(threshold >= 0 && threshold <= 1))
      throw new Error(`--threshold must be from 0 to 1 (got ${values.threshold})`);
    const sim = startSimulator({});
    stops.unshift(() => sim.stop());
    const routerConfig = loadRouterConfig({
      SPLIT_BRAIN_DATA_DIR: dataDir,
      POD_NAME: 'eval',
      LOG_LEVEL: 'error',
      CLASSIFIER_URL: classifierUrl,
      CLASSIFIER_THRESHOLD: String(threshold),
      CLASSIFIER_TIMEOUT_MS: '30000',
      ANTHROPIC_API_KEY: 'sk-ant-eval',
      ANTHROPIC_BASE_URL: sim.url,
      SCALARLM_BASE_URL: `${sim.url}/v1`,
    });
    const router = await createRouter(routerConfig, { logger });
    const routerServer = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: router.app.fetch });
    stops.unshift(async () => {
      await routerServer.stop(true);
      router.close();
    });
    const token = (
      await filled.store.tokens.create({ user: 'eval@example.com', name: 'eval', createdBy: 'eval' })
    ).token;

    const prompts = await loadEvalPrompts(setDir);
    const scored: Scored[] = [];
    for (const prompt of prompts) {
      const res = await fetch(`http://127.0.0.1:${routerServer.port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: prompt.messages }),
      });
      await res.arrayBuffer();
      const route = res.headers.get('x-split-brain-route');
      const score = Number(res.headers.get('x-split-brain-score'));
      if (!res.ok || (route !== 'local' && route !== 'claude') || !Number.isFinite(score))
        throw new Error(`${prompt.id}: the router answered ${res.status} (route ${route}, score ${score})`);
      scored.push({ prompt, route, score });
    }
    const outDir = resolve(
      values.out ??
        join(
          REPO,
          'bench/results',
          `classifier-${basename(setDir)}-${new Date().toISOString().slice(0, 10)}-${await commitOf()}`,
        ),
    );
    await markSiblings(scored, classifierUrl, filled.store);
    await writeReport(outDir, {
      scored,
      trained,
      threshold,
      filled,
      trainSeconds,
      totalSeconds: (performance.now() - started) / 1000,
    });
    console.log(`report: ${join(outDir, 'README.md')}`);
  } finally {
    for (const stop of stops) await stop();
  }
}

function kindRows(scored: Scored[]) {
  const rows = [...PROPRIETARY_KINDS, ...PUBLIC_KINDS].map((kind) => {
    const mine = scored.filter((s) => s.prompt.kind === kind);
    const local = mine.filter((s) => s.route === 'local').length;
    return { kind, n: mine.length, local, proprietary: PROPRIETARY_KINDS.includes(kind) };
  });
  const group = (name: string, kinds: PromptKind[], proprietary: boolean) => {
    const mine = scored.filter((s) => kinds.includes(s.prompt.kind));
    return { kind: name, n: mine.length, local: mine.filter((s) => s.route === 'local').length, proprietary };
  };
  return [
    ...rows,
    group('all proprietary', PROPRIETARY_KINDS, true),
    group('same-field (incl. collisions)', ['same-field', 'same-field-collision'], false),
    group('all public', PUBLIC_KINDS, false),
  ];
}

async function writeReport(
  outDir: string,
  run: {
    scored: Scored[];
    trained: TrainingResult;
    threshold: number;
    filled: Awaited<ReturnType<typeof fillStore>>;
    trainSeconds: number;
    totalSeconds: number;
  },
) {
  const { scored, trained, threshold } = run;
  await mkdir(outDir, { recursive: true });
  const scores = scored.map((s) => s.score);
  const labels = scored.map((s) => (s.prompt.proprietary ? 1 : 0));
  const auc = rocAuc(scores, labels);
  const c = curves(scores, labels, 400);
  const at = confusionAt(scores, labels, threshold);
  const atDefault = confusionAt(scores, labels, 0.4);
  const atSuggested = confusionAt(scores, labels, trained.head.suggestedThreshold!);
  const at99 = thresholdForRecall(scores, labels, 0.99);
  const negatives = scores.filter((_, i) => labels[i] === 0).sort((a, b) => b - a);
  const at5 = confusionAt(scores, labels, negatives[Math.floor(negatives.length * 0.05)]! + 1e-9);
  const sameField = scored.filter((s) => s.prompt.kind.startsWith('same-field'));
  const sameFieldRate = (t: number) => sameField.filter((s) => s.score >= t).length / sameField.length;
  const rows = kindRows(scored);
  const recall = rows.find((r) => r.kind === 'all proprietary')!;
  const publicAll = rows.find((r) => r.kind === 'all public')!;
  const sf = rows.find((r) => r.kind.startsWith('same-field ('))!;
  if (sf.n === 0) sf.n = Number.NaN;
  const met = {
    recall: recall.local / recall.n >= 0.99,
    fpr: publicAll.local / publicAll.n <= 0.05,
    sameField: sf.local / sf.n <= 0.1,
  };
  const text = (s: Scored) =>
    s.prompt.messages
      .map((m) => (s.prompt.messages.length > 1 ? `${m.role}: ` : '') + m.content)
      .join(' / ')
      .replace(/\s+/g, ' ')
      .slice(0, 160)
      .replace(/\|/g, '\\|');
  const misses = scored
    .filter((s) => s.prompt.proprietary)
    .sort((a, b) => a.score - b.score)
    .slice(0, 12);
  const falsePositives = scored
    .filter((s) => !s.prompt.proprietary)
    .sort((a, b) => b.score - a.score)
    .slice(0, 12);
  const h = trained.report.heldOut;

  await Bun.write(
    join(outDir, 'roc.svg'),
    xyChart({
      title: `ROC, end to end through the router (AUC ${auc.toFixed(3)})`,
      xLabel: 'false-positive rate (public prompts sent local)',
      yLabel: 'recall (proprietary prompts kept local)',
      series: [
        {
          label: 'head',
          points: [
            [0, 0],
            ...c.points.map((p) => [p.falsePositiveRate, p.recall] as [number, number]),
            [1, 1],
          ],
        },
        {
          label: 'chance',
          points: [
            [0, 0],
            [1, 1],
          ],
          dashed: true,
          color: '#bbb',
        },
      ],
      marks: [{ label: `threshold ${threshold.toFixed(3)}`, at: [at.falsePositiveRate, at.recall] }],
    }),
  );
  await Bun.write(
    join(outDir, 'precision-recall.svg'),
    xyChart({
      title: 'Precision-recall, end to end through the router',
      xLabel: 'recall',
      yLabel: 'precision',
      series: [{ label: 'head', points: c.points.map((p) => [p.recall, p.precision] as [number, number]) }],
      marks: [{ label: `threshold ${threshold.toFixed(3)}`, at: [at.recall, at.precision] }],
    }),
  );
  await Bun.write(
    join(outDir, 'scores.json'),
    JSON.stringify(
      scored.map((s) => ({
        id: s.prompt.id,
        kind: s.prompt.kind,
        proprietary: s.prompt.proprietary,
        score: s.score,
        route: s.route,
      })),
      null,
      1,
    ),
  );
  const lines = [
    `# Classifier evaluation (${new Date().toISOString().slice(0, 16)}Z, commit ${await commitOf()})`,
    '',
    `Set: ${run.filled.documents} internal documents (${run.filled.sections} sections), ${run.filled.publicDocuments} public reference documents, ` +
      `${run.filled.questions} generated questions, ${run.filled.labels.length} operator labels; ` +
      `${scored.filter((s) => s.prompt.proprietary).length} proprietary and ${scored.filter((s) => !s.prompt.proprietary).length} public prompts. ` +
      `Trained through the console's path (trainFromStore) in ${run.trainSeconds.toFixed(1)} s (embedding included); whole run ${run.totalSeconds.toFixed(0)} s. ` +
      'Every prompt was sent through the router (OpenAI dialect, all turns) and its route read from `x-split-brain-route`.',
    '',
    `## At the router's threshold ${threshold.toFixed(3)}${threshold === trained.head.suggestedThreshold ? " (the head's suggested threshold)" : ''}`,
    '',
    '| prompts | n | sent local | rate |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.kind} (${r.proprietary ? 'proprietary: recall' : 'public: false positives'}) | ${r.n} | ${r.local} | ${pct(r.local / r.n)} |`,
    ),
    '',
    `Target: recall >= 99% ${met.recall ? 'met' : '**not met**'}; false positives <= 5% ${met.fpr ? 'met' : '**not met**'}; same-field false positives <= 10% ${met.sameField ? 'met' : '**not met**'}.`,
    '',
    '## Where the curve stands',
    '',
    `- ROC-AUC ${auc.toFixed(4)} (all prompts, scores as the router saw them).`,
    `- At the router's default threshold 0.4: recall ${pct(atDefault.recall)}, false positives ${pct(atDefault.falsePositiveRate)}, same-field ${pct(sameFieldRate(0.4))}.`,
    `- At the head's suggested threshold ${trained.head.suggestedThreshold!.toFixed(3)} (${trained.report.thresholdFrom}): recall ${pct(atSuggested.recall)}, false positives ${pct(atSuggested.falsePositiveRate)}, same-field ${pct(sameFieldRate(trained.head.suggestedThreshold!))}.`,
    `- Recall 99% needs threshold ${at99.threshold.toFixed(3)}: false positives there ${pct(at99.falsePositiveRate)}, same-field ${pct(sameFieldRate(at99.threshold))}.`,
    `- At 5% false positives: recall ${pct(at5.recall)}.`,
    '',
    '![ROC](roc.svg) ![precision-recall](precision-recall.svg)',
    '',
    '## Prompts with and without a close generated sibling',
    '',
    `A prompt has a sibling when one of its user turns has cosine similarity >= ${SIBLING_SIMILARITY} to a generated question of the same label (the same fact, reworded). Prompts without one measure what the head understood rather than remembered; a set written by someone else will have fewer siblings.`,
    '',
    '| prompts | with a sibling | sent local | without | sent local |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...[true, false].map((proprietary) => {
      const mine = scored.filter((s) => s.prompt.proprietary === proprietary);
      const near = mine.filter((s) => (s.sibling ?? 0) >= SIBLING_SIMILARITY);
      const far = mine.filter((s) => (s.sibling ?? 0) < SIBLING_SIMILARITY);
      const rate = (list: Scored[]) =>
        list.length === 0 ? '—' : pct(list.filter((s) => s.route === 'local').length / list.length);
      return `| ${proprietary ? 'proprietary (recall)' : 'public (false positives)'} | ${near.length} | ${rate(near)} | ${far.length} | ${rate(far)} |`;
    }),
    '',
    '## What training reported',
    '',
    '```',
    formatTrainingSummary(trained, threshold),
    '```',
    '',
    h
      ? `The held-out questions (generated questions never trained on) are the training's own estimate; the gap between it and this set shows how far the threshold chosen on them transfers to prompts written by someone else.`
      : '',
    '',
    '## Worst misses (proprietary prompts with the lowest scores)',
    '',
    '| score | route | kind | closest generated question | prompt |',
    '| ---: | --- | --- | ---: | --- |',
    ...misses.map(
      (s) =>
        `| ${s.score.toFixed(3)} | ${s.route} | ${s.prompt.kind} | ${s.sibling?.toFixed(2) ?? '—'} | ${text(s)} |`,
    ),
    '',
    '## Worst false positives (public prompts with the highest scores)',
    '',
    '| score | route | kind | closest generated question | prompt |',
    '| ---: | --- | --- | ---: | --- |',
    ...falsePositives.map(
      (s) =>
        `| ${s.score.toFixed(3)} | ${s.route} | ${s.prompt.kind} | ${s.sibling?.toFixed(2) ?? '—'} | ${text(s)} |`,
    ),
    '',
  ];
  await Bun.write(join(outDir, 'README.md'), lines.join('\n'));
  // Reports are committed; the repository's formatter keeps `bun run lint` green after a run.
  formatResults(outDir);
  console.log(lines.slice(0, 30).join('\n'));
}

if (import.meta.main) await main();
