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

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1) {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}) {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${withLabels(this.name, k)} ${v}`);
    return lines.join('\n');
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(value: number, labels: Labels = {}) {
    this.values.set(labelKey(labels), value);
  }
  inc(labels: Labels = {}, by = 1) {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  dec(labels: Labels = {}, by = 1) {
    this.inc(labels, -by);
  }
  get(labels: Labels = {}) {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [k, v] of this.values) lines.push(`${withLabels(this.name, k)} ${v}`);
    return lines.join('\n');
  }
}

export const latencyBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export class Histogram implements Metric {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = latencyBuckets,
  ) {}
  observe(value: number, labels: Labels = {}) {
    const k = labelKey(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  count(labels: Labels = {}) {
    return this.series.get(labelKey(labels))?.count ?? 0;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
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
