import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { request } from '../api.ts';
import { ErrorNote, when } from '../widgets.tsx';

interface Finding {
  kind: string;
  pod: string;
  file: string;
  line: number;
  message: string;
}
interface Verification {
  ranAt: string;
  ranBy: string;
  requestedBy: string | null;
  ok: boolean;
  keyed: boolean;
  pods: number;
  records: number;
  breaks: Finding[];
  breakCount: number;
  notes: Finding[];
}
interface State {
  last: Verification | null;
  pending: { requestedAt: string; requestedBy: string } | null;
}

const POLL_MS = 2000;

/**
 * The audit chain's last verification (admins, on the Requests view), and a button to run one. A router
 * pod runs it, since only routers hold the key; the panel polls until the answer arrives.
 */
export function AuditVerificationPanel() {
  const [state, setState] = createSignal<State>();
  const [error, setError] = createSignal<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = async () => {
    clearTimeout(timer);
    try {
      const next = await request<State>('GET', '/api/audit-verification');
      setState(next);
      setError(undefined);
      if (next.pending) timer = setTimeout(load, POLL_MS);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const run = async () => {
    try {
      await request('POST', '/api/audit-verification');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  onMount(load);
  onCleanup(() => clearTimeout(timer));

  const last = () => state()?.last;
  return (
    <section class="audit-verification" aria-labelledby="audit-verification-title">
      <h2 id="audit-verification-title">Audit chain</h2>
      <Show when={last()} fallback={<p>Never verified.</p>}>
        {(v) => (
          <>
            <p role="status" class={v().ok ? 'note status' : 'note error'}>
              {v().ok ? 'Intact' : `Broken: ${v().breakCount} break${v().breakCount === 1 ? '' : 's'}`} —{' '}
              {v().records} records in {v().pods} pod{v().pods === 1 ? '' : 's'}, verified {when(v().ranAt)}{' '}
              by {v().ranBy}
              {v().requestedBy ? ` for ${v().requestedBy}` : ''}
              {v().keyed ? '' : ' (no AUDIT_HMAC_KEY: hashes only, not HMACs)'}
              {v().notes.length > 0
                ? `; ${v().notes.length} crash note${v().notes.length === 1 ? '' : 's'}`
                : ''}
              .
            </p>
            <Show when={v().breaks.length > 0}>
              <ul class="audit-breaks">
                <For each={v().breaks.slice(0, 10)}>
                  {(b) => (
                    <li>
                      <strong>{b.kind}</strong> <code>{`${b.file}:${b.line}`}</code> {b.message}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
      <Show
        when={state()?.pending}
        fallback={
          <button type="button" onClick={run}>
            Verify now
          </button>
        }
      >
        {(p) => (
          <p class="note status">Verification asked for {when(p().requestedAt)}; waiting for a router…</p>
        )}
      </Show>
      <ErrorNote error={error()} />
    </section>
  );
}
