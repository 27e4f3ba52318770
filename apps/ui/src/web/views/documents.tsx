import { createResource, createSignal, For, Show } from 'solid-js';
import { errorText, type Me, request, upload } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { DataTable } from '../components/data-table.tsx';
import { listState } from '../components/list-state.ts';
import { bytes, ErrorNote, Page, Progress, StatusNote, when } from '../widgets.tsx';

interface DocumentMeta {
  id: string;
  name: string;
  mediaType: string;
  bytes: number;
  textChars: number;
  uploadedAt: string;
  uploadedBy: string;
  public?: boolean;
}

interface UploadOutcome {
  name: string;
  ok: boolean;
  text: string;
}

export function DocumentsView(props: { me: Me }) {
  const [documents, { refetch }] = createResource(() =>
    request<{ documents: DocumentMeta[] }>('GET', '/api/documents').then((r) => r.documents),
  );
  const list = listState(documents, () => refetch());
  const [progress, setProgress] = createSignal<{
    file: string;
    index: number;
    count: number;
    done: number;
  }>();
  const [outcomes, setOutcomes] = createSignal<UploadOutcome[]>([]);
  const [asPublic, setAsPublic] = createSignal(false);
  const { error, setError, status, setStatus, attempt } = createNotes();
  let input: HTMLInputElement | undefined;

  /** Uploads the chosen files one by one and reports each: a bad file does not hide the good ones. */
  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    const files = [...(input?.files ?? [])];
    setOutcomes([]);
    if (files.length === 0) return setError('Choose a file first.');
    setError(undefined);
    setStatus(undefined);
    const results: UploadOutcome[] = [];
    // The kind chosen when Upload was pressed holds for every file of the batch (the box is locked meanwhile):
    // a proprietary document stored as public would be taught to the head as a negative.
    const markedPublic = asPublic();
    for (const [index, file] of files.entries()) {
      if (file.size > props.me.maxUploadBytes) {
        results.push({
          name: file.name,
          ok: false,
          text: `larger than the ${bytes(props.me.maxUploadBytes)} limit; not sent`,
        });
        continue;
      }
      const form = new FormData();
      form.set('file', file);
      if (markedPublic) form.set('public', 'true');
      setProgress({ file: file.name, index, count: files.length, done: 0 });
      try {
        const r = await upload<{ document: DocumentMeta }>('/api/documents', form, (done) =>
          setProgress({ file: file.name, index, count: files.length, done }),
        );
        results.push({
          name: file.name,
          ok: true,
          text: `${r.document.textChars.toLocaleString()} characters of text${r.document.public ? ', as a public reference document' : ''}`,
        });
      } catch (err) {
        results.push({ name: file.name, ok: false, text: errorText(err) });
      }
      setOutcomes([...results]);
    }
    setOutcomes(results);
    setProgress(undefined);
    if (input) input.value = '';
    const failed = results.filter((r) => !r.ok).length;
    if (failed > 0) setError(`${failed} of ${results.length} file(s) were not uploaded; see below.`);
    else setStatus(`Uploaded ${results.length} file(s).`);
    refetch();
  };
  const markPublic = async (d: DocumentMeta, value: boolean) => {
    await attempt(async () => {
      await request('PUT', `/api/documents/${d.id}/public`, { public: value });
      setStatus(`${d.name} is now ${value ? 'a public reference document' : 'proprietary'}.`);
      refetch();
    });
  };
  const remove = async (d: DocumentMeta) => {
    if (!confirm(`Delete ${d.name}? The next training run will not learn from it.`)) return;
    await attempt(async () => {
      await request('DELETE', `/api/documents/${d.id}`);
      setStatus(`Deleted ${d.name}.`);
      refetch();
    });
  };

  return (
    <Page
      title="Documents"
      intro={`Documents the classifier learns from, text, Markdown, HTML or PDF, up to ${bytes(props.me.maxUploadBytes)} each. Proprietary documents teach it what is ours; public reference documents (industry primers, public pages, standards, policy templates) teach it what the same field looks like when it is not.`}
    >
      <form class="row" onSubmit={send}>
        <label>
          File
          <input
            ref={input}
            name="file"
            type="file"
            multiple
            accept=".txt,.text,.md,.markdown,.html,.htm,.pdf"
          />
        </label>
        <label>
          <input
            name="public"
            type="checkbox"
            checked={asPublic()}
            disabled={progress() !== undefined}
            onChange={(e) => setAsPublic(e.currentTarget.checked)}
          />{' '}
          Public reference document
        </label>
        <button type="submit" class="primary" disabled={progress() !== undefined}>
          Upload
        </button>
      </form>
      <Show when={progress()}>
        {(p) => (
          <Progress
            label={`Uploading ${p().file} (file ${p().index + 1} of ${p().count})`}
            done={Math.round(p().done * 100)}
            total={100}
          />
        )}
      </Show>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <Show when={outcomes().length > 0}>
        <ul class="outcomes" aria-label="Upload results">
          <For each={outcomes()}>
            {(o) => (
              <li classList={{ failed: !o.ok }}>
                <span class="sr-only">{o.ok ? 'uploaded' : 'failed'}: </span>
                <span aria-hidden="true">{o.ok ? '✓' : '✗'}</span> <strong>{o.name}</strong>: {o.text}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <DataTable
        caption="Documents"
        columns={['Name', 'Kind', 'Type', 'Size', 'Text', 'Uploaded']}
        actions
        items={list.items()}
        loading={list.loading()}
        error={list.error()}
        onRetry={list.retry}
        empty="No documents yet. Upload the texts the classifier should learn are yours."
        row={(d) => (
          <tr>
            <td>
              <a
                href={`/api/documents/${d.id}/text`}
                target="_blank"
                rel="noreferrer"
                title="The extracted text; saving it keeps the document's name"
              >
                {d.name}
              </a>
            </td>
            <td>
              <span class={d.public ? 'pill claude' : 'pill local'}>
                {d.public ? 'public' : 'proprietary'}
              </span>
            </td>
            <td>{d.mediaType}</td>
            <td>{bytes(d.bytes)}</td>
            <td>{d.textChars.toLocaleString()} chars</td>
            <td>
              {when(d.uploadedAt)} by {d.uploadedBy}
            </td>
            <td>
              <button type="button" onClick={() => markPublic(d, !d.public)}>
                {d.public ? 'Mark proprietary' : 'Mark public'}
                <span class="sr-only"> {d.name}</span>
              </button>{' '}
              <button type="button" class="danger" onClick={() => remove(d)}>
                Delete<span class="sr-only"> {d.name}</span>
              </button>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
