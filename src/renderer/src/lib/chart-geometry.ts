/** Pure geometry of the time chart: scales, stacking, and SVG path strings with breaks at gaps. */

/**
 * One chart row: `t` in seconds relative to the newest sample (≤ 0), then one value per field.
 * Rows made by `toRows` also carry `at`, the row's own time in ms since the epoch: it does not
 * move as time passes, so the chart can keep what it drew for old rows (see `chart-strip.ts`).
 */
export type ChartRow = { t: number; at?: number } & Record<string, number | null>;

/** One drawn series: a line, or an area (stacked with others of the same `stack`). */
export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  kind?: 'line' | 'area';
  stack?: string;
}

export interface ChartPath {
  key: string;
  color: string;
  area: boolean;
  /** A line's path, or an area's closed outline (filled, not stroked). */
  d: string;
  /** An area's upper edge alone, stroked; empty for a line. */
  top: string;
}

/** A round number at or above `v` (1, 2, 2.5, 5 × 10^n), so axis ticks read well. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

interface Opts {
  windowSec: number;
  plotW: number;
  plotH: number;
  yMax?: number | ((dataMax: number) => number);
  /** A value the axis must reach (e.g. a reference line). */
  floor?: number;
  /** A row's x in pixels; default: its `t` placed on a window ending at x = plotW. */
  x?: (row: ChartRow) => number;
}

/** Coordinates up to this many tenths of a pixel have their text cached (a 3,000 px chart). */
const TENTHS_MAX = 30_000;
/** Text of r / 10 by integer r, filled as met: the same few thousand coordinates recur every tick. */
const tenths = new Array<string | undefined>(TENTHS_MAX + 1);

/**
 * `v` rounded to 0.1 as text, the same as `(Math.round(v * 10) / 10).toString()`, but
 * printed once per value: printing fractional doubles was most of the path building.
 */
const f1 = (v: number): string => {
  const r = Math.round(v * 10);
  if (r >= 0 && r <= TENTHS_MAX) return (tenths[r] ??= String(r / 10));
  return String(r / 10);
};

/** The highest value drawn over `rows`: a line's reading, or the top of a stack of areas. */
export function stackedMax(rows: readonly ChartRow[], series: readonly SeriesSpec[]): number {
  let max = 0;
  const stacks = new Map<string, number>();
  for (const row of rows) {
    stacks.clear();
    for (const s of series) {
      const v = row[s.key];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      const stacked = s.kind === 'area' && s.stack;
      const h = stacked ? (stacks.get(s.stack!) ?? 0) + v : v;
      if (stacked) stacks.set(s.stack!, h);
      if (h > max) max = h;
    }
  }
  return max;
}

/** The y maximum of a chart: fixed, a function of the data's maximum, or a round number above it. */
export function axisMax(dataMax: number, yMax: Opts['yMax'], floor = 0): number {
  if (typeof yMax === 'number') return yMax;
  if (typeof yMax === 'function') return yMax(dataMax);
  return niceMax(Math.max(dataMax, floor));
}

/** Paths for every series over `rows` (t in seconds ≤ 0), and the y maximum used. */
export function chartPaths(
  rows: readonly ChartRow[],
  series: readonly SeriesSpec[],
  o: Opts,
): { max: number; paths: ChartPath[] } {
  // Stack bases: per row, the running total of areas of the same stack drawn so far.
  const bases = new Map<string, Float64Array>();
  const lows: Float64Array[] = [];
  const highs: Float64Array[] = [];
  let dataMax = 0;
  for (const s of series) {
    const low = new Float64Array(rows.length);
    const high = new Float64Array(rows.length).fill(NaN);
    const base =
      s.kind === 'area' && s.stack
        ? (bases.get(s.stack) ?? bases.set(s.stack, new Float64Array(rows.length)).get(s.stack)!)
        : null;
    const key = s.key;
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i]![key];
      const b = base ? base[i]! : 0;
      low[i] = b;
      if (typeof v !== 'number') continue;
      const h = b + v;
      high[i] = h;
      if (base) base[i] = h;
      if (h > dataMax) dataMax = h;
    }
    lows.push(low);
    highs.push(high);
  }
  const max = axisMax(dataMax, o.yMax, o.floor);
  const xOf = o.x;
  const x = (row: ChartRow): string => f1(xOf ? xOf(row) : ((row.t + o.windowSec) / o.windowSec) * o.plotW);
  const y = (v: number): string => f1(o.plotH - (Math.min(v, max) / (max || 1)) * o.plotH);
  // Each coordinate is printed once: x per row is shared by every series, and a stacked
  // area's lower edge is the edge printed for the area below it.
  const n = rows.length;
  const xs = new Array<string | undefined>(n);
  const xAt = (i: number): string => (xs[i] ??= x(rows[i]!));
  const stackYs = new Map<string, (string | undefined)[]>();
  const zero = y(0);
  const paths = series.map((s, j) => {
    const area = s.kind === 'area';
    const high = highs[j]!;
    const low = lows[j]!;
    const highYs = new Array<string | undefined>(n);
    for (let i = 0; i < n; i++) if (!Number.isNaN(high[i]!)) highYs[i] = y(high[i]!);
    let baseYs: (string | undefined)[] | null = null;
    if (area && s.stack) {
      baseYs = stackYs.get(s.stack) ?? new Array<string | undefined>(n);
      stackYs.set(s.stack, baseYs);
    }
    const lowAt = (i: number): string => (baseYs ? (baseYs[i] ??= y(low[i]!)) : zero);
    let d = '';
    let top = '';
    for (let i = 0; i < n;) {
      if (highYs[i] === undefined) {
        i++;
        continue;
      }
      let e = i + 1;
      while (e < n && highYs[e] !== undefined) e++;
      let edge = `M${xAt(i)},${highYs[i]}`;
      for (let k = i + 1; k < e; k++) edge += `L${xAt(k)},${highYs[k]}`;
      d += edge;
      if (area) {
        top += edge;
        for (let k = e - 1; k >= i; k--) d += `L${xAt(k)},${lowAt(k)}`;
        d += 'Z';
      }
      i = e;
    }
    if (baseYs) for (let i = 0; i < n; i++) if (highYs[i] !== undefined) baseYs[i] = highYs[i];
    return { key: s.key, color: s.color, area, d, top };
  });
  return { max, paths };
}

/**
 * A chart's text alternative: its latest value per series over the window, e.g.
 * "last 300 s; now: user 12 %, system 3 %". A series with no reading in the window says so.
 */
export function chartSummary(
  rows: ChartRow[],
  series: SeriesSpec[],
  windowSec: number,
  exact: (v: number) => string,
): string {
  const parts = series.map((s) => {
    for (let i = rows.length - 1; i >= 0; i--) {
      const v = rows[i]![s.key];
      if (typeof v === 'number' && v === v) return `${s.name} ${exact(v)}`;
    }
    return `${s.name} no data`;
  });
  return `last ${windowSec} s; latest: ${parts.join(', ')}`;
}

/** The x-axis span in seconds: the history so far, at least 30 s, at most the window. */
export function spanSeconds(t: readonly number[], windowMs: number): number {
  const first = t[0];
  const last = t.at(-1);
  if (first === undefined || last === undefined) return 30;
  return Math.min(windowMs / 1000, Math.max(30, Math.ceil((last - first) / 10_000) * 10));
}
