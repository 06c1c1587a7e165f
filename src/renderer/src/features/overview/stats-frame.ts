/**
 * The one seam between the stats store (owned by the sampler area) and the overview and
 * processes views: a frame is what the views draw from. Only this file knows the store's
 * shape, so a change there is one edit here.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { HistoryWindow, ProcRow, StatsSample } from '../../../../shared/contract';
import type { FrameStore } from '../../lib/frame-store';
import type { StatsState } from '../stats/stats-store';
import { FrameColumns } from './frame-columns';

/** What the views draw: the latest sample, history columns over the chosen window, the process table. */
export interface StatsFrame {
  seq: number;
  latest: StatsSample | null;
  intervalMs: number;
  /** History over the window asked for (fresh arrays: safe to keep when paused). */
  history: HistoryWindow;
  /** The process table now, keyed by ProcRow key (a new Map whenever it changes). */
  rows: ReadonlyMap<string, ProcRow>;
  /** Keys of the busiest processes this tick. */
  top: readonly string[];
}

/** Longest window the overview offers: the columns it keeps. */
const MAX_WINDOW_MS = 10 * 60_000;
const columnsOf = new WeakMap<object, FrameColumns>();

/** The overview's columns for a store, kept in step with it (see frame-columns.ts). */
export function overviewColumns(store: FrameStore<StatsState>): FrameColumns {
  let cols = columnsOf.get(store);
  if (!cols) columnsOf.set(store, (cols = new FrameColumns(MAX_WINDOW_MS)));
  cols.sync(store.get());
  return cols;
}

/** Subscribe to the store and cut the history window (once per tick and window size). */
export function useStatsFrame(store: FrameStore<StatsState>, windowMs: number): StatsFrame {
  const state = useSyncExternalStore(store.subscribe, store.get);
  return useMemo(() => {
    const cols = overviewColumns(store);
    return {
      seq: state.seq,
      latest: state.latest,
      intervalMs: state.intervalMs,
      history: cols.window(windowMs),
      rows: state.procs,
      top: state.top,
    };
  }, [store, state, windowMs]);
}

/** The table side only (no history cut): what the process table re-renders on. */
export function useProcTable(store: FrameStore<StatsState>): Pick<
  StatsFrame,
  'seq' | 'latest' | 'rows' | 'top' | 'intervalMs'
> & {
  /** Per-process series the store keeps (the top processes), over `windowMs`. */
  procHistory: (windowMs: number) => HistoryWindow;
} {
  const state = useSyncExternalStore(store.subscribe, store.get);
  return useMemo(
    () => ({
      seq: state.seq,
      latest: state.latest,
      intervalMs: state.intervalMs,
      rows: state.procs,
      top: state.top,
      procHistory: (ms: number) => state.history.window(ms),
    }),
    [state],
  );
}
