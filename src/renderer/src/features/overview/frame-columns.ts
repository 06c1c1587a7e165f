/**
 * The overview's own copy of just the history columns it draws, extended by one sample per
 * tick. Cutting the store's whole history (ten fields per core, 64 cores: 700 columns)
 * every tick cost more than drawing; this copies the ~90 columns the charts read, and cuts
 * the store's history only on a resync or a missed tick.
 */
import type { HistoryWindow, SeriesName, StatsSample } from '../../../../shared/contract';
import { eachSeries } from '../../../../shared/stats/series';
import { CPU_PARTS, firstIndexFrom } from './overview-data';

/** Cores up to this count get their split drawn; beyond it only busy % (the heat strip). */
export const SPLIT_CORES_MAX = 16;

/** Where the columns come from: the latest sample and, on a resync, the store's history. */
export interface ColumnSource {
  seq: number;
  latest: StatsSample | null;
  history: { window(windowMs?: number): HistoryWindow };
}

/** The series the overview draws for a machine with `cores` cores. */
export function wantedSeries(cores: number): Set<string> {
  const out = new Set<string>(['cpu.busy', ...CPU_PARTS.map((p) => `cpu.${p}`)]);
  for (const k of [
    'load.one',
    'load.five',
    'load.fifteen',
    'mem.used',
    'mem.cached',
    'mem.swapUsed',
    'mem.total',
  ])
    out.add(k);
  for (const k of [
    'tasks.processes',
    'tasks.threads',
    'tasks.ctxtPerSec',
    'tasks.forksPerSec',
    'self.processCpuMs',
  ])
    out.add(k);
  for (let i = 0; i < cores; i++) {
    out.add(`cpu${i}.busy`);
    if (cores <= SPLIT_CORES_MAX) for (const p of CPU_PARTS) out.add(`cpu${i}.${p}`);
  }
  return out;
}

export class FrameColumns {
  readonly #maxMs: number;
  #seq = -1;
  #cores = -1;
  #t: number[] = [];
  #cols = new Map<string, (number | null)[]>();

  constructor(maxMs: number) {
    this.#maxMs = maxMs;
  }

  /** Catch up with the source: append the new tick, or re-cut everything after a gap or resync. */
  sync(src: ColumnSource): void {
    if (src.seq === this.#seq) return;
    const cores = src.latest?.cpu.cores.length ?? 0;
    const s = src.latest;
    if (s && src.seq === this.#seq + 1 && cores === this.#cores && (this.#t.at(-1) ?? -Infinity) < s.t)
      this.#append(s);
    else this.#reseed(src, cores);
    this.#seq = src.seq;
  }

  #append(s: StatsSample): void {
    this.#t.push(s.t);
    const cols = this.#cols;
    eachSeries(s, (name, v) => cols.get(name)?.push(v));
    // Dropping from the front is O(n) per column, but n ≤ 600 and there are ~90 columns.
    const cut = firstIndexFrom(this.#t, s.t - this.#maxMs);
    if (cut > 0) {
      this.#t.splice(0, cut);
      for (const col of this.#cols.values()) col.splice(0, cut);
    }
  }

  #reseed(src: ColumnSource, cores: number): void {
    const win = src.history.window(this.#maxMs);
    const wanted = wantedSeries(cores);
    this.#cores = cores;
    this.#t = win.t.slice();
    this.#cols = new Map();
    for (const name of wanted) {
      const col = win.series[name as SeriesName];
      this.#cols.set(name, col ? col.slice() : new Array<number | null>(win.t.length).fill(null));
    }
  }

  /** The last `windowMs` as fresh arrays (safe to keep, e.g. while paused). */
  window(windowMs: number): HistoryWindow {
    const from = firstIndexFrom(this.#t, (this.#t.at(-1) ?? 0) - windowMs);
    const series: HistoryWindow['series'] = {};
    for (const [name, col] of this.#cols) series[name as SeriesName] = col.slice(from);
    return { t: this.#t.slice(from), series, procs: {} };
  }
}
