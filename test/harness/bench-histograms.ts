/** One Prometheus histogram series read from a /metrics page (seconds), to report in milliseconds. */
export interface HistogramSnapshot {
  /** [upper bound, cumulative count], ascending. */
  readonly buckets: readonly (readonly [number, number])[];
  readonly sum: number;
  readonly count: number;
}

const empty: HistogramSnapshot = { buckets: [], sum: 0, count: 0 };

/** The series `name` whose labels include `labels`, from the text exposition format. */
export function histogramOf(
  metrics: string,
  name: string,
  labels: Readonly<Record<string, string>>,
): HistogramSnapshot {
  const buckets: [number, number][] = [];
  let sum = 0;
  let count = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const [, series = '', labelText = '', value = '0'] = match;
    const parsed = Object.fromEntries(
      [...labelText.matchAll(/(\w+)="([^"]*)"/g)].map(([, key = '', text = '']) => [key, text]),
    );
    if (!Object.entries(labels).every(([key, text]) => parsed[key] === text)) continue;
    if (series === `${name}_bucket`) {
      const le = parsed['le'] === '+Inf' ? Infinity : Number(parsed['le']);
      buckets.push([le, Number(value)]);
    } else if (series === `${name}_sum`) sum = Number(value);
    else if (series === `${name}_count`) count = Number(value);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  return { buckets, sum, count };
}

/** What was observed between two snapshots of one series. */
export function since(after: HistogramSnapshot, before: HistogramSnapshot = empty): HistogramSnapshot {
  return {
    buckets: after.buckets.map(([le, n]) => [le, n - (before.buckets.find(([b]) => b === le)?.[1] ?? 0)]),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** The sum of several snapshots of one series (same buckets). */
export function plus(a: HistogramSnapshot, b: HistogramSnapshot): HistogramSnapshot {
  if (a.count === 0) return b;
  return {
    buckets: a.buckets.map(([le, n]) => [le, n + (b.buckets.find(([c]) => c === le)?.[1] ?? 0)]),
    sum: a.sum + b.sum,
    count: a.count + b.count,
  };
}

/** The q-quantile in ms, interpolated linearly within its bucket (as Prometheus' histogram_quantile). */
export function quantileMs(histogram: HistogramSnapshot, q: number): number {
  const rank = q * histogram.count;
  let lower = 0;
  let below = 0;
  for (const [le, cumulative] of histogram.buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return lower * 1000;
      const inBucket = cumulative - below;
      return (lower + (le - lower) * (inBucket === 0 ? 0 : (rank - below) / inBucket)) * 1000;
    }
    lower = le;
    below = cumulative;
  }
  return lower * 1000;
}

/** "n 20, mean 3.1 ms, p50 ~2.4, p99 ~9.6" */
export function summary(histogram: HistogramSnapshot): string {
  if (histogram.count === 0) return 'n 0';
  const mean = (histogram.sum / histogram.count) * 1000;
  return `n ${histogram.count}, mean ${mean.toFixed(1)} ms, p50 ~${quantileMs(histogram, 0.5).toFixed(1)}, p99 ~${quantileMs(histogram, 0.99).toFixed(1)}`;
}
