import { createSignal, For } from 'solid-js';
import { LiveConfigForm } from '../components/live-config-form.tsx';
import { Page } from '../widgets.tsx';

interface Limits {
  defaultDailyTokens: number | null;
  users: Record<string, number | null>;
}

const parseLimit = (s: string) => (s.trim() === '' ? null : Number(s));

export function LimitsView() {
  const [defaultLimit, setDefaultLimit] = createSignal('');
  const [rows, setRows] = createSignal<{ user: string; limit: string }[]>([]);

  const fill = (limits: Limits) => {
    setDefaultLimit(limits.defaultDailyTokens === null ? '' : String(limits.defaultDailyTokens));
    setRows(Object.entries(limits.users).map(([user, l]) => ({ user, limit: l === null ? '' : String(l) })));
  };
  const body = () => {
    const users: Record<string, number | null> = {};
    for (const r of rows()) if (r.user.trim()) users[r.user.trim().toLowerCase()] = parseLimit(r.limit);
    return { defaultDailyTokens: parseLimit(defaultLimit()), users };
  };
  const update = (i: number, patch: Partial<{ user: string; limit: string }>) =>
    setRows(rows().map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Page title="Limits" intro="Daily token limits per user. Empty means unlimited.">
      <LiveConfigForm
        path="/api/limits"
        field="limits"
        what="limits"
        fill={fill}
        body={body}
        savedText="Limits saved; router pods pick them up within seconds."
        submitLabel="Save limits"
      >
        <label>
          Default daily tokens
          <input
            name="default-limit"
            type="number"
            min="0"
            step="1"
            value={defaultLimit()}
            onInput={(e) => setDefaultLimit(e.currentTarget.value)}
          />
        </label>
        <fieldset>
          <legend>Per user</legend>
          <For each={rows()}>
            {(r, i) => (
              <div class="row">
                <label>
                  Email
                  <input
                    type="email"
                    value={r.user}
                    onInput={(e) => update(i(), { user: e.currentTarget.value })}
                  />
                </label>
                <label>
                  Daily tokens
                  <input
                    type="number"
                    min="0"
                    step="1"
                    value={r.limit}
                    onInput={(e) => update(i(), { limit: e.currentTarget.value })}
                  />
                </label>
                <button
                  type="button"
                  class="danger"
                  onClick={() => setRows(rows().filter((_, j) => j !== i()))}
                >
                  Remove<span class="sr-only"> {r.user}</span>
                </button>
              </div>
            )}
          </For>
          <button type="button" onClick={() => setRows([...rows(), { user: '', limit: '' }])}>
            Add user
          </button>
        </fieldset>
      </LiveConfigForm>
    </Page>
  );
}
