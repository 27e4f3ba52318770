import { For, Show } from 'solid-js';

export interface DayTotals {
  day: string;
  local: number;
  claude: number;
}

/**
 * Stacked bars per calendar day (local below, Claude above) on a real time axis: every day of the range
 * has its slot, days without traffic stay empty and are marked, and a daily limit, when given, is a dashed
 * line across. Hand-drawn SVG: a dozen rectangles do not need a charting library.
 */
export function DailyUsageChart(props: {
  days: DayTotals[];
  /** What is counted, for labels: "tokens" or "requests". */
  unit: string;
  /** A daily limit to draw (tokens); null or undefined draws none. */
  limit?: number | null;
  label: string;
  compact?: boolean;
}) {
  const W = () => (props.compact ? 360 : 720);
  const H = () => (props.compact ? 130 : 240);
  const PAD = () =>
    props.compact
      ? { left: 48, right: 8, top: 10, bottom: 22 }
      : { left: 64, right: 12, top: 14, bottom: 36 };
  const max = () =>
    Math.max(1, props.limit ?? 0, ...props.days.map((d) => d.local + d.claude)) * (props.limit ? 1.08 : 1);
  const slot = () => (W() - PAD().left - PAD().right) / Math.max(1, props.days.length);
  const x = (i: number) => PAD().left + i * slot();
  const y = (v: number) => PAD().top + (H() - PAD().top - PAD().bottom) * (1 - v / max());
  // Day labels thinned to about eight along the axis; the first of a month always named.
  const every = () => Math.max(1, Math.ceil(props.days.length / (props.compact ? 4 : 8)));
  const dayLabel = (day: string) =>
    new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
  const quiet = () => props.days.filter((d) => d.local + d.claude === 0).length;
  const over = () => (props.limit ? props.days.filter((d) => d.local + d.claude > props.limit!).length : 0);
  const fmt = (v: number) => Math.round(v).toLocaleString();
  // Axis labels compact (130K), so they fit the margin; the exact figures are in the titles and table.
  const short = (v: number) =>
    new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
  const ticks = () => [0, max() / 2, max()];

  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W()} ${H()}`}
        role="img"
        aria-label={`${props.label}: ${props.unit} per day from ${props.days[0]?.day} to ${props.days.at(-1)?.day}; ${quiet()} day(s) without traffic${props.limit ? `; daily limit ${fmt(props.limit)}, exceeded on ${over()} day(s)` : ''}`}
      >
        <For each={ticks()}>
          {(v) => (
            <>
              <line x1={PAD().left} x2={W() - PAD().right} y1={y(v)} y2={y(v)} class="gridline" />
              <text x={PAD().left - 6} y={y(v) + 4} text-anchor="end" class="tick">
                {short(v)}
              </text>
            </>
          )}
        </For>
        <line x1={PAD().left} x2={W() - PAD().right} y1={y(0)} y2={y(0)} class="axis" />
        <For each={props.days}>
          {(d, i) => (
            <g>
              <title>{`${d.day}: ${fmt(d.local)} local, ${fmt(d.claude)} claude ${props.unit}`}</title>
              <Show
                when={d.local + d.claude > 0}
                fallback={
                  <rect class="gap" x={x(i()) + 1} width={Math.max(1, slot() - 2)} y={y(0) - 3} height={3} />
                }
              >
                <rect
                  class="bar local"
                  x={x(i()) + slot() * 0.12}
                  width={slot() * 0.76}
                  y={y(d.local)}
                  height={y(0) - y(d.local)}
                />
                <rect
                  class="bar claude"
                  x={x(i()) + slot() * 0.12}
                  width={slot() * 0.76}
                  y={y(d.local + d.claude)}
                  height={y(d.local) - y(d.local + d.claude)}
                />
              </Show>
              <Show when={i() % every() === 0}>
                <text x={x(i()) + slot() / 2} y={H() - PAD().bottom + 15} text-anchor="middle" class="tick">
                  {dayLabel(d.day)}
                </text>
              </Show>
            </g>
          )}
        </For>
        <Show when={props.limit}>
          {(limit) => (
            <g>
              <line x1={PAD().left} x2={W() - PAD().right} y1={y(limit())} y2={y(limit())} class="limit" />
              <text x={W() - PAD().right - 4} y={y(limit()) - 4} text-anchor="end" class="tick">
                limit {fmt(limit())}
              </text>
            </g>
          )}
        </Show>
      </svg>
      <figcaption>
        {props.label}
        <Show when={!props.compact}>
          {' '}
          · <span class="swatch local" /> local (ScalarLM) <span class="swatch claude" /> claude
        </Show>
        <Show when={quiet() > 0}> · {quiet()} day(s) without traffic</Show>
        <Show when={props.limit}> · over the limit on {over()} day(s)</Show>
      </figcaption>
    </figure>
  );
}
