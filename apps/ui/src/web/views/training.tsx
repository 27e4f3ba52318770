import { createMemo, createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { TrainingEvaluation } from '../../server/training/jobs.ts';
import { request } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { DataTable } from '../components/data-table.tsx';
import { ErrorNote, Page, Progress, score, StatusNote, when } from '../widgets.tsx';

/** The server's shape, as a type only (nothing of the server reaches the bundle). */
type Evaluation = TrainingEvaluation;
interface Job {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { phase: string; done: number; total: number };
  error: string | null;
  targetRecall: number;
  result: {
    version: string;
    metrics: Record<string, number | string | null>;
    suggestedThreshold: number | null;
    counts: { positives: number; negatives: number };
    evaluation: Evaluation | null;
  } | null;
  savedVersion: string | null;
}
interface RouterThreshold {
  value: number;
  from: 'settings' | 'default';
}
interface HeadRow {
  version: string;
  createdAt: string;
  modelId: string;
  suggestedThreshold: number | null;
  metrics: Record<string, number | string | null>;
}
interface HeadsAnswer {
  heads: HeadRow[];
  pointer: { current: string; history: string[]; updatedAt: string; updatedBy: string } | null;
}
interface ReloadAnswer {
  ok: boolean;
  status: number;
  message: string;
}
interface Question {
  id: string;
  text: string;
  label: 'proprietary' | 'public';
  doc: string;
  source: string;
}
interface Generation {
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number };
  error: string | null;
  result: { questions: number; failures: { doc: string; section: string; error: string }[] } | null;
}
interface QuestionsAnswer {
  questions: Question[];
  generation: Generation | null;
  generationAvailable: boolean;
}
interface Replay {
  records: number;
  scored: number;
  threshold: number;
  toLocal: { count: number; examples: { text: string; oldScore: number | null; newScore: number }[] };
  toClaude: { count: number; examples: { text: string; oldScore: number | null; newScore: number }[] };
  unchanged: number;
}

const percent = (v: number | string | null | undefined) =>
  typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—';
const count = (v: number | string | null | undefined) =>
  typeof v === 'number' ? Math.round(v).toLocaleString() : '—';
const RECALL_KEY = 'split-brain.training.targetRecall';

/** What each source count in a run means, in the order people read them. */
const SOURCE_NAMES: [string, string][] = [
  ['documentChunks', 'Passages of proprietary documents'],
  ['publicChunks', 'Passages of public reference documents'],
  ['generatedProprietary', 'Generated employee questions'],
  ['generatedPublic', 'Generated public questions'],
  ['proprietaryLabels', 'Labels: proprietary'],
  ['publicLabels', 'Labels: public'],
  ['general', 'Everyday prompts (shipped set)'],
  ['heldOut', 'Questions held out for the evaluation'],
];

