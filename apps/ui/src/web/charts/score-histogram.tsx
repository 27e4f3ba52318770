import { For, Show } from 'solid-js';

export interface Histogram {
  bins: Record<'local' | 'claude' | 'refused', number[]>;
  unscored: number;
  counted: number;
  complete: boolean;
  through: string | null;
}

const W = 640;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 34 };
const SERIES = ['local', 'claude', 'refused'] as const;

/**
 * Classifier scores of the filtered requests in equal bins over [0, 1], stacked by where each request went
 * (local, Claude, refused), with the router's threshold marked: the picture of how well the threshold
 * separates what stayed home from what left.
 */
export function ScoreHistogram(props: { data: Histogram; threshold: number | undefined }) {
  const bins = () => props.data.bins.local.length;
  const totals = () =>
    Array.from({ length: bins() }, (_, i) =>
      SERIES.reduce((sum, s) => sum + (props.data.bins[s][i] ?? 0), 0),
    );
  const max = () => Math.max(1, ...totals());
  const x = (v: number) => PAD.left + (W - PAD.left - PAD.right) * v;
  const y = (count: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - count / max());
  const bw = () => (W - PAD.left - PAD.right) / bins();
  /** One column per bin, its series stacked bottom to top (new objects per answer, so the bars redraw). */
  const columns = () =>
    Array.from({ length: bins() }, (_, i) => {
      let below = 0;
      const parts = SERIES.map((series) => {
        const count = props.data.bins[series][i] ?? 0;
        const part = { series, count, from: below, to: below + count };
        below += count;
        return part;
      });
      return { i, parts };
    });
  const scored = () => totals().reduce((a, b) => a + b, 0);
  const summary = () =>
    `${scored().toLocaleString()} scored request(s): ${SERIES.map(
      (s) => `${props.data.bins[s].reduce((a, b) => a + b, 0).toLocaleString()} ${s}`,
    ).join(', ')}${props.threshold !== undefined ? `; threshold ${props.threshold}` : ''}`;
  return (
    <figure class="chart histogram">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Score histogram by route. ${summary()}`}>
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} class="axis" />
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={y(0)} class="axis" />
        <text x={PAD.left - 6} y={y(max()) + 4} text-anchor="end" class="tick">
          {max().toLocaleString()}
        </text>
        <text x={PAD.left - 6} y={y(0)} text-anchor="end" class="tick">
          0
        </text>
        <For each={[0, 0.25, 0.5, 0.75, 1]}>
          {(v) => (
            <text x={x(v)} y={H - PAD.bottom + 15} text-anchor="middle" class="tick">
              {v}
            </text>
          )}
        </For>
        <text x={(PAD.left + W - PAD.right) / 2} y={H - 4} text-anchor="middle" class="tick">
          classifier score
        </text>
        <For each={columns()}>
          {(column) => (
            <g>
              <title>
                {`${(column.i / bins()).toFixed(2)}–${((column.i + 1) / bins()).toFixed(2)}: ${column.parts.map((p) => `${p.count} ${p.series}`).join(', ')}`}
              </title>
              <For each={column.parts}>
                {(p) => (
                  <rect
                    class={`bar ${p.series}`}
                    x={x(column.i / bins()) + 1}
                    width={Math.max(0, bw() - 2)}
                    y={y(p.to)}
                    height={y(p.from) - y(p.to)}
                  />
                )}
              </For>
            </g>
          )}
        </For>
        <Show when={props.threshold}>
          {(t) => (
            <g class="threshold">
              <line x1={x(t())} x2={x(t())} y1={PAD.top - 4} y2={y(0)} />
              <text x={x(t()) + 4} y={PAD.top + 6} class="tick">
                threshold {t()}
              </text>
            </g>
          )}
        </Show>
      </svg>
      <figcaption>
        <span class="swatch local" /> local <span class="swatch claude" /> claude{' '}
        <span class="swatch refused" /> refused · {summary()}
        <Show when={props.data.unscored > 0}>; {props.data.unscored.toLocaleString()} without a score</Show>
        <Show when={!props.data.complete && props.data.through}>
          {(through) => (
            <> · counted back to {new Date(through()).toLocaleString()} (the scan's time ran out)</>
          )}
        </Show>
      </figcaption>
    </figure>
  );
}
