/** A small Prometheus registry: counters, gauges and histograms with labels, rendered as text format 0.0.4. */
type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const canonicalKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`)
    .join(',');
/**
 * Canonical keys of label sets already seen, by their raw form, so a hot path pays one concatenation and
 * a lookup instead of a sort and escaping. Bounded: past the bound, new label sets are computed each time.
 */
const knownKeys = new Map<string, string>();
const MAX_KNOWN_KEYS = 10_000;
const labelKey = (labels: Labels) => {
  let raw = '';
  for (const k in labels) {
    const v = labels[k] ?? '';
    raw += `${k.length}:${k}${v.length}:${v}`; // length-prefixed: no two label sets share a raw form
  }
  let key = knownKeys.get(raw);
  if (key === undefined) {
    key = canonicalKey(labels);
    if (knownKeys.size < MAX_KNOWN_KEYS) knownKeys.set(raw, key);
  }
  return key;
};
const withLabels = (name: string, key: string) => (key ? `${name}{${key}}` : name);

interface Metric {
  render(): string;
}

/** A counter or gauge series: handles keep the cell, so a bound series costs no label lookup. */
interface Cell {
  value: number;
}

/** One labelled series of a counter, resolved once (see `Counter.labelled`). */
export interface CounterSeries {
  inc(by?: number): void;
}

/** One labelled series of a gauge, resolved once (see `Gauge.labelled`). */
export interface GaugeSeries {
  set(value: number): void;
  inc(by?: number): void;
}

/** One labelled series of a histogram, resolved once (see `Histogram.labelled`). */
export interface HistogramSeries {
  observe(value: number): void;
}

abstract class CellMetric implements Metric {
  protected readonly values = new Map<string, Cell>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  protected abstract readonly type: string;
  protected cell(key: string): Cell {
    let cell = this.values.get(key);
    if (!cell) {
      cell = { value: 0 };
      this.values.set(key, cell);
    }
    return cell;
  }
  /** The series' cell, created on first use so a bound series nobody touched is not rendered. */
  protected lazyCell(labels: Labels): () => Cell {
    const key = labelKey(labels);
    let cell: Cell | undefined;
    return () => {
      cell ??= this.cell(key);
      return cell;
    };
  }
  get(labels: Labels = {}) {
    return this.values.get(labelKey(labels))?.value ?? 0;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [k, c] of this.values) lines.push(`${withLabels(this.name, k)} ${c.value}`);
    return lines.join('\n');
  }
}

export class Counter extends CellMetric {
  protected readonly type = 'counter';
  inc(labels: Labels = {}, by = 1) {
    this.cell(labelKey(labels)).value += by;
  }
  /** A handle on one label set, for hot paths: the label key is computed here, once. */
  labelled(labels: Labels): CounterSeries {
    const cell = this.lazyCell(labels);
    return {
      inc: (by = 1) => {
        cell().value += by;
      },
    };
  }
}

export class Gauge extends CellMetric {
  protected readonly type = 'gauge';
  set(value: number, labels: Labels = {}) {
    this.cell(labelKey(labels)).value = value;
  }
  inc(labels: Labels = {}, by = 1) {
    this.cell(labelKey(labels)).value += by;
  }
  dec(labels: Labels = {}, by = 1) {
    this.inc(labels, -by);
  }
  /** A handle on one label set, for hot paths: the label key is computed here, once. */
  labelled(labels: Labels): GaugeSeries {
    const cell = this.lazyCell(labels);
    return {
      set: (value) => {
        cell().value = value;
      },
      inc: (by = 1) => {
        cell().value += by;
      },
    };
  }
}

export const latencyBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

interface HistogramCounts {
  counts: number[];
  sum: number;
  count: number;
}

function record(s: HistogramCounts, buckets: number[], value: number) {
  for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]!) s.counts[i]!++;
  s.sum += value;
  s.count++;
}

export class Histogram implements Metric {
  private readonly allSeries = new Map<string, HistogramCounts>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = latencyBuckets,
  ) {}
  observe(value: number, labels: Labels = {}) {
    record(this.series(labelKey(labels)), this.buckets, value);
  }
  /** A handle on one label set, for hot paths: the label key is computed here, once. */
  labelled(labels: Labels): HistogramSeries {
    const key = labelKey(labels);
    let s: HistogramCounts | undefined;
    return {
      observe: (value) => {
        s ??= this.series(key);
        record(s, this.buckets, value);
      },
    };
  }
  private series(key: string): HistogramCounts {
    let s = this.allSeries.get(key);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.allSeries.set(key, s);
    }
    return s;
  }
  count(labels: Labels = {}) {
    return this.allSeries.get(labelKey(labels))?.count ?? 0;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.allSeries) {
      const sep = k ? `${k},` : '';
      for (const [i, b] of this.buckets.entries())
        lines.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i]}`);
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      lines.push(`${withLabels(`${this.name}_sum`, k)} ${s.sum}`);
      lines.push(`${withLabels(`${this.name}_count`, k)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export class Metrics {
  private readonly metrics = new Map<string, Metric>();
  constructor(private readonly prefix: string) {}

  counter(name: string, help: string): Counter {
    return this.register(new Counter(`${this.prefix}_${name}`, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.register(new Gauge(`${this.prefix}_${name}`, help));
  }
  histogram(name: string, help: string, buckets?: number[]): Histogram {
    return this.register(new Histogram(`${this.prefix}_${name}`, help, buckets));
  }

  render(): string {
    const mem = process.memoryUsage();
    const process_ = [
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP process_heap_bytes JavaScript heap in use, in bytes.',
      '# TYPE process_heap_bytes gauge',
      `process_heap_bytes ${mem.heapUsed}`,
    ];
    return `${[...[...this.metrics.values()].map((m) => m.render()), ...process_].join('\n')}\n`;
  }

  private register<M extends Metric & { name: string }>(m: M): M {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }
}
