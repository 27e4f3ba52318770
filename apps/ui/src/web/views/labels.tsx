import { createResource, createSignal } from 'solid-js';
import { request } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { DataTable } from '../components/data-table.tsx';
import { listState } from '../components/list-state.ts';
import { ErrorNote, Page, StatusNote, when } from '../widgets.tsx';

interface Label {
  id: string;
  text: string;
  label: 'proprietary' | 'public';
  requestId: string | null;
  createdAt: string;
  createdBy: string;
}

export function LabelsView() {
  const [labels, { refetch }] = createResource(() =>
    request<{ labels: Label[] }>('GET', '/api/labels').then((r) => r.labels),
  );
  const list = listState(labels, () => refetch());
  const [text, setText] = createSignal('');
  const [value, setValue] = createSignal<'proprietary' | 'public'>('proprietary');
  const { error, setError, status, setStatus, attempt } = createNotes();

  const add = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    await attempt(async () => {
      await request('POST', '/api/labels', { text: text(), label: value() });
      setText('');
      setStatus('Label added.');
      refetch();
    });
  };
  const remove = async (l: Label) => {
    const excerpt = l.text.length > 80 ? `${l.text.slice(0, 80)}…` : l.text;
    if (!confirm(`Remove the ${l.label} label on "${excerpt}"? Training stops using it.`)) return;
    await attempt(async () => {
      await request('DELETE', `/api/labels/${encodeURIComponent(l.id)}`);
      setStatus('Label removed.');
      refetch();
    });
  };
  const importFile = async (e: Event & { currentTarget: HTMLInputElement }) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    setError(undefined);
    await attempt(async () => {
      const r = await request<{ imported: number; total: number }>(
        'POST',
        '/api/labels/import',
        await file.text(),
      );
      setStatus(`Imported ${r.imported} label(s); ${r.total} in all.`);
      refetch();
    });
  };

  return (
    <Page
      title="Labels"
      intro="Curated training examples: proprietary text the classifier must catch, and public text it must let through."
    >
      <form class="stack" onSubmit={add}>
        <label>
          Text
          <textarea
            name="label-text"
            rows="3"
            required
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <div class="row">
          <label>
            Label
            <select
              name="label-value"
              value={value()}
              onChange={(e) => setValue(e.currentTarget.value as 'proprietary' | 'public')}
            >
              <option value="proprietary">proprietary</option>
              <option value="public">public</option>
            </select>
          </label>
          <button type="submit" class="primary">
            Add label
          </button>
          <a class="button" href="/api/labels/export" download="labels.jsonl">
            Export JSONL
          </a>
          <label class="button file">
            Import JSONL
            <input
              type="file"
              accept=".jsonl,.ndjson,application/x-ndjson,application/json"
              onChange={importFile}
            />
          </label>
        </div>
      </form>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <DataTable
        caption="Labels"
        columns={['Label', 'Text', 'Request', 'By', 'When']}
        actions
        items={list.items()}
        loading={list.loading()}
        error={list.error()}
        onRetry={list.retry}
        empty="No labels yet. Label requests in Requests, add one above, or import a JSONL file."
        row={(l) => (
          <tr>
            <td>
              <span class={`pill ${l.label === 'proprietary' ? 'local' : 'claude'}`}>{l.label}</span>
            </td>
            <td class="excerpt">{l.text}</td>
            <td>{l.requestId ?? '—'}</td>
            <td>{l.createdBy}</td>
            <td>{when(l.createdAt)}</td>
            <td>
              <button type="button" class="danger" onClick={() => remove(l)}>
                Remove<span class="sr-only"> label on {l.requestId ?? 'typed text'}</span>
              </button>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
