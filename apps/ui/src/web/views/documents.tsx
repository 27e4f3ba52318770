import { createResource, createSignal, Show } from 'solid-js';
import { type Me, request, upload } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { DataTable } from '../components/data-table.tsx';
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

export function DocumentsView(props: { me: Me }) {
  const [documents, { refetch }] = createResource(() =>
    request<{ documents: DocumentMeta[] }>('GET', '/api/documents').then((r) => r.documents),
  );
  const [progress, setProgress] = createSignal<number>();
  const [asPublic, setAsPublic] = createSignal(false);
  const { error, setError, status, setStatus, attempt } = createNotes();
  let input: HTMLInputElement | undefined;

  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    const files = [...(input?.files ?? [])];
    if (files.length === 0) return setError('Choose a file first.');
    setError(undefined);
    for (const file of files) {
      if (file.size > props.me.maxUploadBytes) {
        setError(`${file.name} is larger than the ${bytes(props.me.maxUploadBytes)} limit.`);
        continue;
      }
      const form = new FormData();
      form.set('file', file);
      if (asPublic()) form.set('public', 'true');
      setProgress(0);
      await attempt(async () => {
        const r = await upload<{ document: DocumentMeta }>('/api/documents', form, setProgress);
        setStatus(
          `Uploaded ${r.document.name}${r.document.public ? ' as a public reference document' : ''}: ${r.document.textChars.toLocaleString()} characters of text.`,
        );
      });
    }
    setProgress(undefined);
    if (input) input.value = '';
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
    if (!confirm(`Delete ${d.name}?`)) return;
    await attempt(async () => {
      await request('DELETE', `/api/documents/${d.id}`);
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
            onChange={(e) => setAsPublic(e.currentTarget.checked)}
          />{' '}
          Public reference document
        </label>
        <button type="submit" class="primary" disabled={progress() !== undefined}>
          Upload
        </button>
      </form>
      <Show when={progress() !== undefined}>
        <Progress label="Uploading" done={Math.round((progress() ?? 0) * 100)} total={100} />
      </Show>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <DataTable
        caption="Documents"
        columns={['Name', 'Kind', 'Type', 'Size', 'Text', 'Uploaded']}
        actions
        items={documents()}
        empty="No documents yet."
        row={(d) => (
          <tr>
            <td>
              <a href={`/api/documents/${d.id}/text`} target="_blank" rel="noreferrer">
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
