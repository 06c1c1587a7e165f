/**
 * A fixed log-bucket histogram of durations in ms (about 4% resolution from 1 µs to
 * 1 hour): constant memory however many tasks run, good enough for p50/p95/p99.
 */
import type { Percentiles } from '../../../shared/contract/pools';

const MIN = 0.001;
const STEP = Math.log(1.04);
const BUCKETS = Math.ceil(Math.log(3_600_000 / MIN) / STEP) + 1;

export class Histogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #n = 0;
  #sum = 0;

  record(ms: number): void {
    const b = ms <= MIN ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN) / STEP));
    this.#counts[b]!++;
    this.#n++;
    this.#sum += ms;
  }

  get count(): number {
    return this.#n;
  }

  /** Sum of every recorded duration, ms (a Prometheus histogram's `_sum`). */
  get sum(): number {
    return this.#sum;
  }

  /**
   * Counts at or below each bound (ms, ascending), as a Prometheus histogram's cumulative
   * buckets: a log bucket straddling a bound counts above it, so a bound is exact to 4%.
   */
  cumulative(boundsMs: readonly number[]): number[] {
    const out: number[] = [];
    let b = 0;
    let seen = 0;
    for (const bound of boundsMs) {
      while (b < BUCKETS && MIN * Math.exp(b * STEP) <= bound * (1 + 1e-9)) seen += this.#counts[b++]!;
      out.push(seen);
    }
    return out;
  }

  /** The upper edge of the bucket holding quantile q (0..1); 0 when empty. */
  quantile(q: number): number {
    if (this.#n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.#counts[b]!;
      if (seen >= rank) return MIN * Math.exp(b * STEP);
    }
    return MIN * Math.exp((BUCKETS - 1) * STEP);
  }

  percentiles(): Percentiles {
    const r = (v: number): number => Math.round(v * 1000) / 1000;
    return {
      p50: r(this.quantile(0.5)),
      p95: r(this.quantile(0.95)),
      p99: r(this.quantile(0.99)),
      n: this.#n,
    };
  }

  reset(): void {
    this.#counts.fill(0);
    this.#n = 0;
    this.#sum = 0;
  }
}
