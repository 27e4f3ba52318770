import { createResource, createSignal } from 'solid-js';
import { errorText, request } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { listState } from '../components/list-state.ts';
import { createNotes } from '../components/notes.ts';
import { ErrorNote, Page, StatusNote, score, when } from '../widgets.tsx';

type Verdict = 'public' | 'proprietary';

interface FrequentPiece {
  hash: string;
  preview: string;
  chars: number;
  count: number;
  users: number;
  maxScore: number | null;
  lastSeen: string;
  pinned: Verdict | null;
}

interface Pin {
  hash: string;
  verdict: Verdict;
  preview: string;
  note?: string;
  createdAt: string;
  createdBy: string;
}

const short = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

/** Pins (admin): the most repeated pieces of recent traffic, and verdicts pinned on them. */
export function PinsView() {
  const [hours, setHours] = createSignal(24);
  const [frequent, { refetch: refetchFrequent }] = createResource(
    () => ({ hours: hours() }),
    (s) =>
      request<{ requests: number; pieces: FrequentPiece[] }>(
        'GET',
        `/api/pins/frequent?hours=${s.hours}&limit=50`,
      ),
  );
  const [pins, { refetch: refetchPins }] = createResource(() =>
    request<{ pins: Pin[] }>('GET', '/api/pins').then((r) => r.pins),
  );
  const pinList = listState(pins, () => refetchPins());
  // The frequent list is one object (pieces and how many requests they came from): its three states by hand.
  const frequentReady = () =>
    frequent.state === 'ready' || frequent.state === 'refreshing' ? frequent() : undefined;
  const frequentError = () => (frequent.state === 'errored' ? errorText(frequent.error) : undefined);
  const { error, status, setStatus, attempt } = createNotes();
  const refresh = () => {
    refetchFrequent();
    refetchPins();
  };

  const pin = (piece: FrequentPiece, verdict: Verdict) =>
    attempt(async () => {
      await request('PUT', `/api/pins/${piece.hash}`, { verdict, preview: piece.preview });
      setStatus(`Pinned ${verdict}; router pods apply it within seconds.`);
      refresh();
    });
  const unpin = (p: Pin) =>
    attempt(async () => {
      await request('DELETE', `/api/pins/${p.hash}`);
      setStatus('Pin removed; the piece is classified again.');
      refresh();
    });

  return (
    <Page
      title="Pins"
      intro="Pin a recurring piece of text (a system prompt, a tool definition) public so it is not classified again — the rest of each request still is — or proprietary so requests carrying it go local. Pieces are matched by the hash of their exact text."
    >
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
      <h2>Frequent pieces</h2>
      <label>
        Traffic of the last
        <select value={String(hours())} onChange={(e) => setHours(Number(e.currentTarget.value))}>
          <option value="1">hour</option>
          <option value="24">day</option>
          <option value="168">week</option>
        </select>
      </label>
      <p class="intro">
        {frequentReady()
          ? `From the ${frequentReady()?.requests} most recent requests in that time (at most 2,000).`
          : ''}
      </p>
      <DataTable
        caption="Most repeated pieces of recent requests"
        columns={['Piece', 'Sent', 'Users', 'Max score', 'Last seen', 'Pinned']}
        actions
        items={frequentReady()?.pieces}
        loading={frequent.loading}
        error={frequentError()}
        onRetry={() => refetchFrequent()}
        empty="No pieces in recent traffic."
        row={(p) => (
          <tr>
            <td title={p.preview}>
              <code>{short(p.preview)}</code> <small>({p.chars} chars)</small>
            </td>
            <td>{p.count}</td>
            <td>{p.users}</td>
            <td>{score(p.maxScore)}</td>
            <td>{when(p.lastSeen)}</td>
            <td>{p.pinned ?? '—'}</td>
            <td class="row">
              <button type="button" onClick={() => pin(p, 'public')} disabled={p.pinned === 'public'}>
                Pin public
              </button>
              <button
                type="button"
                class="danger"
                onClick={() => pin(p, 'proprietary')}
                disabled={p.pinned === 'proprietary'}
              >
                Pin proprietary
              </button>
            </td>
          </tr>
        )}
      />
      <h2>Pinned</h2>
      <DataTable
        caption="Pinned pieces"
        columns={['Piece', 'Verdict', 'Pinned', 'By']}
        actions
        items={pinList.items()}
        loading={pinList.loading()}
        error={pinList.error()}
        onRetry={pinList.retry}
        empty="Nothing is pinned."
        row={(p) => (
          <tr>
            <td title={p.hash}>
              <code>{short(p.preview || p.hash)}</code>
            </td>
            <td>{p.verdict}</td>
            <td>{when(p.createdAt)}</td>
            <td>{p.createdBy}</td>
            <td>
              <button type="button" onClick={() => unpin(p)}>
                Unpin
              </button>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
