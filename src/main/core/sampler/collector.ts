/** What a collector returns each tick, before the worker adds its own cost and a sequence number. */
import type { CpuPct, LoadAvg, MemStats, ProcRow, TaskStats } from '../../../shared/contract';

/** One reading of the machine: rates already computed against the previous reading. */
export interface Collected {
  t: number;
  cpu: { total: CpuPct; cores: CpuPct[] };
  load: LoadAvg | null;
  mem: MemStats | null;
  tasks: TaskStats;
  rows: ProcRow[];
}

/** A source of readings (procfs on Linux, systeminformation elsewhere). */
export interface Collector {
  readonly source: 'procfs' | 'systeminformation';
  /** Take a reading. `focus` names rows read in full this tick even when nothing in them ran. */
  collect(focus: ReadonlySet<string>): Collected | Promise<Collected>;
}

/** Round to one decimal: small enough for the eye, and keeps jitter from bloating deltas. */
export const round1 = (v: number): number => Math.round(v * 10) / 10;
/** Round to two decimals. */
export const round2 = (v: number): number => Math.round(v * 100) / 100;
