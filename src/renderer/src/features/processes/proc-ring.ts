/**
 * CPU and memory history of the selected process, kept client-side: the store only keeps
 * series for the busiest processes, so a quiet selected one gets its own small ring,
 * seeded from the store's series when it has one.
 */
import type { ProcSeries } from '../../../../shared/contract';
import type { ChartRow } from '../../lib/chart-geometry';

/** Points kept: 10 minutes at 1 Hz. */
export const PROC_RING_MAX = 600;

export class ProcRing {
  readonly key: string;
  #t: number[] = [];
  #cpu: (number | null)[] = [];
  #rss: (number | null)[] = [];

  constructor(key: string) {
    this.key = key;
  }

  /** Start from the store's series (aligned to `t`), if it tracked this process. */
  seed(t: readonly number[], s: ProcSeries | undefined): void {
    if (!s) return;
    for (let i = 0; i < t.length; i++) if (s.cpu[i] != null) this.push(t[i]!, s.cpu[i]!, s.rss[i] ?? null);
  }

  /** Add a reading; a time not after the last one is ignored (the same tick seen twice). */
  push(t: number, cpu: number | null, rss: number | null): void {
    if (this.#t.length && t <= this.#t.at(-1)!) return;
    this.#t.push(t);
    this.#cpu.push(cpu);
    this.#rss.push(rss);
    if (this.#t.length > PROC_RING_MAX) {
      this.#t.shift();
      this.#cpu.shift();
      this.#rss.shift();
    }
  }

  get length(): number {
    return this.#t.length;
  }

  /** Rows for a chart: seconds relative to the newest reading, rss in MiB. */
  rows(): ChartRow[] {
    const last = this.#t.at(-1) ?? 0;
    return this.#t.map((t, i) => ({
      t: Math.round((t - last) / 100) / 10,
      cpu: this.#cpu[i] ?? null,
      rss: this.#rss[i] == null ? null : Math.round((this.#rss[i]! / 1024 ** 2) * 10) / 10,
    }));
  }
}
