import { createResource, createSignal, Show } from 'solid-js';
import { type Me, request } from '../api.ts';
import { createNotes } from '../components/notes.ts';
import { DataTable } from '../components/data-table.tsx';
import { listState } from '../components/list-state.ts';
import { ErrorNote, Page, StatusNote, when } from '../widgets.tsx';

interface TokenRow {
  id: string;
  name: string;
  user: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function TokensView(props: { me: Me }) {
  const [all, setAll] = createSignal(false);
  // The source is an object: createResource skips fetching while its source is false.
  const [tokens, { refetch }] = createResource(
    () => ({ all: all() }),
    (s) =>
      request<{ tokens: TokenRow[] }>('GET', `/api/tokens${s.all ? '?all=1' : ''}`).then((r) => r.tokens),
  );
  const list = listState(tokens, () => refetch());
  const [name, setName] = createSignal('');
  const [fresh, setFresh] = createSignal<{ token: string; name: string }>();
  const { error, setError, status, setStatus, attempt } = createNotes();

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    await attempt(async () => {
      const r = await request<{ token: string; record: TokenRow }>('POST', '/api/tokens', { name: name() });
      setFresh({ token: r.token, name: r.record.name });
      setName('');
      refetch();
    });
  };
  const revoke = async (t: TokenRow) => {
    if (!confirm(`Revoke "${t.name}"? Clients using it stop working within seconds.`)) return;
    await attempt(async () => {
      await request('POST', `/api/tokens/${t.id}/revoke`);
      setStatus(`Revoked ${t.name}.`);
      refetch();
    });
  };
  // Says "copied" only when the browser confirmed it. The clipboard needs a secure context and permission;
  // a browser that neither grants nor refuses within seconds is treated as not having copied.
  const copy = async () => {
    const write = navigator.clipboard?.writeText(fresh()?.token ?? '') ?? Promise.reject();
    const copied = await Promise.race([
      write.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
    ]).catch(() => false);
    if (copied) setStatus('Copied to the clipboard.');
    else setError('The browser did not confirm the copy; select the token above and copy it by hand.');
  };

  return (
    <Page
      title="Tokens"
      intro="Bearer tokens for the router (OpenAI: Authorization: Bearer; Anthropic: x-api-key). A token is shown once, when it is created."
    >
      <form class="row" onSubmit={create}>
        <label>
          Name
          <input
            name="token-name"
            required
            maxLength={200}
            placeholder="e.g. laptop, CI"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          Create token
        </button>
      </form>
      <ErrorNote error={error()} />
      <Show when={fresh()}>
        {(f) => (
          <section class="callout" aria-label="New token">
            <p>
              Your new token <strong>{f().name}</strong>. Copy it now: it will not be shown again.
            </p>
            <code class="secret" data-testid="new-token">
              {f().token}
            </code>
            <div class="row">
              <button type="button" onClick={copy}>
                Copy
              </button>
              <button type="button" onClick={() => setFresh(undefined)}>
                Done
              </button>
            </div>
          </section>
        )}
      </Show>
      <StatusNote text={status()} />
      <Show when={props.me.admin}>
        <label class="check">
          <input type="checkbox" checked={all()} onChange={(e) => setAll(e.currentTarget.checked)} /> Show
          everyone's tokens
        </label>
      </Show>
      <DataTable
        caption="Tokens"
        columns={['Name', 'Owner', 'Created', 'Last used', 'State']}
        actions
        items={list.items()}
        loading={list.loading()}
        error={list.error()}
        onRetry={list.retry}
        empty="No tokens yet."
        row={(t) => (
          <tr>
            <td>{t.name}</td>
            <td>{t.user}</td>
            <td>{when(t.createdAt)}</td>
            <td>{when(t.lastUsedAt)}</td>
            <td>{t.revokedAt ? `revoked ${when(t.revokedAt)}` : 'active'}</td>
            <td>
              <Show when={!t.revokedAt}>
                <button type="button" class="danger" onClick={() => revoke(t)}>
                  Revoke<span class="sr-only"> {t.name}</span>
                </button>
              </Show>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
