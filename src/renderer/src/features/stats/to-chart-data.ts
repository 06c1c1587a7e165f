/** Turns samples into rows recharts draws: one row per tick, one key per core. */
import type { StatsSample } from '../../../../shared/contract';

export interface CpuRow {
  /** seconds relative to the newest sample (negative = past) */
  t: number;
  total: number | null;
  [core: `c${number}`]: number | null;
}

/** Rows over the last `windowMs`; a gap in time (a missed tick) becomes a null row so lines break. */
export function toCpuRows(history: readonly StatsSample[], windowMs: number, intervalMs: number): CpuRow[] {
  const last = history.at(-1);
  if (!last) return [];
  const from = last.t - windowMs;
  const rows: CpuRow[] = [];
  let prevT: number | null = null;
  for (const s of history) {
    if (s.t < from) continue;
    if (prevT !== null && s.t - prevT > intervalMs * 2.5) {
      rows.push({ t: (prevT + intervalMs - last.t) / 1000, total: null });
    }
    const row: CpuRow = { t: (s.t - last.t) / 1000, total: round(s.cpu.total.busy) };
    s.cpu.cores.forEach((c, i) => (row[`c${i}`] = round(c.busy)));
    rows.push(row);
    prevT = s.t;
  }
  return rows;
}

const round = (v: number): number => Math.round(v * 10) / 10;
