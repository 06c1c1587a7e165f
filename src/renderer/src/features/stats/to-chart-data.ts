/** Turns history columns into rows recharts draws: one row per tick, one key per series. */
import type { HistoryWindow, SeriesName } from '../../../../shared/contract';

/** One chart row: `t` in seconds relative to the newest sample, then one value per key (null = gap). */
export type ChartRow = { t: number } & Record<string, number | null>;

/**
 * Rows over the last `windowMs` for the named series, renamed by `keys` (chart key → series).
 * A missed tick (a time gap over 2.5 intervals) becomes a null row so lines break there.
 */
export function toChartData(
  win: HistoryWindow,
  keys: Record<string, SeriesName>,
  windowMs: number,
  intervalMs: number,
): ChartRow[] {
  const last = win.t.at(-1);
  if (last === undefined) return [];
  const from = last - windowMs;
  const rows: ChartRow[] = [];
  const entries = Object.entries(keys);
  let prevT: number | null = null;
  for (let i = 0; i < win.t.length; i++) {
    const t = win.t[i]!;
    if (t < from) continue;
    if (prevT !== null && t - prevT > intervalMs * 2.5) {
      const gap: ChartRow = { t: (prevT + intervalMs - last) / 1000 };
      for (const [k] of entries) gap[k] = null;
      rows.push(gap);
    }
    const row: ChartRow = { t: (t - last) / 1000 };
    for (const [k, name] of entries) {
      const v = win.series[name]?.[i];
      row[k] = v == null ? null : round(v);
    }
    rows.push(row);
    prevT = t;
  }
  return rows;
}

/** Chart keys `total`, `c0`, `c1`… for busy % of the whole machine and each core. */
export function cpuBusyKeys(cores: number): Record<string, SeriesName> {
  const keys: Record<string, SeriesName> = { total: 'cpu.busy' };
  for (let i = 0; i < cores; i++) keys[`c${i}`] = `cpu${i}.busy`;
  return keys;
}

const round = (v: number): number => Math.round(v * 10) / 10;