/** Score distributions of held-out proprietary and public questions, with the thresholds marked. */
function ScoreHistogram(props: { evaluation: Evaluation; suggested: number | null; router: number }) {
  const w = 560;
  const h = 180;
  const pad = 28;
  const hist = () => props.evaluation.histogram;
  const max = () => Math.max(1, ...hist().positives, ...hist().negatives);
  const bar = () => (w - 2 * pad) / hist().bins / 2;
  const x = (v: number) => pad + v * (w - 2 * pad);
  const y = (n: number) => h - pad - (n / max()) * (h - 2 * pad);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${w} ${h}`}
        width={w}
        height={h}
        role="img"
        aria-label="Score distributions of held-out questions"
      >
        <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} stroke="#999" />
        <For each={hist().negatives}>
          {(n, i) => (
            <rect x={x(i() / hist().bins)} y={y(n)} width={bar()} height={h - pad - y(n)} fill="#1b6ac9">
              <title>{`public, scores ${(i() / hist().bins).toFixed(2)}–${((i() + 1) / hist().bins).toFixed(2)}: ${n}`}</title>
            </rect>
          )}
        </For>
        <For each={hist().positives}>
          {(n, i) => (
            <rect
              x={x(i() / hist().bins) + bar()}
              y={y(n)}
              width={bar()}
              height={h - pad - y(n)}
              fill="#d1495b"
            >
              <title>{`proprietary, scores ${(i() / hist().bins).toFixed(2)}–${((i() + 1) / hist().bins).toFixed(2)}: ${n}`}</title>
            </rect>
          )}
        </For>
        <Show when={props.suggested !== null}>
          <line x1={x(props.suggested!)} y1={pad / 2} x2={x(props.suggested!)} y2={h - pad} stroke="#111" />
          <text x={x(props.suggested!) + 4} y={pad / 2 + 10} font-size="11">
            suggested {props.suggested!.toFixed(2)}
          </text>
        </Show>
        <line
          x1={x(props.router)}
          y1={pad / 2}
          x2={x(props.router)}
          y2={h - pad}
          stroke="#2e933c"
          stroke-dasharray="4 3"
        />
        <text x={x(props.router) + 4} y={pad / 2 + 24} font-size="11" fill="#2e933c">
          router {props.router.toFixed(2)}
        </text>
        <For each={[0, 0.25, 0.5, 0.75, 1]}>
          {(t) => (
            <text x={x(t)} y={h - 8} font-size="11" text-anchor="middle">
              {t}
            </text>
          )}
        </For>
      </svg>
      <figcaption>
        {props.evaluation.thresholdFrom === 'held-out'
          ? 'Scores of held-out questions'
          : 'Out-of-fold scores from cross-validation (no held-out questions)'}
        : <span style={{ color: '#d1495b' }}>■ proprietary</span>{' '}
        <span style={{ color: '#1b6ac9' }}>■ public</span>. Everything right of the router's line goes local.
      </figcaption>
    </figure>
  );
}

/** Precision against recall as the threshold moves, with the router's threshold marked. */
function PrecisionRecall(props: { evaluation: Evaluation; router: number }) {
  const w = 320;
  const h = 220;
  const pad = 32;
  const x = (v: number) => pad + v * (w - 2 * pad);
  const y = (v: number) => h - pad - v * (h - 2 * pad);
  const points = () => props.evaluation.curves.points;
  const at = () => {
    const above = points().filter((p) => p.threshold >= props.router);
    return above.at(-1) ?? points()[0];
  };
  return (
    <figure>
      <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label="Precision-recall curve">
        <rect x={pad} y={pad} width={w - 2 * pad} height={h - 2 * pad} fill="none" stroke="#999" />
        <polyline
          fill="none"
          stroke="#8f5bd6"
          stroke-width="2"
          points={points()
            .map((p) => `${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`)
            .join(' ')}
        />
        <Show when={at()}>
          {(p) => (
            <circle
              cx={x(p().recall)}
              cy={y(p().precision)}
              r="5"
              fill="none"
              stroke="#2e933c"
              stroke-width="2"
            />
          )}
        </Show>
        <text x={w / 2} y={h - 6} font-size="11" text-anchor="middle">
          recall
        </text>
        <text x={10} y={h / 2} font-size="11" transform={`rotate(-90 10 ${h / 2})`} text-anchor="middle">
          precision
        </text>
        <text x={pad} y={h - pad + 14} font-size="10">
          0
        </text>
        <text x={w - pad} y={h - pad + 14} font-size="10" text-anchor="end">
          1
        </text>
      </svg>
      <figcaption>
        Precision-recall on the held-out questions; the circle is the router's threshold.
      </figcaption>
    </figure>
  );
}

function QuestionsPanel() {
  const [answer, { refetch }] = createResource(() =>
    request<QuestionsAnswer>('GET', '/api/training/questions'),
  );
  const [filter, setFilter] = createSignal('');
  const { error, status, setStatus, attempt } = createNotes();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let file: HTMLInputElement | undefined;
  onCleanup(() => clearTimeout(timer));
  const watch = () => {
    refetch();
    timer = setTimeout(() => {
      if (answer()?.generation?.status === 'running') watch();
    }, 800);
  };
  const shown = createMemo(() => {
    const f = filter().toLowerCase();
    const all = answer()?.questions ?? [];
    return (f ? all.filter((q) => `${q.text} ${q.doc} ${q.source}`.toLowerCase().includes(f)) : all).slice(
      0,
      200,
    );
  });
  const counts = () => {
    const all = answer()?.questions ?? [];
    return {
      proprietary: all.filter((q) => q.label === 'proprietary').length,
      public: all.filter((q) => q.label === 'public').length,
    };
  };
  const generate = () =>
    attempt(async () => {
      await request('POST', '/api/training/questions/generate');
      setStatus('Generating questions with the local brain…');
      watch();
    });
  const importFile = async (e: SubmitEvent) => {
    e.preventDefault();
    const chosen = file?.files?.[0];
    if (!chosen) return;
    await attempt(async () => {
      const body = await request<{ imported: number; dropped: number }>(
        'POST',
        '/api/training/questions/import',
        await chosen.text(),
      );
      setStatus(
        `Imported ${body.imported} question(s); ${body.dropped} repeated or over the cap were left out.`,
      );
      refetch();
    });
  };
  const act = (path: string, body: unknown, note: string) =>
    attempt(async () => {
      await request('POST', path, body);
      setStatus(note);
      refetch();
    });
  return (
    <section class="card" aria-label="Generated questions">
      <h2>Generated questions</h2>
      <p>
        Questions written by the local brain from each section of the proprietary documents: employee
        questions that need the section's facts (labelled proprietary) and public questions on the same
        subjects (labelled public). Review them before training: drop what is wrong, relabel what is on the
        wrong side.{' '}
        <strong data-testid="question-counts">
          {counts().proprietary} proprietary, {counts().public} public
        </strong>
        .
      </p>
      <div class="row">
        <button
          type="button"
          disabled={!answer()?.generationAvailable || answer()?.generation?.status === 'running'}
          onClick={generate}
          title={
            answer()?.generationAvailable
              ? ''
              : 'No ScalarLM is configured for the console (SCALARLM_BASE_URL)'
          }
        >
          Generate with the local brain
        </button>
        <form class="row" onSubmit={importFile}>
          <label>
            Questions file (JSONL)
            <input ref={file} name="questions-file" type="file" accept=".jsonl,.json,.txt" />
          </label>
          <button type="submit">Import</button>
        </form>
      </div>
      <Show when={answer()?.generation}>
        {(g) => (
          <>
            <Show when={g().status === 'running'}>
              <Progress label="Sections" done={g().progress.done} total={g().progress.total} />
            </Show>
            <Show when={g().status === 'failed'}>
              <p class="note error" role="alert">
                Generation failed: {g().error}
              </p>
            </Show>
            <Show when={g().result && g().result!.failures.length > 0}>
              <p class="note">
                {g().result!.failures.length} section(s) could not be generated; see the log.
              </p>
            </Show>
          </>
        )}
      </Show>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <label>
        Filter
        <input type="search" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      <DataTable
        caption="Generated questions (first 200 that match)"
        columns={['Question', 'Label', 'Document', 'Kind']}
        actions
        items={shown()}
        empty="No generated questions yet."
        row={(q) => (
          <tr>
            <td>{q.text}</td>
            <td>
              <span class={q.label === 'proprietary' ? 'pill local' : 'pill claude'}>{q.label}</span>
            </td>
            <td>{q.doc}</td>
            <td>{q.source}</td>
            <td>
              <button
                type="button"
                onClick={() =>
                  act(
                    '/api/training/questions/relabel',
                    { ids: [q.id], label: q.label === 'proprietary' ? 'public' : 'proprietary' },
                    'Relabelled.',
                  )
                }
              >
                Relabel {q.label === 'proprietary' ? 'public' : 'proprietary'}
              </button>{' '}
              <button
                type="button"
                class="danger"
                onClick={() => act('/api/training/questions/drop', { ids: [q.id] }, 'Dropped.')}
              >
                Drop
              </button>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

/** Texts with their scores, one per line (the held-out questions a head got most wrong). */
function ScoredTexts(props: { items: { score: number; text: string }[] }) {
  return (
    <ul>
      <For each={props.items}>
        {(e) => (
          <li>
            {score(e.score)} — {e.text}
          </li>
        )}
      </For>
    </ul>
  );
}

export function TrainingView() {
  const [job, setJob] = createSignal<Job>();
  const [available, setAvailable] = createSignal(true);
  const [routerThreshold, setRouterThreshold] = createSignal<RouterThreshold>({
    value: 0.4,
    from: 'default',
  });
  const stored = Number(localStorage.getItem(RECALL_KEY));
  const [recall, setRecall] = createSignal(stored >= 0.5 && stored <= 1 ? stored : 0.99);
  const [confirming, setConfirming] = createSignal<string>();
  const [replay, setReplay] = createSignal<Replay>();
  const [heads, { refetch }] = createResource(() => request<HeadsAnswer>('GET', '/api/heads'));
  const { error, setError, status, setStatus, attempt } = createNotes();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const poll = async (id: string) => {
    await attempt(async () => {
      const { job: j } = await request<{ job: Job }>('GET', `/api/training/jobs/${id}`);
      setJob(j);
      if (j.status === 'running') timer = setTimeout(() => poll(id), 400);
      else if (j.status === 'succeeded')
        setStatus('Training finished. Review the evaluation, replay recent traffic, then save the head.');
    });
  };
  onMount(async () => {
    const latest = await request<{ job: Job | null; available: boolean; routerThreshold: RouterThreshold }>(
      'GET',
      '/api/training/jobs/latest',
    ).catch(() => undefined);
    if (!latest) return;
    setAvailable(latest.available);
    if (latest.routerThreshold) setRouterThreshold(latest.routerThreshold);
    if (latest.job) {
      setJob(latest.job);
      if (latest.job.status === 'running') poll(latest.job.id);
    }
  });
  onCleanup(() => clearTimeout(timer));

  const start = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    setStatus(undefined);
    setReplay(undefined);
    await attempt(async () => {
      const { job: j } = await request<{ job: Job }>('POST', '/api/training/jobs', {
        targetRecall: recall(),
      });
      setJob(j);
      poll(j.id);
    });
  };
  const cancel = async () => {
    const j = job();
    if (j) await attempt(() => request('POST', `/api/training/jobs/${j.id}/cancel`));
  };
  const save = async () => {
    const j = job();
    if (!j) return;
    await attempt(async () => {
      const { version } = await request<{ version: string }>('POST', `/api/training/jobs/${j.id}/save`);
      setJob({ ...j, savedVersion: version });
      setStatus(`Saved head ${version}. Promote it to make the classifier use it.`);
      refetch();
    });
  };
  const runReplay = async () => {
    const j = job();
    if (!j) return;
    await attempt(async () => {
      const r = await request<{ replay: Replay }>('POST', `/api/training/jobs/${j.id}/replay`, {});
      setReplay(r.replay);
    });
  };
  const reloadNote = (r: ReloadAnswer) =>
    r.ok
      ? 'the classifier reloaded it'
      : `the classifier did not confirm the reload (${r.status || 'unreachable'}): each replica still picks it up within seconds`;
  const promote = async (version: string) => {
    setConfirming(undefined);
    await attempt(async () => {
      const r = await request<{ reload: ReloadAnswer }>(
        'POST',
        `/api/heads/${encodeURIComponent(version)}/promote`,
      );
      setStatus(`Promoted ${version}; ${reloadNote(r.reload)}.`);
      refetch();
    });
  };
  const rollback = async () => {
    setConfirming(undefined);
    await attempt(async () => {
      const r = await request<{ pointer: { current: string }; reload: ReloadAnswer }>(
        'POST',
        '/api/heads/rollback',
      );
      setStatus(`Rolled back to ${r.pointer.current}; ${reloadNote(r.reload)}.`);
      refetch();
    });
  };

  return (
    <Page
      title="Training"
      intro="Builds a classifier head from proprietary documents, public reference documents, generated questions and labels, against a shipped set of everyday prompts. Nothing is sent to Claude."
    >
      <Show when={!available()}>
        <p class="note error">Training is not available in this build of the console.</p>
      </Show>
      <QuestionsPanel />
      <form class="row" onSubmit={start}>
        <label>
          Target recall
          <input
            name="target-recall"
            type="number"
            min="0.5"
            max="1"
            step="0.01"
            value={recall()}
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              setRecall(v);
              if (v >= 0.5 && v <= 1) localStorage.setItem(RECALL_KEY, String(v));
            }}
          />
        </label>
        <button type="submit" class="primary" disabled={job()?.status === 'running' || !available()}>
          Train a new head
        </button>
        <Show when={job()?.status === 'running'}>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </Show>
      </form>
      <ErrorNote error={error()} />
      <Show when={job()}>
        {(j) => (
          <section class="card" aria-label="Training run">
            <Show when={j().status === 'running'}>
              <Progress label={j().progress.phase} done={j().progress.done} total={j().progress.total} />
            </Show>
            <Show when={j().status === 'failed' || j().status === 'cancelled'}>
              <p class="note error" role="alert">
                Training {j().status}: {j().error}
              </p>
            </Show>
            <Show when={j().result}>
              {(r) => (
                <>
                  <h2>
                    Head <span data-testid="trained-version">{r().version}</span>
                  </h2>
                  <Show
                    when={r().evaluation?.heldOut}
                    fallback={
                      <p>
                        No held-out questions (generate or import questions, or add labels of both kinds): the
                        numbers below come from cross-validation by document.
                      </p>
                    }
                  >
                    {(h) => (
                      <p data-testid="headline">
                        On {count(h().positives)} proprietary and {count(h().negatives)} public questions it
                        never trained on, at the suggested threshold: recall{' '}
                        <strong>{percent(h().recall)}</strong>, false positives{' '}
                        <strong>{percent(h().falsePositiveRate)}</strong> (precision {percent(h().precision)},
                        ROC-AUC {h().rocAuc.toFixed(3)}).
                      </p>
                    )}
                  </Show>
                  <p>
                    Suggested threshold for recall {percent(j().targetRecall)}:{' '}
                    <strong data-testid="suggested-threshold">{score(r().suggestedThreshold)}</strong>. The
                    router uses{' '}
                    <strong data-testid="router-threshold">{routerThreshold().value.toFixed(3)}</strong> (
                    {routerThreshold().from === 'settings' ? 'set in Settings' : "the router's default"}).
                  </p>
                  <table class="metrics">
                    <caption>What it learned from</caption>
                    <tbody>
                      <For each={SOURCE_NAMES.filter(([k]) => r().evaluation?.sources[k] !== undefined)}>
                        {([k, name]) => (
                          <tr>
                            <th scope="row">{name}</th>
                            <td>{count(r().evaluation?.sources[k])}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                  <table class="metrics">
                    <caption>Cross-validation by document</caption>
                    <tbody>
                      <tr>
                        <th scope="row">ROC-AUC</th>
                        <td>{score(r().metrics.cvRocAuc as number)}</td>
                      </tr>
                      <tr>
                        <th scope="row">Recall</th>
                        <td>{percent(r().metrics.cvRecall)}</td>
                      </tr>
                      <tr>
                        <th scope="row">False positives</th>
                        <td>{percent(r().metrics.cvFalsePositiveRate)}</td>
                      </tr>
                      <tr>
                        <th scope="row">Folds</th>
                        <td>{count(r().metrics.folds)}</td>
                      </tr>
                    </tbody>
                  </table>
                  <Show when={r().evaluation}>
                    {(ev) => (
                      <div class="row">
                        <ScoreHistogram
                          evaluation={ev()}
                          suggested={r().suggestedThreshold}
                          router={routerThreshold().value}
                        />
                        <PrecisionRecall evaluation={ev()} router={routerThreshold().value} />
                      </div>
                    )}
                  </Show>
                  <Show when={r().evaluation?.heldOut}>
                    {(h) => (
                      <details>
                        <summary>Held-out questions it got most wrong</summary>
                        <h3>Proprietary, lowest scores</h3>
                        <ScoredTexts items={h().worstMisses} />
                        <h3>Public, highest scores</h3>
                        <ScoredTexts items={h().worstFalsePositives} />
                      </details>
                    )}
                  </Show>
                  <div class="row">
                    <button type="button" onClick={runReplay}>
                      Replay recent traffic
                    </button>
                    <Show when={!j().savedVersion} fallback={<p>Saved as {j().savedVersion}.</p>}>
                      <button type="button" class="primary" onClick={save}>
                        Save head
                      </button>
                    </Show>
                  </div>
                  <Show when={replay()}>
                    {(rp) => (
                      <section class="card" aria-label="Replay" data-testid="replay">
                        <p>
                          Of the last {count(rp().records)} requests ({count(rp().scored)} decided by the
                          score), at threshold {rp().threshold.toFixed(3)} this head would send{' '}
                          <strong>{count(rp().toLocal.count)}</strong> local instead of to Claude and{' '}
                          <strong>{count(rp().toClaude.count)}</strong> to Claude instead of local;{' '}
                          {count(rp().unchanged)} keep their route.
                        </p>
                        <For
                          each={
                            [
                              ['Now local', rp().toLocal.examples],
                              ['Now Claude', rp().toClaude.examples],
                            ] as const
                          }
                        >
                          {([title, list]) => (
                            <Show when={list.length > 0}>
                              <h3>{title}</h3>
                              <ul>
                                <For each={list}>
                                  {(e) => (
                                    <li>
                                      {score(e.oldScore)} → {score(e.newScore)}: {e.text}
                                    </li>
                                  )}
                                </For>
                              </ul>
                            </Show>
                          )}
                        </For>
                      </section>
                    )}
                  </Show>
                </>
              )}
            </Show>
          </section>
        )}
      </Show>
      <StatusNote text={status()} />
      <h2>Saved heads</h2>
      <p>
        Current: <strong data-testid="current-head">{heads()?.pointer?.current ?? 'none'}</strong>
        <Show when={heads()?.pointer}>
          {(p) => (
            <span class="muted">
              {' '}
              (since {when(p().updatedAt)} by {p().updatedBy})
            </span>
          )}
        </Show>
      </p>
      <Show when={(heads()?.pointer?.history.length ?? 0) > 0}>
        <Show
          when={confirming() === 'rollback'}
          fallback={
            <button type="button" onClick={() => setConfirming('rollback')}>
              Roll back to {heads()?.pointer?.history.at(-1)}
            </button>
          }
        >
          <p class="note" role="alertdialog" aria-label="Confirm rollback">
            Every classifier replica will switch back to {heads()?.pointer?.history.at(-1)} within seconds.{' '}
            <button type="button" class="danger" onClick={rollback}>
              Yes, roll back
            </button>{' '}
            <button type="button" onClick={() => setConfirming(undefined)}>
              Keep the current head
            </button>
          </p>
        </Show>
      </Show>
      <DataTable
        caption="Saved heads"
        columns={[
          'Version',
          'Created',
          'Held-out recall',
          'Held-out false positives',
          'ROC-AUC',
          'Suggested threshold',
        ]}
        actions
        items={heads()?.heads}
        empty="No saved heads."
        row={(h) => (
          <tr>
            <td>{h.version}</td>
            <td>{when(h.createdAt)}</td>
            <td>{percent(h.metrics.heldOutRecall ?? h.metrics.cvRecall)}</td>
            <td>{percent(h.metrics.heldOutFalsePositiveRate ?? h.metrics.cvFalsePositiveRate)}</td>
            <td>{score((h.metrics.heldOutRocAuc ?? h.metrics.cvRocAuc) as number)}</td>
            <td>{score(h.suggestedThreshold)}</td>
            <td>
              <Show
                when={heads()?.pointer?.current !== h.version}
                fallback={<span class="pill local">current</span>}
              >
                <Show
                  when={confirming() === h.version}
                  fallback={
                    <button type="button" onClick={() => setConfirming(h.version)}>
                      Promote<span class="sr-only"> {h.version}</span>
                    </button>
                  }
                >
                  <span role="alertdialog" aria-label={`Confirm promoting ${h.version}`}>
                    Every classifier replica switches to it within seconds.{' '}
                    <button type="button" class="primary" onClick={() => promote(h.version)}>
                      Yes, promote<span class="sr-only"> {h.version}</span>
                    </button>{' '}
                    <button type="button" onClick={() => setConfirming(undefined)}>
                      Not now
                    </button>
                  </span>
                </Show>
              </Show>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
