/** Per-process families (a bounded selection) and per managed process families. */
import { constants } from 'node:os';
import type { Registry } from 'prom-client';
import type { ManagedStatus } from '../../../shared/contract/supervisor';
import type { ProcRow } from '../../../shared/contract';
import { family, type Value } from './family';
import { selectRows, type ProcessSelection } from './selection';
import type { Tallies } from './tallies';

/** What one scrape sees of the processes: read once, shared by every family of that scrape. */
export interface ProcessFrame {
  table: ReadonlyMap<string, ProcRow>;
  managed: ManagedStatus[];
  /** The selection's rows (managed stages, then the busiest). */
  rows: ProcRow[];
}

/** Build a frame: the managed list once, the selection from the sampler's own top list. */
export function processFrame(
  table: ReadonlyMap<string, ProcRow>,
  managed: ManagedStatus[],
  t: Tallies,
  selection: ProcessSelection,
  samplerTopN: number,
): ProcessFrame {
  const keys = managed.flatMap((m) => m.procKeys);
  const rows = t.latest ? selectRows(selection, table, t.top, samplerTopN, keys) : [];
  return { table, managed, rows };
}

/** Exit code as a shell reports it: the code, or 128 + the signal's number. */
export function exitCodeOf(exit: { code: number | null; signal: string | null }): number | null {
  if (exit.code !== null) return exit.code;
  const n = exit.signal ? (constants.signals as Record<string, number>)[exit.signal] : undefined;
  return n === undefined ? null : 128 + n;
}

/** Register `spindle_process_*` (the selection's rows) and `spindle_managed_*`. */
export function registerProcesses(reg: Registry, t: Tallies, frame: () => ProcessFrame): void {
  const perRow = (f: (r: ProcRow) => number | null) =>
    function* (): Generator<Value> {
      for (const r of frame().rows) {
        const v = f(r);
        if (v !== null) yield { labels: { pid: r.pid, name: r.name }, value: v };
      }
    };
  family(
    reg,
    'gauge',
    'spindle_process_cpu_usage_ratio',
    'CPU in use over the last sample interval, in cores (1 = one core busy); top N by CPU plus managed.',
    perRow((r) => Math.round(r.cpu * 10) / 1000),
  );
  family(
    reg,
    'gauge',
    'spindle_process_resident_memory_bytes',
    'Resident memory, bytes; top N by CPU plus managed.',
    perRow((r) => r.rss),
  );
  family(
    reg,
    'gauge',
    'spindle_process_threads',
    'Threads; top N by CPU plus managed.',
    perRow((r) => r.threads),
  );

  const perManaged = (f: (m: ManagedStatus, rows: ProcRow[]) => number | null) =>
    function* (): Generator<Value> {
      const { table, managed } = frame();
      for (const m of managed) {
        const rows = m.procKeys.map((k) => table.get(k)).filter((r): r is ProcRow => r !== undefined);
        const v = f(m, rows);
        if (v !== null) yield { labels: { id: m.id, name: m.definition.name }, value: v };
      }
    };
  const sum = (rows: ProcRow[], f: (r: ProcRow) => number | null): number =>
    rows.reduce((a, r) => a + (f(r) ?? 0), 0);
  family(
    reg,
    'gauge',
    'spindle_managed_up',
    '1 while the managed process runs, else 0.',
    perManaged((m) => (m.state === 'running' ? 1 : 0)),
  );
  family(
    reg,
    'counter',
    'spindle_managed_restarts_total',
    'Restarts of the managed process.',
    perManaged((m) => m.restarts),
  );
  family(
    reg,
    'gauge',
    'spindle_managed_last_exit_code',
    'Exit status of its last run (128 + signal number when a signal ended it); absent before the first exit.',
    perManaged((m) => (m.lastExit ? exitCodeOf(m.lastExit) : null)),
  );
  family(
    reg,
    'counter',
    'spindle_managed_cpu_seconds_total',
    'CPU time of its stages, across runs, since the metrics started, seconds.',
    perManaged((m) => t.managedCpu.get(m.id) ?? 0),
  );
  family(
    reg,
    'gauge',
    'spindle_managed_resident_memory_bytes',
    'Resident memory of its live stages, bytes.',
    perManaged((_m, rows) => sum(rows, (r) => r.rss)),
  );
  family(
    reg,
    'gauge',
    'spindle_managed_threads',
    'Threads of its live stages.',
    perManaged((_m, rows) => sum(rows, (r) => r.threads)),
  );
}
