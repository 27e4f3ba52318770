import { createSignal, type JSX, onMount, Show } from 'solid-js';
import { ApiError, errorText, request } from '../api.ts';
import { ErrorNote, LoadError, StatusNote } from '../widgets.tsx';
import { createNotes } from './notes.ts';

/**
 * An admin form over one live router document (limits, settings): loads it on mount, PUTs it back on
 * submit, and says how that went. The fields stay disabled until the load is in, so nothing typed is
 * overwritten by it; a failed load says why and offers a retry instead of an empty form. Problems the
 * server ties to a field go to `onFieldErrors`, for the view to show beside each field.
 */
export function LiveConfigForm<Key extends string, Value>(props: {
  /** The API path, read with GET and written with PUT. */
  path: string;
  /** The field of the GET answer that holds the document. */
  field: Key;
  /** What the document is called in messages ("limits", "settings"). */
  what: string;
  /** Puts the loaded document into the view's fields. */
  fill: (value: Value) => void;
  /** The PUT body, from the view's fields; a string is a problem found before sending. */
  body: () => unknown;
  onFieldErrors?: (fields: Record<string, string>) => void;
  savedText: string;
  submitLabel: string;
  children: JSX.Element;
}) {
  const { error, setError, status, setStatus, attempt } = createNotes();
  const [loaded, setLoaded] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);

  const load = async () => {
    setLoadError(undefined);
    try {
      const answer = await request<Record<Key, Value>>('GET', props.path);
      props.fill(answer[props.field]);
      setLoaded(true);
    } catch (err) {
      setLoadError(errorText(err));
    }
  };
  onMount(load);
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    props.onFieldErrors?.({});
    setSaving(true);
    await attempt(async () => {
      try {
        await request('PUT', props.path, props.body());
        setStatus(props.savedText);
      } catch (err) {
        if (err instanceof ApiError && err.fields && props.onFieldErrors) {
          props.onFieldErrors(err.fields);
          setError(
            `Nothing was saved: ${Object.keys(err.fields).length} field(s) need a change; each is marked at its field.`,
          );
          return;
        }
        throw err;
      }
    });
    setSaving(false);
  };

  return (
    <>
      <LoadError what={props.what} error={loadError()} onRetry={load} />
      <Show when={!loaded() && !loadError()}>
        <p class="note muted" role="status">
          Loading the current {props.what}…
        </p>
      </Show>
      <form class="stack" onSubmit={save} noValidate>
        <fieldset class="plain" disabled={!loaded() || saving()}>
          {props.children}
          <div class="row">
            <button type="submit" class="primary">
              {saving() ? 'Saving…' : props.submitLabel}
            </button>
          </div>
        </fieldset>
      </form>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
    </>
  );
}
