/**
 * The views' hooks on the stats store: a frame is what a view draws from. Every chart reads
 * the one history the store keeps, through a named column window cut once per tick.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { HistoryWindow, ProcRow, StatsSample } from '../../../../shared/contract';
import type { ColumnNames, StatsHistory } from '../../../../shared/stats/stats-history';
import type { FrameStore } from '../../lib/frame-store';
import type { StatsState } from './stats-store';
import type { ProcTableView } from './table-view';

/** What the views draw: the latest sample, history columns over the chosen window, the process table. */
export interface StatsFrame {
  seq: number;
  latest: StatsSample | null;
  intervalMs: number;
  /** The named columns over the window asked for (fresh arrays: safe to keep when paused). */
  history: HistoryWindow;
  /** The process table now, keyed by ProcRow key (a new Map whenever it changes). */
  rows: ReadonlyMap<string, ProcRow>;
  /** Keys of the busiest processes this tick. */
  top: readonly string[];
}

/** Columns to cut for a machine of `cores` cores. */
export type ColumnPicker = (cores: number) => ColumnNames;

/** Subscribe to the store and cut the named columns over `windowMs` (once per tick and window). */
export function useStatsFrame(
  store: FrameStore<StatsState>,
  windowMs: number,
  pick: ColumnPicker,
): StatsFrame {
  const state = useSyncExternalStore(store.subscribe, store.get);
  return useMemo(() => frameOf(state, windowMs, pick), [state, windowMs, pick]);
}

/** The frame of a state (also what a pause keeps, cut over the longest window). */
export function frameOf(state: StatsState, windowMs: number, pick: ColumnPicker): StatsFrame {
  const cores = state.latest?.cpu.cores.length ?? 0;
  return {
    seq: state.seq,
    latest: state.latest,
    intervalMs: state.intervalMs,
    history: state.history.window(windowMs, pick(cores)),
    rows: state.procs,
    top: state.top,
  };
}

/** The table side (no history cut): what the process table re-renders on. */
export interface ProcTable {
  seq: number;
  latest: StatsSample | null;
  intervalMs: number;
  /** The live table; `changedSince` lets the table's sort redo only what a tick changed. */
  rows: ProcTableView;
  top: readonly string[];
  /** The store's history, mutated in place each tick: cut it per `seq` (`window(ms, names)`). */
  history: StatsHistory;
}

/** Subscribe to the process table. */
export function useProcTable(store: FrameStore<StatsState>): ProcTable {
  const state = useSyncExternalStore(store.subscribe, store.get);
  return useMemo(
    () => ({
      seq: state.seq,
      latest: state.latest,
      intervalMs: state.intervalMs,
      rows: state.procs,
      top: state.top,
      history: state.history,
    }),
    [state],
  );
}
