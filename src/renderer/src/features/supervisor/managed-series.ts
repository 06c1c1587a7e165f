/**
 * CPU, memory and threads of each managed process over time, taken from the stats stream's
 * process table (rows keyed `${pid}:${starttime}`, the keys the supervisor reports). A
 * pipeline's stages are summed. Bounded: POINTS per process, gaps (no row) kept as null.
 */
import type { StatsState } from '../stats/stats-store';
import { FrameStore } from '../../lib/frame-store';
import type { SupervisorState } from './supervisor-store';

export const POINTS = 300;

export interface SeriesPoint {
  t: number;
  cpu: number | null;
  rssMb: number | null;
  threads: number | null;
}

export type SeriesState = ReadonlyMap<string, SeriesPoint[]>;

/** Follow `stats` ticks and record a point per managed process that is running. */
export function createManagedSeries(
  stats: FrameStore<StatsState>,
  supervisor: FrameStore<SupervisorState>,
): FrameStore<SeriesState> {
  const store = new FrameStore<SeriesState>(new Map());
  let seq = -1;
  stats.subscribe(() => {
    const s = stats.get();
    if (s.seq === seq || !s.latest) return;
    seq = s.seq;
    const next = new Map<string, SeriesPoint[]>();
    const prev = store.get();
    for (const m of supervisor.get().items) {
      const rows = m.procKeys.map((k) => s.procs.get(k)).filter((r) => r !== undefined);
      const old = prev.get(m.id) ?? [];
      if (rows.length === 0 && old.length === 0) continue;
      const point: SeriesPoint =
        rows.length === 0
          ? { t: s.latest.t, cpu: null, rssMb: null, threads: null }
          : {
              t: s.latest.t,
              cpu: rows.reduce((a, r) => a + r.cpu, 0),
              rssMb: rows.reduce((a, r) => a + r.rss, 0) / (1024 * 1024),
              threads: rows.reduce((a, r) => a + (r.threads ?? 0), 0),
            };
      const list = old.concat(point);
      next.set(m.id, list.length > POINTS ? list.slice(-POINTS) : list);
    }
    store.set(next);
  });
  return store;
}
