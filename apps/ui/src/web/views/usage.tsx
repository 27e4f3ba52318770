import { createResource, createSignal, For, Show } from 'solid-js';
import { request } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { Page } from '../widgets.tsx';

interface UsageDay {
  day: string;
  users: Record<string, { claude: number; local: number }>;
}

const W = 640;
const H = 220;
const PAD = { left: 56, right: 8, top: 10, bottom: 36 };

/** A stacked bar per day (local below, claude above), hand-drawn SVG with a text table beside it. */
function DailyChart(props: { days: UsageDay[]; user: string }) {
  const totals = () =>
    props.days.map((d) => {
      let claude = 0;
      let local = 0;
      for (const [u, t] of Object.entries(d.users)) {
        if (props.user && u !== props.user) continue;
        claude += t.claude;
        local += t.local;
      }
      return { day: d.day, claude, local };
    });
  const max = () => Math.max(1, ...totals().map((t) => t.claude + t.local));
  const bw = () => (W - PAD.left - PAD.right) / Math.max(1, totals().length);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max());
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Tokens per day by brain${props.user ? ` for ${props.user}` : ''}`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} class="axis" />
        <text x={PAD.left - 6} y={y(max()) + 4} text-anchor="end" class="tick">
          {max().toLocaleString()}
        </text>
        <text x={PAD.left - 6} y={y(0)} text-anchor="end" class="tick">
          0
        </text>
        <For each={totals()}>
          {(t, i) => {
            const x = () => PAD.left + i() * bw() + bw() * 0.15;
            return (
              <g>
                <title>{`${t.day}: ${t.local.toLocaleString()} local, ${t.claude.toLocaleString()} claude`}</title>
                <rect
                  class="bar local"
                  x={x()}
                  width={bw() * 0.7}
                  y={y(t.local)}
                  height={y(0) - y(t.local)}
                />
                <rect
                  class="bar claude"
                  x={x()}
                  width={bw() * 0.7}
                  y={y(t.local + t.claude)}
                  height={y(t.local) - y(t.local + t.claude)}
                />
                <text x={x() + bw() * 0.35} y={H - PAD.bottom + 16} text-anchor="middle" class="tick">
                  {t.day.slice(5)}
                </text>
              </g>
            );
          }}
        </For>
      </svg>
      <figcaption>
        <span class="swatch local" /> local (ScalarLM) <span class="swatch claude" /> claude
      </figcaption>
    </figure>
  );
}

export function UsageView() {
  const [days, setDays] = createSignal(14);
  const [usage] = createResource(days, (n) =>
    request<{ days: UsageDay[] }>('GET', `/api/usage?days=${n}`).then((r) => r.days),
  );
  const [user, setUser] = createSignal('');
  const users = () => [...new Set((usage() ?? []).flatMap((d) => Object.keys(d.users)))].sort();
  const perUser = () =>
    users()
      .map((u) => {
        let claude = 0;
        let local = 0;
        for (const d of usage() ?? []) {
          claude += d.users[u]?.claude ?? 0;
          local += d.users[u]?.local ?? 0;
        }
        return { u, claude, local };
      })
      .sort((a, b) => b.claude + b.local - (a.claude + a.local));

  return (
    <Page
      title="Usage"
      intro="Settled tokens (input + output) per day, user and brain, summed over every router pod."
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
          User
          <select value={user()} onChange={(e) => setUser(e.currentTarget.value)}>
            <option value="">everyone</option>
            <For each={users()}>{(u) => <option value={u}>{u}</option>}</For>
          </select>
        </label>
      </div>
      <Show when={usage()} fallback={<p role="status">Loading…</p>}>
        {(d) => (
          <Show when={d().length > 0} fallback={<p>No usage recorded yet.</p>}>
            <DailyChart days={d()} user={user()} />
            <DataTable
              caption="Per user over the period"
              showCaption
              columns={['User', 'Local', 'Claude', 'Share']}
              items={perUser()}
              row={(r) => {
                const top = perUser()[0];
                const scale = top ? top.claude + top.local : 1;
                return (
                  <tr>
                    <td>{r.u}</td>
                    <td>{r.local.toLocaleString()}</td>
                    <td>{r.claude.toLocaleString()}</td>
                    <td>
                      <svg
                        class="minibar"
                        viewBox="0 0 100 10"
                        role="img"
                        aria-label={`${r.local + r.claude} tokens`}
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
