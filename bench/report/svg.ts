/**
 * Small self-contained SVG charts (no plotting dependency): lines over categories, with a linear or
 * log scale, and grouped bars. Any browser or image viewer opens them.
 */

export interface Series {
  label: string;
  /** One value per category; null where nothing was measured. */
  values: (number | null)[];
  dashed?: boolean;
  color?: string;
}

const palette = ['#1b6ac9', '#d1495b', '#2e933c', '#8f5bd6', '#e08e0b', '#5c6770', '#00a3a3'];
const width = 820;
const height = 420;
const margin = { top: 48, right: 260, bottom: 56, left: 72 };
const plotW = width - margin.left - margin.right;
const plotH = height - margin.top - margin.bottom;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatTick(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  if (value >= 1) return String(Number(value.toPrecision(3)));
  return String(Number(value.toPrecision(2)));
}

function niceTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) ticks.push(10 ** e);
    return ticks;
  }
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const ticks: number[] = [];
  for (let v = Math.floor(min / nice) * nice; v <= max + 1e-9; v += nice)
    ticks.push(Number(v.toPrecision(6)));
  return ticks;
}

function frame(title: string, yLabel: string, xLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function legend(series: { label: string; color: string; dashed?: boolean }[]): string[] {
  return series.map((s, i) => {
    const y = margin.top + 8 + i * 20;
    const x = margin.left + plotW + 16;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${s.color}" stroke-width="2.5"${dash}/><text x="${x + 30}" y="${y + 4}">${escapeXml(s.label)}</text>`;
  });
}

export function lineChart(input: {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: string[];
  series: Series[];
  log?: boolean;
}): string {
  const values = input.series.flatMap((s) => s.values).filter((v): v is number => v !== null && v > 0);
  const log = input.log ?? false;
  const min = values.length ? Math.min(...values) : 1;
  const max = values.length ? Math.max(...values) : 1;
  const ticks = niceTicks(log ? min : 0, max, log);
  const lo = log ? ticks[0]! : 0;
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number): number => {
    const t = log
      ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo) || 1)
      : (v - lo) / (hi - lo || 1);
    return margin.top + plotH - t * plotH;
  };
  const n = input.categories.length;
  const x = (i: number): number => margin.left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const body: string[] = [];
  for (const tick of ticks) {
    const ty = y(tick);
    body.push(
      `<line x1="${margin.left}" y1="${ty}" x2="${margin.left + plotW}" y2="${ty}" stroke="#e3e3e3"/>`,
      `<text x="${margin.left - 8}" y="${ty + 4}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  input.categories.forEach((c, i) => {
    body.push(`<text x="${x(i)}" y="${margin.top + plotH + 20}" text-anchor="middle">${escapeXml(c)}</text>`);
  });
  body.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  const colored = input.series.map((s, i) => ({ ...s, color: s.color ?? palette[i % palette.length]! }));
  for (const s of colored) {
    const points = s.values
      .map((v, i) => (v !== null && v > 0 ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null))
      .filter((p): p is string => p !== null);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (points.length > 1) {
      body.push(
        `<polyline points="${points.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2.5"${dash}/>`,
      );
    }
    for (const p of points) {
      const [px, py] = p.split(',');
      body.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${s.color}"/>`);
    }
  }
  body.push(...legend(colored));
  return frame(input.title, input.yLabel + (log ? ' (log scale)' : ''), input.xLabel, body);
}

export function barChart(input: {
  title: string;
  yLabel: string;
  categories: string[];
  series: Series[];
  /** A horizontal reference line, e.g. a target. */
  reference?: { value: number; label: string };
}): string {
  const values = input.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = Math.max(...values, input.reference?.value ?? 0, 1);
  const ticks = niceTicks(0, max * 1.05, false);
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number): number => margin.top + plotH - (v / hi) * plotH;
  const body: string[] = [];
  for (const tick of ticks) {
    body.push(
      `<line x1="${margin.left}" y1="${y(tick)}" x2="${margin.left + plotW}" y2="${y(tick)}" stroke="#e3e3e3"/>`,
      `<text x="${margin.left - 8}" y="${y(tick) + 4}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  const groupW = plotW / input.categories.length;
  const barW = (groupW * 0.8) / Math.max(1, input.series.length);
  const colored = input.series.map((s, i) => ({ ...s, color: s.color ?? palette[i % palette.length]! }));
  input.categories.forEach((c, ci) => {
    const gx = margin.left + ci * groupW + groupW * 0.1;
    body.push(
      `<text x="${gx + groupW * 0.4}" y="${margin.top + plotH + 20}" text-anchor="middle">${escapeXml(c)}</text>`,
    );
    colored.forEach((s, si) => {
      const v = s.values[ci];
      if (v === null || v === undefined) return;
      const bx = gx + si * barW;
      body.push(
        `<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(margin.top + plotH - y(v)).toFixed(1)}" fill="${s.color}"/>`,
        `<text x="${(bx + barW / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${formatTick(v)}</text>`,
      );
    });
  });
  if (input.reference) {
    const ry = y(input.reference.value);
    body.push(
      `<line x1="${margin.left}" y1="${ry}" x2="${margin.left + plotW}" y2="${ry}" stroke="#d1495b" stroke-dasharray="4 3"/>`,
      `<text x="${margin.left + plotW + 16}" y="${ry + 4}" fill="#d1495b">${escapeXml(input.reference.label)}</text>`,
    );
  }
  body.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  body.push(...legend(colored));
  return frame(input.title, input.yLabel, '', body);
}

/** Curves over a continuous x and y in [0, 1] (ROC, precision-recall), with optional marked points. */
export function xyChart(input: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: { label: string; points: [number, number][]; dashed?: boolean; color?: string }[];
  marks?: { label: string; at: [number, number] }[];
}): string {
  const x = (v: number) => margin.left + v * plotW;
  const y = (v: number) => margin.top + plotH - v * plotH;
  const body: string[] = [];
  for (const tick of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    body.push(
      `<line x1="${margin.left}" y1="${y(tick)}" x2="${margin.left + plotW}" y2="${y(tick)}" stroke="#e3e3e3"/>`,
      `<text x="${margin.left - 8}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`,
      `<text x="${x(tick)}" y="${margin.top + plotH + 20}" text-anchor="middle">${tick}</text>`,
    );
  }
  body.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  const colored = input.series.map((s, i) => ({ ...s, color: s.color ?? palette[i % palette.length]! }));
  for (const s of colored) {
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const points = s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
    body.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
  }
  for (const mark of input.marks ?? []) {
    const [mx, my] = mark.at;
    body.push(
      `<circle cx="${x(mx).toFixed(1)}" cy="${y(my).toFixed(1)}" r="5" fill="none" stroke="#111" stroke-width="2"/>`,
      `<text x="${(x(mx) + 8).toFixed(1)}" y="${(y(my) + 16).toFixed(1)}">${escapeXml(mark.label)}</text>`,
    );
  }
  body.push(...legend(colored));
  return frame(input.title, input.yLabel, input.xLabel, body);
}
