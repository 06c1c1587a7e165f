/**
 * The converters every chart reads the stats history through: a named column window (see
 * `StatsHistory.window`) in, the points a chart draws (as columns, or as rows) or the per-core matrix the heat strip
 * paints out. Pure: unit tests feed literal arrays.
 */
import type { HistoryWindow, SeriesName } from '../../../shared/contract';
import type { ChartData } from './chart-data';
import { round } from './format';

/** Series of processes summed by `sumProcs`: `proc.cpu` (%), `proc.rss` (bytes), `proc.threads`. */
export type ProcSeriesName = `proc.${'cpu' | 'rss' | 'threads'}`;

/** Columns over one time axis: a history window, or processes summed by `sumProcs`. */
export interface Columns {
  t: readonly number[];
  series: Partial<Record<SeriesName | ProcSeriesName, readonly (number | null)[]>>;
}

/** A field drawn from a series, optionally scaled (e.g. bytes → GiB). */
export interface FieldSpec {
  key: string;
  series: SeriesName | ProcSeriesName;
  scale?: number;
}

/**
 * The series of `keys` summed per tick (a pipeline's stages, or one process), as columns
 * named `proc.*`, from their first reading on; null where none of them has a reading.
 */
export function sumProcs(win: HistoryWindow, keys: readonly string[]): Columns {
  const n = win.t.length;
  const cpu: (number | null)[] = new Array<number | null>(n).fill(null);
  const rss: (number | null)[] = new Array<number | null>(n).fill(null);
  const threads: (number | null)[] = new Array<number | null>(n).fill(null);
  const add = (out: (number | null)[], col: readonly (number | null)[], i: number): void => {
    const v = col[i];
    if (v != null) out[i] = (out[i] ?? 0) + v;
  };
  for (const key of keys) {
    const p = win.procs[key];
    if (!p) continue;
    for (let i = 0; i < n; i++) {
      add(cpu, p.cpu, i);
      add(rss, p.rss, i);
      add(threads, p.threads, i);
    }
  }
  // Ticks before the first reading (before core tracked them) are not history: left out.
  let first = 0;
  while (first < n && cpu[first] === null && rss[first] === null) first++;
  if (first === 0) return { t: win.t, series: { 'proc.cpu': cpu, 'proc.rss': rss, 'proc.threads': threads } };
  return {
    t: win.t.slice(first),
    series: {
      'proc.cpu': cpu.slice(first),
      'proc.rss': rss.slice(first),
      'proc.threads': threads.slice(first),
    },
  };
}

/** A time step more than this many typical intervals wide is a gap: the line breaks there. */
const GAP_FACTOR = 2.5;

/** Median step of the time axis, ms (robust against one long pause). */
export function typicalStep(t: readonly number[]): number {
  if (t.length < 2) return 1000;
  const steps: number[] = [];
  for (let i = Math.max(1, t.length - 64); i < t.length; i++) steps.push(t[i]! - t[i - 1]!);
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1]! || 1000;
}

