import { createResource, createSignal, For, Show } from 'solid-js';
import { errorText, request } from '../api.ts';
import { DailyUsageChart, type DayTotals } from '../charts/daily-usage.tsx';
import { DataTable } from '../components/data-table.tsx';
import { LoadError, Page } from '../widgets.tsx';

interface UserDay {
  tokens: { claude: number; local: number };
  requests: { claude: number; local: number };
}
interface UsageAnswer {
  from: string;
  to: string;
  days: { day: string; users: Record<string, UserDay> }[];
}
interface Limits {
  defaultDailyTokens: number | null;
  users: Record<string, number | null>;
}
type Metric = 'tokens' | 'requests';

/** The most users drawn as small charts; the table below lists everyone. */
const SMALL_MULTIPLES = 12;

export function UsageView() {
  const [days, setDays] = createSignal(14);
  const [metric, setMetric] = createSignal<Metric>('tokens');
  const [user, setUser] = createSignal('');
  const [usage, { refetch }] = createResource(days, (n) =>
    request<UsageAnswer>('GET', `/api/usage?days=${n}`),
  );
  // Limits only add lines; without them the charts still stand.
  const [limits] = createResource(() =>
    request<{ limits: Limits }>('GET', '/api/limits').then((r) => r.limits),
  );
  const ready = () => (usage.state === 'ready' || usage.state === 'refreshing' ? usage() : undefined);
  const limitsReady = () => (limits.state === 'ready' ? limits() : undefined);

  const users = () => [...new Set((ready()?.days ?? []).flatMap((d) => Object.keys(d.users)))].sort();
  const totalsFor = (who: string | undefined): DayTotals[] =>
    (ready()?.days ?? []).map((d) => {
      let claude = 0;
      let local = 0;
      for (const [u, t] of Object.entries(d.users)) {
        if (who && u !== who) continue;
        claude += t[metric()].claude;
        local += t[metric()].local;
      }
      return { day: d.day, claude, local };
    });
  const limitFor = (who: string) => {
    const l = limitsReady();
    if (!l || metric() !== 'tokens') return undefined;
    return who in l.users ? l.users[who] : l.defaultDailyTokens;
  };
  const perUser = () =>
    users()
      .map((u) => {
        const t = totalsFor(u);
        return {
          u,
          local: t.reduce((a, d) => a + d.local, 0),
          claude: t.reduce((a, d) => a + d.claude, 0),
          activeDays: t.filter((d) => d.local + d.claude > 0).length,
        };
      })
      .sort((a, b) => b.claude + b.local - (a.claude + a.local));
  const hasTraffic = () => (ready()?.days ?? []).some((d) => Object.keys(d.users).length > 0);

  return (
    <Page
      title="Usage"
      intro="Settled tokens (input + output) and requests per day, user and brain, summed over every router pod. Days are UTC."
    >
      <div class="row">
        <label>
          Days
          <select value={days()} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            <option value="7">7</option>
            <option value="14">14</option>
            <option value="30">30</option>
            <option value="90">90</option>
          </select>
        </label>
        <label>
          Show
          <select value={metric()} onChange={(e) => setMetric(e.currentTarget.value as Metric)}>
            <option value="tokens">tokens</option>
            <option value="requests">requests</option>
          </select>
        </label>
        <label>
          User
          <select value={user()} onChange={(e) => setUser(e.currentTarget.value)}>
            <option value="">everyone</option>
            <For each={users()}>{(u) => <option value={u}>{u}</option>}</For>
          </select>
        </label>
      </div>
      <LoadError
        what="usage"
        error={usage.state === 'errored' ? errorText(usage.error) : undefined}
        onRetry={() => refetch()}
      />
      <Show when={limits.state === 'errored'}>
        <p class="note muted">
          The limits could not be read ({errorText(limits.error)}); no limit lines are drawn.
        </p>
      </Show>
      <Show when={usage.state === 'pending' || usage.state === 'unresolved'}>
        <p class="chart-placeholder" role="status">
          Loading usage…
        </p>
      </Show>
      <Show when={ready()}>
        {(answer) => (
          <Show
            when={hasTraffic()}
            fallback={
              <p class="chart-placeholder">
                No usage recorded from {answer().from} to {answer().to}.
              </p>
            }
          >
            <DailyUsageChart
              days={totalsFor(user() || undefined)}
              unit={metric()}
              limit={user() ? limitFor(user()) : undefined}
              label={`${metric() === 'tokens' ? 'Tokens' : 'Requests'} per day, ${user() || 'everyone'}${user() || metric() === 'requests' ? '' : ' (pick a user to see their limit, or see each user below)'}`}
            />
            <Show when={!user()}>
              <h2>Per user{metric() === 'tokens' ? ', with each daily limit' : ''}</h2>
              <div class="small-multiples">
                <For each={perUser().slice(0, SMALL_MULTIPLES)}>
                  {(r) => (
                    <DailyUsageChart
                      compact
                      days={totalsFor(r.u)}
                      unit={metric()}
                      limit={limitFor(r.u)}
                      label={r.u}
                    />
                  )}
                </For>
              </div>
            </Show>
            <DataTable
              caption="Per user over the period"
              showCaption
              columns={['User', 'Local', 'Claude', 'Days active', 'Daily limit', 'Share']}
              items={perUser()}
              empty="No users."
              row={(r) => {
                const top = perUser()[0];
                const scale = top ? top.claude + top.local : 1;
                const limit = limitFor(r.u);
                return (
                  <tr>
                    <td>{r.u}</td>
                    <td class="num">{r.local.toLocaleString()}</td>
                    <td class="num">{r.claude.toLocaleString()}</td>
                    <td class="num">{r.activeDays}</td>
                    <td class="num">
                      {metric() !== 'tokens'
                        ? '—'
                        : limit === null
                          ? 'unlimited'
                          : (limit?.toLocaleString() ?? '—')}
                    </td>
                    <td>
                      <svg
                        class="minibar"
                        viewBox="0 0 100 10"
                        role="img"
                        aria-label={`${(r.local + r.claude).toLocaleString()} ${metric()}`}
                      >
                        <rect class="bar local" x="0" y="0" height="10" width={(100 * r.local) / scale} />
                        <rect
                          class="bar claude"
                          x={(100 * r.local) / scale}
                          y="0"
                          height="10"
                          width={(100 * r.claude) / scale}
                        />
                      </svg>
                    </td>
                  </tr>
                );
              }}
            />
          </Show>
        )}
      </Show>
    </Page>
  );
}
