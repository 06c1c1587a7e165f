/**
 * Keeps the stats stream: the latest sample, the full process table (rebuilt from deltas)
 * and bounded history columns. A delta that does not follow the table (a dropped event)
 * triggers a fresh `stats.subscribe`, which returns the full state again.
 */
import type { StatsConfig, StatsSample, StatsTick } from '../../../../shared/contract';
import type { ErrorValue } from '../../../../shared/result';
import { StatsHistory } from '../../../../shared/stats/stats-history';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';
import { LiveProcTable, type ProcTableView } from './table-view';

export interface StatsState {
  config: StatsConfig | null;
  intervalMs: number;
  /** Tick the table is at. */
  seq: number;
  latest: StatsSample | null;
  /**
   * Full process table by key (as large as the machine's, no more). A new object each tick,
   * reading the one table the store updates in place: rows are immutable (a changed row is a
   * new object), the table is not, so compare rows, not tables from different ticks
   * (`changedSince` says which rows a tick replaced).
   */
  procs: ProcTableView;
  /** Keys of the busiest processes this tick. */
  top: string[];
  /** Bounded history; mutated in place each tick (read it with `history.window(ms)` per render). */
  history: StatsHistory;
  /** Why the last subscribe failed (shown instead of empty views); null once it succeeds. */
  error: ErrorValue | null;
}

/** The stats store of one client. */
export function createStatsStore(client: Client): FrameStore<StatsState> {
  const table = new LiveProcTable();
  const store = new FrameStore<StatsState>({
    config: null,
    intervalMs: 1000,
    seq: 0,
    latest: null,
    procs: table.view(),
    top: [],
    history: new StatsHistory(10 * 60_000, 1000),
    error: null,
  });
  let resyncing = false;
  const subscribe = async (): Promise<void> => {
    resyncing = true;
    try {
      const res = await client.api.request('stats.subscribe', {});
      if (!res.ok) {
        store.set({ ...store.get(), error: res.error });
        return;
      }
      const snap = res.value;
      const { retentionMs, intervalMs } = snap.config;
      store.set({
        config: snap.config,
        intervalMs,
        seq: snap.seq,
        latest: snap.latest,
        procs: table.reset(snap.procs, snap.seq),
        top: snap.top,
        history: StatsHistory.fromWindow(snap.history, retentionMs, intervalMs),
        error: null,
      });
    } finally {
      resyncing = false;
    }
  };
  client.api.on('stats', (tick: StatsTick) => {
    if (resyncing) return;
    const prev = store.get();
    const s = tick.sample;
    // A failed apply is followed by a resync that replaces the table.
    if (!table.apply(tick.procs, s.seq)) {
      void subscribe();
      return;
    }
    const procs = table.view();
    if (s.intervalMs !== prev.intervalMs)
      prev.history.reconfigure(prev.config?.retentionMs ?? 600_000, s.intervalMs);
    // Core's tracked set (top + interest): the same per-process series core records.
    prev.history.push(s, procs, tick.top.concat(tick.interest));
    store.set({ ...prev, intervalMs: s.intervalMs, seq: s.seq, latest: s, procs, top: tick.top });
  });
  client.onReconnect(() => void subscribe());
  void subscribe();
  return store;
}
