/**
 * The last N latency samples of a queue (a ring), and their percentiles. Bounded by N
 * whatever the throughput: each tick adds at most SAMPLE_PER_TICK per finished state.
 */
import type { Percentiles } from '../../../shared/contract';

export class LatencyWindow {
  readonly #values: Float64Array;
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  add(values: readonly number[]): void {
    for (const v of values) {
      this.#values[this.#head] = v;
      this.#head = (this.#head + 1) % this.#values.length;
      if (this.#length < this.#values.length) this.#length++;
    }
  }

  /** Nearest-rank percentiles; null while empty. */
  percentiles(): Percentiles | null {
    if (this.#length === 0) return null;
    const sorted = this.#values.slice(0, this.#length).sort();
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: this.#length };
  }
}
