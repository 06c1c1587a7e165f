/**
 * A chart's points as columns over one time axis: what the time chart draws from. Columns of
 * numbers, not an object per point: a chart redrawn each tick reads every point of its window
 * in several passes (its maximum, the strip's check of what it kept, the newest paths), and
 * arrays of numbers read with one shape where rows of per-chart keys did not. Plain arrays,
 * not typed arrays: each typed array of more than a few numbers has its own buffer outside
 * V8's heap, and dozens of those a tick cost the window's background threads more than the
 * rows did (README, Benchmarks).
 */
import type { ChartRow } from './chart-geometry';

/** One number per point. */
export type Column = readonly number[];

export interface ChartData {
  /** Seconds before the newest point (≤ 0), one per point, ascending. */
  t: Column;
  /** Each point's own time, ms since the epoch; null when only relative times are known. */
  at: Column | null;
  /** One column per field key, as long as `t`; NaN where there is no reading. */
  cols: Readonly<Record<string, Column>>;
}

/** The column of `key`, or undefined when the data has none (drawn as no reading). */
export const colOf = (data: ChartData, key: string): Column | undefined => data.cols[key];

/** The value of `key` at point `i`, null where there is no reading. */
export function valueAt(data: ChartData, key: string, i: number): number | null {
  const v = data.cols[key]?.[i];
  return v === undefined || v !== v ? null : v;
}

/** Rows as columns (a null or missing value becomes NaN); `at` only when every row has one. */
export function dataOfRows(rows: readonly ChartRow[], keys: readonly string[]): ChartData {
  const t: number[] = [];
  let at: number[] | null = rows.length > 0 ? [] : null;
  const cols: Record<string, number[]> = {};
  for (const k of keys) cols[k] = [];
  for (const r of rows) {
    t.push(r.t);
    if (at) {
      if (typeof r.at === 'number') at.push(r.at);
      else at = null;
    }
    for (const k of keys) {
      const v = r[k];
      cols[k]!.push(typeof v === 'number' ? v : NaN);
    }
  }
  return { t, at, cols };
}

/** Columns as rows (NaN becomes null), each with `t` and, where known, `at`. */
export function rowsOfData(data: ChartData, keys: readonly string[]): ChartRow[] {
  const rows: ChartRow[] = [];
  for (let i = 0; i < data.t.length; i++) {
    const row: ChartRow = data.at ? { t: data.t[i]!, at: data.at[i]! } : { t: data.t[i]! };
    for (const k of keys) row[k] = valueAt(data, k, i);
    rows.push(row);
  }
  return rows;
}
