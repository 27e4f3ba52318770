import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { request } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { DataTable } from '../components/data-table.tsx';
import { ErrorNote, Page, Progress, score, StatusNote, when } from '../widgets.tsx';

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
  } | null;
  savedVersion: string | null;
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

const metric = (v: number | string | null | undefined) => (typeof v === 'number' ? v.toFixed(3) : (v ?? '—'));

export function TrainingView() {
  const [job, setJob] = createSignal<Job>();
  const [available, setAvailable] = createSignal(true);
  const [recall, setRecall] = createSignal(0.95);
  const [heads, { refetch }] = createResource(() => request<HeadsAnswer>('GET', '/api/heads'));
  const { error, setError, status, setStatus, attempt } = createNotes();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const poll = async (id: string) => {
    await attempt(async () => {
      const { job: j } = await request<{ job: Job }>('GET', `/api/training/jobs/${id}`);
      setJob(j);
      if (j.status === 'running') timer = setTimeout(() => poll(id), 400);
      else if (j.status === 'succeeded')
        setStatus('Training finished. Review the metrics, then save the head.');
    });
  };
  onMount(async () => {
    const latest = await request<{ job: Job | null; available: boolean }>(
      'GET',
      '/api/training/jobs/latest',
    ).catch(() => undefined);
    if (!latest) return;
    setAvailable(latest.available);
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
  const reloadNote = (r: ReloadAnswer) =>
    r.ok
      ? 'the classifier reloaded it'
      : `the classifier did not confirm the reload (${r.status || 'unreachable'}): each replica still picks it up within seconds`;
  const promote = async (version: string) => {
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
      intro="Builds a classifier head from the uploaded documents and labels (proprietary) against labels and a general-text set (public). Nothing is sent to Claude."
    >
      <Show when={!available()}>
        <p class="note error">Training is not available in this build of the console.</p>
      </Show>
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
            onInput={(e) => setRecall(Number(e.currentTarget.value))}
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
                  <p>
                    {r().counts.positives} proprietary and {r().counts.negatives} public examples. Suggested
                    threshold for recall {j().targetRecall}: <strong>{score(r().suggestedThreshold)}</strong>
                  </p>
                  <table class="metrics">
                    <caption>Cross-validated metrics</caption>
                    <tbody>
                      <For each={Object.entries(r().metrics)}>
                        {([k, v]) => (
                          <tr>
                            <th scope="row">{k}</th>
                            <td>{metric(v)}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                  <Show when={!j().savedVersion} fallback={<p>Saved as {j().savedVersion}.</p>}>
                    <button type="button" class="primary" onClick={save}>
                      Save head
                    </button>
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
        <button type="button" onClick={rollback}>
          Roll back to {heads()?.pointer?.history.at(-1)}
        </button>
      </Show>
      <DataTable
        caption="Saved heads"
        columns={['Version', 'Created', 'AUC', 'Precision', 'Recall']}
        actions
        items={heads()?.heads}
        empty="No saved heads."
        row={(h) => (
          <tr>
            <td>{h.version}</td>
            <td>{when(h.createdAt)}</td>
            <td>{metric(h.metrics.cvRocAuc)}</td>
            <td>{metric(h.metrics.cvPrecision)}</td>
            <td>{metric(h.metrics.cvRecall)}</td>
            <td>
              <Show
                when={heads()?.pointer?.current !== h.version}
                fallback={<span class="pill local">current</span>}
              >
                <button type="button" onClick={() => promote(h.version)}>
                  Promote<span class="sr-only"> {h.version}</span>
                </button>
              </Show>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
