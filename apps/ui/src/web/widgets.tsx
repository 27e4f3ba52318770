import { type JSX, Show } from 'solid-js';

/** Small shared pieces of the console's pages. */
export function ErrorNote(props: { error: string | undefined }) {
  return (
    <Show when={props.error}>
      <p class="note error" role="alert">
        {props.error}
      </p>
    </Show>
  );
}

export function StatusNote(props: { text: string | undefined }) {
  return (
    <p class="note status" role="status" aria-live="polite">
      {props.text ?? ''}
    </p>
  );
}

/** A progress bar with a text label; indeterminate when the total is unknown. */
export function Progress(props: { label: string; done: number; total: number }) {
  const pct = () => (props.total > 0 ? Math.round((props.done / props.total) * 100) : undefined);
  return (
    <div class="progress-wrap">
      {/* Indeterminate until the total is known; progress.value cannot be set to undefined. */}
      <Show when={props.total > 0} fallback={<progress aria-label={props.label} />}>
        <progress aria-label={props.label} max={props.total} value={props.done} />
      </Show>
      <span class="progress-text">
        {props.label}
        {pct() !== undefined ? ` — ${props.done} / ${props.total} (${pct()}%)` : ''}
      </span>
    </div>
  );
}

export function Page(props: { title: string; intro?: string; children: JSX.Element }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <h1 id="page-title" tabindex="-1">
        {props.title}
      </h1>
      <Show when={props.intro}>
        <p class="intro">{props.intro}</p>
      </Show>
      {props.children}
    </section>
  );
}

export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const score = (s: number | null | undefined) => (s === null || s === undefined ? '—' : s.toFixed(3));

export const bytes = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KiB`
      : `${n} B`;

/** A view-level load that failed: the reason and a way to try again. */
export function LoadError(props: { what: string; error: string | undefined; onRetry: () => void }) {
  return (
    <Show when={props.error}>
      <p class="note error" role="alert">
        Could not load {props.what}: {props.error}{' '}
        <button type="button" onClick={() => props.onRetry()}>
          Try again
        </button>
      </p>
    </Show>
  );
}

/** Milliseconds as a person reads them: 840 ms, 2.4 s. */
export const duration = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
