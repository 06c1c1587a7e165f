/**
 * A metric family whose values are read at scrape time: prom-client's metric interface
 * (`name`, `help`, `type`, `get()`), registered in a private Registry that formats and escapes
 * the text. Nothing is stored between scrapes, so a series that has no reading is absent (a
 * gap), never a stale value or a zero; and no label hashing is done per value, as
 * prom-client's Gauge would (it keeps every label set it was ever given until reset).
 */
import type { Metric, Registry } from 'prom-client';

export type Labels = Record<string, string | number>;

/** One sample line: `metricName` only for histogram parts (`_bucket`, `_sum`, `_count`). */
export interface Value {
  value: number;
  labels: Labels;
  metricName?: string;
}

type Kind = 'counter' | 'gauge' | 'histogram';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A family registered in `registry`; `read` is called once per scrape. */
export function family(
  registry: Registry,
  type: Kind,
  name: string,
  help: string,
  read: () => Iterable<Value>,
): void {
  if (!NAME.test(name)) throw new Error(`bad metric name ${name}`);
  if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: () => Promise.resolve({ name, help, type, aggregator: 'sum', values: [...read()] }),
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}

/** Shorthand for a family with one unlabelled value, absent while `read` gives null. */
export function single(
  registry: Registry,
  type: Kind,
  name: string,
  help: string,
  read: () => number | null | undefined,
): void {
  family(registry, type, name, help, function* () {
    const v = read();
    if (v !== null && v !== undefined && Number.isFinite(v)) yield { value: v, labels: {} };
  });
}

/** Histogram bounds shared by every duration histogram here, seconds (Prometheus' defaults, widened). */
export const DURATION_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
] as const;

/** A histogram's lines: cumulative `_bucket`s with `le`, `+Inf`, `_sum` and `_count`. */
export function* histogramValues(
  name: string,
  labels: Labels,
  cumulative: readonly number[],
  count: number,
  sum: number,
): Generator<Value> {
  for (let i = 0; i < DURATION_BUCKETS_S.length; i++) {
    yield {
      metricName: `${name}_bucket`,
      labels: { ...labels, le: DURATION_BUCKETS_S[i]! },
      value: cumulative[i]!,
    };
  }
  yield { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count };
  yield { metricName: `${name}_sum`, labels, value: sum };
  yield { metricName: `${name}_count`, labels, value: count };
}
