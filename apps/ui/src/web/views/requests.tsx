import { createResource, createSignal, onCleanup, onMount, Show } from 'solid-js';
import { errorText, type Me, request } from '../api.ts';
import { type Histogram, ScoreHistogram } from '../charts/score-histogram.tsx';
import { AuditVerificationPanel } from '../components/audit-verification.tsx';
import { DataTable } from '../components/data-table.tsx';
import { createNotes } from '../components/notes.ts';
import { duration, ErrorNote, Page, score, StatusNote, when } from '../widgets.tsx';

interface AuditRow {
  id: string;
  time: string;
  user: string;
  dialect: string;
  stream: boolean;
  route: 'claude' | 'local' | null;
  /** Where it actually went: null when refused (a quota refusal keeps the route it would have taken). */
  served: 'claude' | 'local' | null;
  clientModel: string;
  backendModel: string | null;
  score: number | null;
  threshold: number;
  keywords: string[];
  reason: string;
  status: number;
  latencyMs: number;
  ttfbMs: number | null;
  text: string;
  headVersion: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  error?: string;
}

const FILTERS = ['user', 'route', 'minScore', 'maxScore', 'from', 'to', 'q'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const NO_FILTERS: Filters = { user: '', route: '', minScore: '', maxScore: '', from: '', to: '', q: '' };

/** The pill for where a request went; refusals (including 429s) say so instead of naming a brain. */
export function RoutePill(props: { served: AuditRow['served'] }) {
  return <span class={`pill ${props.served ?? 'none'}`}>{props.served ?? 'refused'}</span>;
}

/** Problems with the filters that can be told before asking the server, keyed by field. */
function filterProblems(f: Filters): Partial<Record<keyof Filters, string>> {
  const problems: Partial<Record<keyof Filters, string>> = {};
  if (f.from && f.to && new Date(f.from) > new Date(f.to)) problems.from = 'From is later than To.';
  if (f.minScore && f.maxScore && Number(f.minScore) > Number(f.maxScore))
    problems.minScore = 'Min score is above Max score.';
  return problems;
}

export function RequestsView(props: { me: Me }) {
  const [filters, setFilters] = createSignal<Filters>({ ...NO_FILTERS });
  /** The filters of the last search: the list and the histogram both show these. */
  const [applied, setApplied] = createSignal<Filters>({ ...NO_FILTERS });
  const [problems, setProblems] = createSignal<Partial<Record<keyof Filters, string>>>({});
  const [rows, setRows] = createSignal<AuditRow[]>();
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string>();
  const [open, setOpen] = createSignal<{ record: AuditRow; label: { label: string } | null }>();
  const { error, status, setStatus, attempt } = createNotes();

  const query = (f: Filters, more: boolean) => {
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(f)) {
      if (!v) continue;
      // datetime-local has no zone: read it as the browser's local time.
      q.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
    }
    if (more && cursor()) q.set('cursor', cursor()!);
    return q;
  };
  const [histogram, { refetch: refetchHistogram }] = createResource(applied, (f) => {
    const q = query(f, false);
    q.delete('limit');
    return request<Histogram>('GET', `/api/requests/histogram?${q}`);
  });

  const load = async (more = false) => {
    setLoading(true);
    setLoadError(undefined);
    try {
      const page = await request<{ records: AuditRow[]; nextCursor: string | null; complete: boolean }>(
        'GET',
        `/api/requests?${query(applied(), more)}`,
      );
      const all = more ? [...(rows() ?? []), ...page.records] : page.records;
      setRows(all);
      setCursor(page.nextCursor);
      setStatus(
        `${all.length} request(s) shown${page.nextCursor ? (page.complete ? '; more available' : '; the search stopped early, Load older goes on') : ''}.`,
      );
    } catch (err) {
      setLoadError(errorText(err));
      setStatus(undefined);
    }
    setLoading(false);
  };
  const search = (e?: SubmitEvent) => {
    e?.preventDefault();
    const found = filterProblems(filters());
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setApplied({ ...filters() });
    load();
  };
  onMount(() => load());

  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open()) setOpen(undefined);
  };
  onMount(() => document.addEventListener('keydown', closeOnEscape));
  onCleanup(() => document.removeEventListener('keydown', closeOnEscape));

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
      await request('POST', `/api/requests/${encodeURIComponent(record.id)}/label`, {
        label: value,
        time: record.time,
      });
      setOpen({ record, label: { label: value } });
      setStatus(`Labelled ${record.id} as ${value}.`);
    });
  };
  const field = (k: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setFilters({ ...filters(), [k]: e.currentTarget.value });
  const fieldError = (k: keyof Filters) => (
    <Show when={problems()[k]}>
      <span class="field-error" id={`${k}-error`}>
        {problems()[k]}
      </span>
    </Show>
  );
  const scoreFilter = (k: 'minScore' | 'maxScore', text: string) => (
    <label>
      {text}
      <input
        name={k}
        type="number"
        min="0"
        max="1"
        step="0.01"
        value={filters()[k]}
        onInput={field(k)}
        aria-invalid={problems()[k] ? true : undefined}
        aria-describedby={problems()[k] ? `${k}-error` : undefined}
      />
      {fieldError(k)}
    </label>
  );
  const newestThreshold = () => rows()?.[0]?.threshold;

  return (
    <Page
      title="Requests"
      intro="The audit log, newest first. Open a request to see its text and label it for training."
    >
      <Show when={props.me.admin}>
        <AuditVerificationPanel />
      </Show>
      <form class="filters" onSubmit={search} noValidate>
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
          <input
            name="from"
            type="datetime-local"
            value={filters().from}
            onInput={field('from')}
            aria-invalid={problems().from ? true : undefined}
            aria-describedby={problems().from ? 'from-error' : undefined}
          />
          {fieldError('from')}
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
      <section aria-label="Scores of the matching requests">
        <Show
          when={histogram.state === 'ready' || histogram.state === 'refreshing' ? histogram() : undefined}
          fallback={
            <Show
              when={histogram.state === 'errored'}
              fallback={
                <p class="chart-placeholder" role="status">
                  Loading the score histogram…
                </p>
              }
            >
              <p class="note error" role="alert">
                Could not load the score histogram: {errorText(histogram.error)}{' '}
                <button type="button" onClick={() => refetchHistogram()}>
                  Try again
                </button>
              </p>
            </Show>
          }
        >
          {(h) => (
            <Show
              when={h().counted > 0}
              fallback={<p class="chart-placeholder">No requests match, so there are no scores to draw.</p>}
            >
              <ScoreHistogram data={h()} threshold={newestThreshold()} />
            </Show>
          )}
        </Show>
      </section>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <DataTable
        caption="Requests"
        columns={['Time', 'User', 'Route', 'Model', 'Dialect', 'Score', 'Latency', 'Status', 'Text']}
        items={rows()}
        loading={loading()}
        error={loadError()}
        onRetry={() => load()}
        empty="No requests match."
        row={(r) => (
          <tr classList={{ selected: open()?.record.id === r.id }}>
            <td class="nowrap">
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
              <RoutePill served={r.served} />
            </td>
            <td class="nowrap">{r.backendModel ?? r.clientModel}</td>
            <td class="nowrap">
              {r.dialect}
              {r.stream ? ' ⇣' : ''}
              <Show when={r.stream}>
                <span class="sr-only"> streamed</span>
              </Show>
            </td>
            <td class="num">{score(r.score)}</td>
            <td class="num nowrap">{duration(r.latencyMs)}</td>
            <td class="num">{r.status}</td>
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
          <aside id="request-detail" class="detail drawer" tabindex="-1" aria-label="Request detail">
            <div class="drawer-head">
              <h2>Request {o().record.id}</h2>
              <button type="button" onClick={() => setOpen(undefined)}>
                Close
              </button>
            </div>
            <dl>
              <dt>Time</dt>
              <dd>{when(o().record.time)}</dd>
              <dt>User</dt>
              <dd>{o().record.user}</dd>
              <dt>Route</dt>
              <dd>
                <RoutePill served={o().record.served} /> {o().record.reason}
                <Show when={o().record.served === null && o().record.route}>
                  {' '}
                  (would have gone {o().record.route})
                </Show>
              </dd>
              <dt>Model</dt>
              <dd>
                {o().record.clientModel} → {o().record.backendModel ?? '—'}
              </dd>
              <dt>Dialect</dt>
              <dd>
                {o().record.dialect}
                {o().record.stream ? ', streamed' : ''}
              </dd>
              <dt>Score</dt>
              <dd>
                {score(o().record.score)} (threshold {o().record.threshold}, head{' '}
                {o().record.headVersion ?? 'none'})
              </dd>
              <dt>Keywords</dt>
              <dd>{o().record.keywords.join(', ') || '—'}</dd>
              <dt>Latency</dt>
              <dd>
                {duration(o().record.latencyMs)}
                {o().record.ttfbMs !== null ? ` (first byte ${duration(o().record.ttfbMs)})` : ''}
              </dd>
              <dt>Status</dt>
              <dd>
                {o().record.status}
                {o().record.error ? `: ${o().record.error}` : ''}
              </dd>
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
            </div>
          </aside>
        )}
      </Show>
    </Page>
  );
}
