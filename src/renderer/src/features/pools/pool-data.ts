/** Pure conversions from pool history to what the charts and tables draw. */
import type { HistoryWindow, LabRow, PoolHistory } from '../../../../shared/contract';

export interface BacklogRow {
  /** seconds relative to the newest point (negative = past) */
  t: number;
  queued: number;
  active: number;
  throughput: number;
  failRate: number;
}

/** Rows over the last `windowMs` of one pool's history. */
export function toBacklogRows(h: PoolHistory, windowMs: number): BacklogRow[] {
  const last = h.t.at(-1);
  if (last === undefined) return [];
  const rows: BacklogRow[] = [];
  for (let k = 0; k < h.t.length; k++) {
    const t = h.t[k]!;
    if (t < last - windowMs) continue;
    rows.push({
      t: (t - last) / 1000,
      queued: h.queued[k]!,
      active: h.active[k]!,
      throughput: h.throughput[k]!,
      failRate: h.failRate[k]!,
    });
  }
  return rows;
}

export interface CoreRow {
  t: number;
  [core: `c${number}`]: number | null;
}

/** Per-core busy % from the stats history, on the same clock as `now` (the newest pools tick). */
export function toCoreRows(win: HistoryWindow, cores: number, now: number, windowMs: number): CoreRow[] {
  const rows: CoreRow[] = [];
  win.t.forEach((t, k) => {
    if (t < now - windowMs || t > now + 2000) return;
    const row: CoreRow = { t: (t - now) / 1000 };
    for (let i = 0; i < cores; i++) {
      const v = win.series[`cpu${i}.busy`]?.[k];
      row[`c${i}`] = v === null || v === undefined ? null : Math.round(v * 10) / 10;
    }
    rows.push(row);
  });
  return rows;
}

export interface LabChartRow {
  workers: number;
  ideal: number;
  threads?: number;
  processes?: number;
}

/** Speed-up against workers per mode, with the ideal (linear) line. */
export function toLabRows(rows: readonly LabRow[]): LabChartRow[] {
  const max = Math.max(0, ...rows.map((r) => r.workers));
  const out: LabChartRow[] = [];
  for (let n = 1; n <= max; n++) {
    const row: LabChartRow = { workers: n, ideal: n };
    for (const r of rows) if (r.workers === n && r.mode !== 'serial') row[r.mode] = r.speedup;
    out.push(row);
  }
  return out;
}

/**
 * The lab chart's text alternative: each pool's speed-up at 1..N workers beside the ideal
 * (— where a mode has no run at that count yet).
 */
export function labSummary(chart: readonly LabChartRow[]): string {
  if (!chart.length) return 'Speed-up over serial: no runs yet';
  const list = (mode: 'threads' | 'processes'): string =>
    chart.map((r) => (r[mode] === undefined ? '—' : `${r[mode].toFixed(2)}×`)).join(', ');
  return (
    `Speed-up over serial at 1..${chart.length} workers: thread pool ${list('threads')}; ` +
    `process pool ${list('processes')}; ideal ${chart.map((r) => `${r.ideal}×`).join(', ')}`
  );
}

/** The lab table as CSV (header + one line per row). */
export function labCsv(rows: readonly LabRow[]): string {
  return (
    [
      'mode,workers,elapsedMs,speedup,runs',
      ...rows.map((r) => `${r.mode},${r.workers},${r.elapsedMs},${r.speedup},${r.runs}`),
    ].join('\n') + '\n'
  );
}

/** Split a command template into argv: spaces separate, double or single quotes group. */
export function splitArgv(template: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(template); m; m = re.exec(template)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}
