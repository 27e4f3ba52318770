import { createSignal, For, Show } from 'solid-js';
import { request } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { ErrorNote, Page, score } from '../widgets.tsx';

interface ProbeResult {
  score: number | null;
  keywords: string[];
  headVersion: string | null;
  modelId: string;
  threshold: number;
  thresholdSource: string;
  route: 'claude' | 'local';
  reason: string;
}

export function ProbeView() {
  const [text, setText] = createSignal('');
  const [result, setResult] = createSignal<ProbeResult>();
  const [busy, setBusy] = createSignal(false);
  const { error, setError, attempt } = createNotes();

  const probe = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    await attempt(async () => setResult(await request<ProbeResult>('POST', '/api/probe', { text: text() })));
    setBusy(false);
  };

  return (
    <Page
      title="Probe"
      intro="Type text and see what the classifier scores it, which keywords match, and where the router would send it."
    >
      <form class="stack" onSubmit={probe}>
        <label>
          Text
          <textarea
            name="probe-text"
            rows="6"
            required
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={busy()}>
            {busy() ? 'Classifying…' : 'Probe'}
          </button>
        </div>
      </form>
      <ErrorNote error={error()} />
      <Show when={result()}>
        {(r) => (
          <section class="result" aria-live="polite" aria-label="Probe result">
            <p class="verdict">
              Route:{' '}
              <span class={`pill ${r().route}`} data-testid="probe-route">
                {r().route}
              </span>{' '}
              <span class="muted">({r().reason})</span>
            </p>
            <dl>
              <dt>Score</dt>
              <dd data-testid="probe-score">{score(r().score)}</dd>
              <dt>Threshold</dt>
              <dd>
                {r().threshold} <span class="muted">from {r().thresholdSource}</span>
              </dd>
              <dt>Keywords</dt>
              <dd>
                <For each={r().keywords} fallback="none">
                  {(k) => <span class="pill">{k}</span>}
                </For>
              </dd>
              <dt>Head</dt>
              <dd data-testid="probe-head">{r().headVersion ?? 'none'}</dd>
              <dt>Model</dt>
              <dd>{r().modelId}</dd>
            </dl>
          </section>
        )}
      </Show>
    </Page>
  );
}
