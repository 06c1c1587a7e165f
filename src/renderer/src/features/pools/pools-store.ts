/**
 * Keeps the pools stream: the latest tick, each pool's history columns and per-worker
 * activity lanes. Everything is bounded.
 */
import {
  emptyPoolHistory,
  type LabState,
  type PipelineStats,
  type PoolHistory,
  type PoolStats,
  type PoolsTick,
} from '../../../../shared/contract';
import type { ErrorValue } from '../../../../shared/result';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';

/** Points of history kept per series (10 min at 1 Hz). */
export const HISTORY_POINTS = 600;
/** Ticks of activity shown per worker lane. */
export const LANE_POINTS = 60;

export interface PoolsState {
  ready: boolean;
  cores: number;
  pools: PoolStats[];
  pipelines: PipelineStats[];
  lab: LabState | null;
  history: Record<string, PoolHistory>;
  /** poolId → worker slot n → utilization per tick, oldest first. */
  lanes: Record<string, Record<number, number[]>>;
  /** Why the last subscribe failed; null once it succeeds. */
  error: ErrorValue | null;
}

function push<T>(arr: T[], v: T, max: number): void {
  arr.push(v);
  if (arr.length > max) arr.splice(0, arr.length - max);
}

export function createPoolsStore(client: Client): FrameStore<PoolsState> {
  const store = new FrameStore<PoolsState>({
    ready: false,
    cores: 0,
    pools: [],
    pipelines: [],
    lab: null,
    history: {},
    lanes: {},
    error: null,
  });

  /** Apply an event or the subscribe answer; only a stats tick adds a history point. */
  const apply = (tick: PoolsTick): void => {
    const prev = store.get();
    const history: Record<string, PoolHistory> = {};
    const lanes: Record<string, Record<number, number[]>> = {};
    const point = tick.reason === 'tick';
    for (const p of tick.pools) {
      const h = prev.history[p.id] ?? emptyPoolHistory();
      if (point) {
        push(h.t, tick.t, HISTORY_POINTS);
        push(h.queued, p.counts.queued, HISTORY_POINTS);
        push(h.active, p.counts.active, HISTORY_POINTS);
        push(h.throughput, p.throughput, HISTORY_POINTS);
        push(h.failRate, p.failRate, HISTORY_POINTS);
        push(h.utilization, p.utilization, HISTORY_POINTS);
        push(h.waitP95, p.tickP95.wait, HISTORY_POINTS);
        push(h.runP95, p.tickP95.run, HISTORY_POINTS);
        push(h.completed, p.counts.completed, HISTORY_POINTS);
        push(h.failed, p.counts.failed, HISTORY_POINTS);
      }
      history[p.id] = h;
      const old = prev.lanes[p.id] ?? {};
      const mine: Record<number, number[]> = {};
      for (const w of p.workers) {
        const lane = old[w.n] ?? [];
        if (point || lane.length === 0) push(lane, w.state === 'dead' ? -1 : w.util, LANE_POINTS);
        mine[w.n] = lane;
      }
      lanes[p.id] = mine;
    }
    store.set({
      ...prev,
      ready: true,
      pools: tick.pools,
      pipelines: tick.pipelines,
      lab: tick.lab,
      history,
      lanes,
    });
  };

  const subscribe = async (): Promise<void> => {
    const res = await client.api.request('pools.subscribe', {});
    if (!res.ok) {
      store.set({ ...store.get(), error: res.error });
      return;
    }
    const snap = res.value;
    const prev = store.get();
    store.set({ ...prev, cores: snap.cores, history: snap.history, error: null });
    apply(snap);
  };
  client.api.on('pools', apply);
  client.onReconnect(() => void subscribe());
  void subscribe();
  return store;
}
