/** Pure geometry of the time chart: scales, stacking, and SVG path strings with breaks at gaps. */
import type { ChartRow } from './overview-data';

export type { ChartRow } from './overview-data';

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
  d: string;
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
}

/**
 * `v` rounded to 0.1 as text, the same as `(Math.round(v * 10) / 10).toString()` but with
 * integer conversions only: printing fractional doubles was most of the path building.
 */
const f1 = (v: number): string => {
  const r = Math.round(v * 10);
  const m = r % 10;
  if (m === 0) return String(r / 10);
  const q = (r - m) / 10;
  return m > 0 ? `${q}.${m}` : q === 0 ? `-0.${-m}` : `${q}.${-m}`;
};

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
    rows.forEach((r, i) => {
      const v = r[s.key];
      const b = base ? base[i]! : 0;
      low[i] = b;
      if (typeof v !== 'number') return;
      high[i] = b + v;
      if (base) base[i] = b + v;
      if (high[i]! > dataMax) dataMax = high[i]!;
    });
    lows.push(low);
    highs.push(high);
  }
  const max =
    typeof o.yMax === 'number'
      ? o.yMax
      : typeof o.yMax === 'function'
        ? o.yMax(dataMax)
        : niceMax(Math.max(dataMax, o.floor ?? 0));
  const x = (t: number): string => f1(((t + o.windowSec) / o.windowSec) * o.plotW);
  const y = (v: number): string => f1(o.plotH - (Math.min(v, max) / (max || 1)) * o.plotH);
  const paths = series.map((s, j) => {
    const area = s.kind === 'area';
    const high = highs[j]!;
    const low = lows[j]!;
    let d = '';
    let seg: number[] = [];
    const flush = (): void => {
      if (seg.length === 0) return;
      d += `M${x(rows[seg[0]!]!.t)},${y(high[seg[0]!]!)}`;
      for (let k = 1; k < seg.length; k++) d += `L${x(rows[seg[k]!]!.t)},${y(high[seg[k]!]!)}`;
      if (area) {
        for (let k = seg.length - 1; k >= 0; k--) d += `L${x(rows[seg[k]!]!.t)},${y(low[seg[k]!]!)}`;
        d += 'Z';
      }
      seg = [];
    };
    for (let i = 0; i < rows.length; i++) {
      if (Number.isNaN(high[i]!)) flush();
      else seg.push(i);
    }
    flush();
    return { key: s.key, color: s.color, area, d };
  });
  return { max, paths };
}
