/**
 * Reads a Prometheus text page into sample sums by metric name and label set, so a run can report what
 * the router says it did (cache hits, classifier round trips, fail-closed decisions) next to wrk's view.
 */
export type Samples = Map<string, number>;

export function parsePrometheus(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) samples.set(line.slice(0, space), value);
  }
  return samples;
}

/**
 * The sum of every sample of metric `name` (also under a registry prefix, e.g. `split_brain_<name>`)
 * whose labels contain `labels` (e.g. `result="hit"`), when given.
 */
export function sumOf(samples: Samples, name: string, labels?: string): number {
  let total = 0;
  for (const [series, value] of samples) {
    const metric = series.split('{')[0] ?? '';
    if (metric !== name && !metric.endsWith(`_${name}`)) continue;
    if (labels && !series.includes(labels)) continue;
    total += value;
  }
  return total;
}

export async function scrape(url: string): Promise<Samples> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return parsePrometheus(await response.text());
}