/** Index of the first time at or after `from` (binary search; t ascends). */
export function firstIndexFrom(t: readonly number[], from: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Most rows a chart gets: more points than pixels only costs render and paint time. */
export const MAX_CHART_POINTS = 300;

/**
 * The points over the last `windowMs`, as columns; a missing tick inserts a point of no
 * readings so lines break instead of bridging. When the window holds more than `maxPoints`
 * sample intervals, samples are averaged into buckets of k intervals (k as small as fits), so
 * a 10-minute window at 1 Hz draws 2-second means. Buckets are cut on fixed multiples of their
 * width, not counted from the window's start: a bucket's mean, once later samples exist, never
 * changes as the window moves on, so the chart redraws only its newest part (see
 * `canvas-plot.ts`). Values are rounded to 0.001, times to 0.1 s.
 */
export function toColumns(
  win: Columns,
  fields: readonly FieldSpec[],
  windowMs: number,
  maxPoints = MAX_CHART_POINTS,
): ChartData {
  const { t } = win;
  const last = t.at(-1);
  if (last === undefined) return { t: [], at: [], cols: emptyCols(fields) };
  const step = typicalStep(t);
  // The interval to 0.1 s, so that jitter in the measured step cannot move bucket edges.
  const grid = Math.max(100, Math.round(step / 100) * 100);
  const k = Math.max(1, Math.ceil(windowMs / grid / maxPoints));
  const bucketMs = k * grid;
  const src = fields.map((f) => win.series[f.series]);
  const scales = fields.map((f) => f.scale ?? 1);
  const start = firstIndexFrom(t, last - windowMs);
  const outT: number[] = [];
  const outAt: number[] = [];
  const out = fields.map((): number[] => []);
  const sums = new Array<number>(fields.length).fill(0);
  const counts = new Array<number>(fields.length).fill(0);
  let n = 0;
  let tSum = 0;
  let bucket = NaN;
  const flush = (): void => {
    if (n === 0) return;
    const at = Math.round(tSum / n);
    // round(…, 1) and round(…, 3) written out: this runs per point per chart every tick.
    outT.push(Math.round(((at - last) / 1000) * 10) / 10);
    outAt.push(at);
    for (let j = 0; j < out.length; j++) {
      const c = counts[j]!;
      out[j]!.push(c ? Math.round((sums[j]! / c) * scales[j]! * 1000) / 1000 : NaN);
    }
    sums.fill(0);
    counts.fill(0);
    n = 0;
    tSum = 0;
  };
  for (let i = start; i < t.length; i++) {
    const ti = t[i]!;
    const prev = t[i - 1];
    if (prev !== undefined && ti - prev > step * GAP_FACTOR && (outT.length > 0 || n > 0)) {
      flush();
      outT.push(round((prev + step - last) / 1000, 1));
      outAt.push(prev + step);
      for (const col of out) col.push(NaN);
    }
    if (k > 1) {
      const b = Math.floor(ti / bucketMs);
      if (b !== bucket) flush();
      bucket = b;
    }
    for (let j = 0; j < src.length; j++) {
      const v = src[j]?.[i];
      if (v == null || Number.isNaN(v)) continue;
      sums[j] = sums[j]! + v;
      counts[j] = counts[j]! + 1;
    }
    tSum += ti;
    n++;
    if (k === 1) flush();
  }
  flush();
  const cols: Record<string, number[]> = {};
  fields.forEach((f, j) => (cols[f.key] = out[j]!));
  return { t: outT, at: outAt, cols };
}

const emptyCols = (fields: readonly FieldSpec[]): Record<string, number[]> =>
  Object.fromEntries(fields.map((f) => [f.key, []]));

/** The CPU split drawn stacked, per core or for the total; "other" is nice + irq + softirq. */
export const CPU_PARTS = ['user', 'system', 'iowait', 'steal'] as const;

/** Fields of the stacked CPU chart of core `core` (or the total when core is null). */
export function cpuFields(core: number | null): FieldSpec[] {
  const p = core === null ? 'cpu' : `cpu${core}`;
  return CPU_PARTS.map((part) => ({ key: part, series: `${p}.${part}` as SeriesName }));
}

/** Names of the per-core busy % series of a machine with `cores` cores. */
export function coreBusySeries(cores: number): SeriesName[] {
  return Array.from({ length: cores }, (_, i) => `cpu${i}.busy` as const);
}

/** How many cores the window has series for. */
export function coreCount(win: HistoryWindow): number {
  let n = 0;
  while (win.series[`cpu${n}.busy` as SeriesName]) n++;
  return n;
}

/**
 * Busy % per core per time bucket for the heat strip: `cols` buckets over the window, each
 * the mean of the samples in it; NaN where a bucket has no sample (drawn as a gap).
 */
export function coreMatrix(win: HistoryWindow, cores: number, windowMs: number, cols: number): Float32Array {
  const out = new Float32Array(cores * cols).fill(NaN);
  const last = win.t.at(-1);
  if (last === undefined || cols <= 0) return out;
  const from = last - windowMs;
  const start = firstIndexFrom(win.t, from);
  const sums = new Float64Array(cols);
  const counts = new Uint16Array(cols);
  // A sample's bucket is the same for every core: computed once, not once per core (64×).
  const n = win.t.length - start;
  const bucket = new Int32Array(n);
  for (let i = 0; i < n; i++)
    bucket[i] = Math.min(cols - 1, Math.floor(((win.t[start + i]! - from) / windowMs) * cols));
  for (let c = 0; c < cores; c++) {
    const col = win.series[`cpu${c}.busy` as SeriesName];
    if (!col) continue;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const v = col[start + i];
      if (v == null || Number.isNaN(v)) continue;
      const b = bucket[i]!;
      sums[b] = sums[b]! + v;
      counts[b] = counts[b]! + 1;
    }
    for (let b = 0; b < cols; b++) if (counts[b]) out[c * cols + b] = sums[b]! / counts[b]!;
  }
  return out;
}

/** Spindle's own CPU as % of one core, from CPU ms per tick and the tick length. */
export function selfCpuPct(processCpuMs: number, intervalMs: number): number {
  return intervalMs > 0 ? round((100 * processCpuMs) / intervalMs, 1) : 0;
}
