/**
 * Bounded history of a stats stream: machine-wide series and per-process series (cpu, rss,
 * threads) for processes of interest, all columns over one time axis. Used by core (the
 * window a subscriber gets) and by the renderer (which keeps extending it live).
 */
import type { HistoryWindow, ProcRow, ProcSeries, SeriesName, StatsSample } from '../contract/stats';
import { RingColumns } from './ring-columns';
import { eachSeries } from './series';

/** Most processes given their own series at once; the least recently interesting go first. */
export const MAX_TRACKED_PROCS = 256;

const PROC_FIELDS = ['cpu', 'rss', 'threads'] as const;
/** Column name of a process series; '|' never occurs in a key or a series name. */
const procCol = (key: string, f: (typeof PROC_FIELDS)[number]): string => `${key}|${f}`;
const colsOf = (key: string): Tracked['cols'] => [
  procCol(key, 'cpu'),
  procCol(key, 'rss'),
  procCol(key, 'threads'),
];

interface Tracked {
  name: string;
  /** Its column names, built once: a fresh string per column per tick cost a hash each. */
  cols: readonly [cpu: string, rss: string, threads: string];
  /** Time the process was last in the interest set; dropped once older than retention. */
  lastInterest: number;
}

/** The columns a window holds: machine series by name, processes (all three series) by key. */
export interface ColumnNames {
  series?: Iterable<SeriesName>;
  procs?: Iterable<string>;
}

/** Capacity (rows) that holds `retentionMs` at `intervalMs`, plus slack for jitter. */
export const capacityFor = (retentionMs: number, intervalMs: number): number =>
  Math.ceil(retentionMs / intervalMs) + 2;

export class StatsHistory {
  #ring: RingColumns;
  #retentionMs: number;
  readonly #tracked = new Map<string, Tracked>();

  constructor(retentionMs: number, intervalMs: number) {
    this.#retentionMs = retentionMs;
    this.#ring = new RingColumns(capacityFor(retentionMs, intervalMs));
  }

  /** Rebuild from a window received over the wire. */
  static fromWindow(win: HistoryWindow, retentionMs: number, intervalMs: number): StatsHistory {
    const h = new StatsHistory(retentionMs, intervalMs);
    for (let i = 0; i < win.t.length; i++) {
      const slot = h.#ring.append(win.t[i]!);
      for (const [name, col] of Object.entries(win.series)) h.#ring.set(name, slot, col?.[i] ?? null);
      for (const [key, s] of Object.entries(win.procs)) {
        for (const f of PROC_FIELDS) h.#ring.set(procCol(key, f), slot, s[f][i] ?? null);
      }
    }
    const last = win.t.at(-1) ?? 0;
    for (const [key, s] of Object.entries(win.procs))
      h.#tracked.set(key, { name: s.name, cols: colsOf(key), lastInterest: last });
    return h;
  }

  get length(): number {
    return this.#ring.length;
  }

  /** Keys with per-process series. */
  trackedKeys(): string[] {
    return [...this.#tracked.keys()];
  }

  /** New interval or retention: keeps the newest rows that still fit. */
  reconfigure(retentionMs: number, intervalMs: number): void {
    this.#retentionMs = retentionMs;
    const cap = capacityFor(retentionMs, intervalMs);
    if (cap !== this.#ring.capacity) this.#ring = this.#ring.resized(cap);
  }

  /**
   * Record one tick. `rows` is the full table after this tick; `interest` the keys wanted
   * now (selected, managed, top N). A tracked process that exited is dropped at once.
   */
  push(sample: StatsSample, rows: ReadonlyMap<string, ProcRow>, interest: Iterable<string>): void {
    const slot = this.#ring.append(sample.t);
    const ring = this.#ring;
    eachSeries(sample, (name, v) => ring.set(name, slot, v));
    for (const key of interest) {
      const row = rows.get(key);
      if (!row) continue;
      const tr = this.#tracked.get(key);
      if (tr) {
        tr.name = row.name;
        tr.lastInterest = sample.t;
      } else this.#tracked.set(key, { name: row.name, cols: colsOf(key), lastInterest: sample.t });
    }
    const stale = sample.t - this.#retentionMs;
    for (const [key, tr] of this.#tracked) {
      const row = rows.get(key);
      if (!row || tr.lastInterest < stale) {
        this.#drop(key);
        continue;
      }
      this.#ring.set(tr.cols[0], slot, row.cpu);
      this.#ring.set(tr.cols[1], slot, row.rss);
      this.#ring.set(tr.cols[2], slot, row.threads);
    }
    if (this.#tracked.size > MAX_TRACKED_PROCS) {
      const byAge = [...this.#tracked].sort((a, b) => a[1].lastInterest - b[1].lastInterest);
      for (const [key] of byAge.slice(0, this.#tracked.size - MAX_TRACKED_PROCS)) this.#drop(key);
    }
  }

  #drop(key: string): void {
    this.#tracked.delete(key);
    for (const f of PROC_FIELDS) this.#ring.delete(procCol(key, f));
  }

  /**
   * The last `windowMs` (default: the whole retention) as JSON-friendly columns: every column,
   * or only those `names` lists. A chart names what it draws: at 64 cores the history holds
   * ~700 machine columns, and cutting them all each tick cost more than drawing.
   */
  window(windowMs = this.#retentionMs, names?: ColumnNames): HistoryWindow {
    const from = this.#ring.lastTime() - windowMs;
    const cut = Number.isNaN(from) ? -Infinity : from;
    const { t, cols } = names ? this.#ring.window(cut, this.#colNames(names)) : this.#ring.window(cut);
    const series: HistoryWindow['series'] = {};
    const procs: Record<string, ProcSeries> = {};
    for (const [name, col] of cols) {
      const bar = name.indexOf('|');
      if (bar < 0) {
        series[name as SeriesName] = col;
        continue;
      }
      const key = name.slice(0, bar);
      const tr = this.#tracked.get(key);
      if (!tr) continue;
      procs[key] ??= { name: tr.name, cpu: [], rss: [], threads: [] };
      procs[key][name.slice(bar + 1) as (typeof PROC_FIELDS)[number]] = col;
    }
    return { t, series, procs };
  }

  *#colNames(names: ColumnNames): Generator<string> {
    yield* names.series ?? [];
    for (const key of names.procs ?? []) {
      const tr = this.#tracked.get(key);
      if (tr) yield* tr.cols;
    }
  }
}
