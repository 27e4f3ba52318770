import { createSignal, type JSX, onMount } from 'solid-js';
import { request } from '../api.ts';
import { createNotes } from './notes.ts';
import { ErrorNote, StatusNote } from '../widgets.tsx';

/**
 * An admin form over one live router document (limits, settings): loads it on mount, PUTs it back on
 * submit, and says how that went. The fields stay disabled until the load is in, so nothing typed is
 * overwritten by it.
 */
export function LiveConfigForm<Key extends string, Value>(props: {
  /** The API path, read with GET and written with PUT. */
  path: string;
  /** The field of the GET answer that holds the document. */
  field: Key;
  /** Puts the loaded document into the view's fields. */
  fill: (value: Value) => void;
  /** The PUT body, from the view's fields. */
  body: () => unknown;
  savedText: string;
  submitLabel: string;
  children: JSX.Element;
}) {
  const { error, setError, status, setStatus, attempt } = createNotes();
  const [loaded, setLoaded] = createSignal(false);

  onMount(async () => {
    await attempt(async () => {
      const answer = await request<Record<Key, Value>>('GET', props.path);
      props.fill(answer[props.field]);
      setLoaded(true);
    });
  });
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    await attempt(async () => {
      await request('PUT', props.path, props.body());
      setStatus(props.savedText);
    });
  };

  return (
    <>
      <form class="stack" onSubmit={save}>
        <fieldset class="plain" disabled={!loaded()}>
          {props.children}
          <div class="row">
            <button type="submit" class="primary">
              {props.submitLabel}
            </button>
          </div>
        </fieldset>
      </form>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
    </>
  );
}
