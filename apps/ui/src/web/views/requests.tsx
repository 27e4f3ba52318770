import { createSignal, onMount, Show } from 'solid-js';
import { type Me, request } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { AuditVerificationPanel } from '../components/audit-verification.tsx';
import { DataTable } from '../components/data-table.tsx';
import { ErrorNote, Page, score, StatusNote, when } from '../widgets.tsx';

interface AuditRow {
  id: string;
  time: string;
  user: string;
  dialect: string;
  route: 'claude' | 'local' | null;
  backendModel: string | null;
  score: number | null;
  threshold: number;
  keywords: string[];
  reason: string;
  status: number;
  latencyMs: number;
  text: string;
  headVersion: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
}

const FILTERS = ['user', 'route', 'minScore', 'maxScore', 'from', 'to', 'q'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export function RequestsView(props: { me: Me }) {
  const [filters, setFilters] = createSignal<Filters>({
    user: '',
    route: '',
    minScore: '',
    maxScore: '',
    from: '',
    to: '',
    q: '',
  });
  const [rows, setRows] = createSignal<AuditRow[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [open, setOpen] = createSignal<{ record: AuditRow; label: { label: string } | null }>();
  const { error, setError, status, setStatus, attempt } = createNotes();

  const query = (more: boolean) => {
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filters())) {
      if (!v) continue;
      // datetime-local has no zone: read it as the browser's local time.
      q.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
    }
    if (more && cursor()) q.set('cursor', cursor()!);
    return q;
  };
  const load = async (more = false) => {
    setLoading(true);
    setError(undefined);
    await attempt(async () => {
      const page = await request<{ records: AuditRow[]; nextCursor: string | null }>(
        'GET',
        `/api/requests?${query(more)}`,
      );
      setRows(more ? [...rows(), ...page.records] : page.records);
      setCursor(page.nextCursor);
      setStatus(
        `${more ? rows().length : page.records.length} request(s) shown${page.nextCursor ? '; more available' : ''}.`,
      );
    });
    setLoading(false);
  };
  onMount(() => load());

  const show = async (id: string, time: string) => {
    await attempt(async () => {
      setOpen(
        await request<{ record: AuditRow; label: { label: string } | null }>(
          'GET',
          `/api/requests/${encodeURIComponent(id)}?time=${encodeURIComponent(time)}`,
        ),
      );
      queueMicrotask(() => document.getElementById('request-detail')?.focus());
    });
  };
  const label = async (value: 'proprietary' | 'public') => {
    const record = open()?.record;
    if (!record) return;
    await attempt(async () => {
      await request('POST', '/api/labels', { requestId: record.id, requestTime: record.time, label: value });
      setOpen({ record, label: { label: value } });
      setStatus(`Labelled ${record.id} as ${value}.`);
    });
  };
  const field = (k: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setFilters({ ...filters(), [k]: e.currentTarget.value });
  const scoreFilter = (k: 'minScore' | 'maxScore', label: string) => (
    <label>
      {label}
      <input name={k} type="number" min="0" max="1" step="0.01" value={filters()[k]} onInput={field(k)} />
    </label>
  );

  return (
    <Page
      title="Requests"
      intro="The audit log, newest first. Open a request to see its text and label it for training."
    >
      <Show when={props.me.admin}>
        <AuditVerificationPanel />
      </Show>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <Show when={props.me.admin}>
          <label>
            User
            <input name="user" type="email" value={filters().user} onInput={field('user')} />
          </label>
        </Show>
        <label>
          Route
          <select name="route" value={filters().route} onChange={field('route')}>
            <option value="">any</option>
            <option value="claude">claude</option>
            <option value="local">local</option>
            <option value="none">refused</option>
          </select>
        </label>
        {scoreFilter('minScore', 'Min score')}
        {scoreFilter('maxScore', 'Max score')}
        <label>
          From
          <input name="from" type="datetime-local" value={filters().from} onInput={field('from')} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" value={filters().to} onInput={field('to')} />
        </label>
        <label class="grow">
          Text
          <input
            name="q"
            type="search"
            placeholder="words in the conversation, or a request id"
            value={filters().q}
            onInput={field('q')}
          />
        </label>
        <button type="submit" class="primary" disabled={loading()}>
          {loading() ? 'Searching…' : 'Search'}
        </button>
      </form>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <div class="split">
        <DataTable
          caption="Requests"
          columns={['Time', 'User', 'Route', 'Score', 'Status', 'Text']}
          items={rows()}
          busy={loading()}
          empty={loading() ? 'Loading…' : 'No requests match.'}
          row={(r) => (
            <tr classList={{ selected: open()?.record.id === r.id }}>
              <td>
                <button
                  type="button"
                  class="link"
                  onClick={() => show(r.id, r.time)}
                  aria-label={`Open request ${r.id}`}
                >
                  {when(r.time)}
                </button>
              </td>
              <td>{r.user}</td>
              <td>
                <span class={`pill ${r.route ?? 'none'}`}>{r.route ?? 'refused'}</span>
              </td>
              <td>{score(r.score)}</td>
              <td>{r.status}</td>
              <td class="excerpt">{r.text}</td>
            </tr>
          )}
          below={
            <Show when={cursor()}>
              <button type="button" onClick={() => load(true)} disabled={loading()}>
                {loading() ? 'Loading…' : 'Load older'}
              </button>
            </Show>
          }
        />
        <Show when={open()}>
          {(o) => (
            <aside id="request-detail" class="detail" tabindex="-1" aria-label="Request detail">
              <h2>Request {o().record.id}</h2>
              <dl>
                <dt>Time</dt>
                <dd>{when(o().record.time)}</dd>
                <dt>User</dt>
                <dd>{o().record.user}</dd>
                <dt>Route</dt>
                <dd>
                  {o().record.route ?? 'refused'} ({o().record.reason}) → {o().record.backendModel ?? '—'}
                </dd>
                <dt>Score</dt>
                <dd>
                  {score(o().record.score)} (threshold {o().record.threshold}, head{' '}
                  {o().record.headVersion ?? 'none'})
                </dd>
                <dt>Keywords</dt>
                <dd>{o().record.keywords.join(', ') || '—'}</dd>
                <dt>Tokens</dt>
                <dd>
                  {o().record.usage
                    ? `${o().record.usage!.inputTokens} in / ${o().record.usage!.outputTokens} out`
                    : '—'}
                </dd>
              </dl>
              <pre class="text">{o().record.text}</pre>
              <p>
                Label: <strong data-testid="current-label">{o().label?.label ?? 'none'}</strong>
              </p>
              <div class="row">
                <button type="button" class="primary" onClick={() => label('proprietary')}>
                  Label proprietary
                </button>
                <button type="button" onClick={() => label('public')}>
                  Label public
                </button>
                <button type="button" onClick={() => setOpen(undefined)}>
                  Close
                </button>
              </div>
            </aside>
          )}
        </Show>
      </div>
    </Page>
  );
}
