/** Pure geometry of the time chart: scales, stacking and its text alternative (drawing: `canvas-plot.ts`). */
import { colOf, type ChartData } from './chart-data';

/**
 * One point read as a row (`rowsOfData`): `t` in seconds relative to the newest sample (≤ 0),
 * `at` where known (its own time in ms since the epoch), then one value per field (null: no
 * reading). Charts draw from columns (`ChartData`); rows are for code that reads point by point.
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

/** A round number at or above `v` (1, 2, 2.5, 5 × 10^n), so axis ticks read well. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** A fixed y maximum, or one made from the data's maximum. */
export type YMax = number | ((dataMax: number) => number);

/** The highest value drawn over `data`: a line's reading, or the top of a stack of areas. */
export function stackedMax(data: ChartData, series: readonly SeriesSpec[]): number {
  const n = data.t.length;
  let max = 0;
  const bases = new Map<string, number[]>();
  for (const s of series) {
    const col = colOf(data, s.key);
    if (!col) continue;
    const stack = s.kind === 'area' && s.stack ? s.stack : null;
    let base: number[] | undefined;
    if (stack !== null) {
      base = bases.get(stack);
      if (!base) bases.set(stack, (base = new Array<number>(n).fill(0)));
    }
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v !== v) continue;
      let h = v;
      if (base) h = base[i] = base[i]! + v;
      if (h > max) max = h;
    }
  }
  return max;
}

/** The y maximum of a chart: fixed, a function of the data's maximum, or a round number above it. */
export function axisMax(dataMax: number, yMax: YMax | undefined, floor = 0): number {
  if (typeof yMax === 'number') return yMax;
  if (typeof yMax === 'function') return yMax(dataMax);
  return niceMax(Math.max(dataMax, floor));
}

/**
 * A chart's text alternative: its latest value per series over the window, e.g.
 * "last 300 s; now: user 12 %, system 3 %". A series with no reading in the window says so.
 */
export function chartSummary(
  data: ChartData,
  series: readonly SeriesSpec[],
  windowSec: number,
  exact: (v: number) => string,
): string {
  const parts = series.map((s) => {
    const col = colOf(data, s.key);
    if (col)
      for (let i = col.length - 1; i >= 0; i--) {
        const v = col[i]!;
        if (v === v) return `${s.name} ${exact(v)}`;
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
