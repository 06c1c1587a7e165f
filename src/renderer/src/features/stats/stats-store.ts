/** Keeps the stats stream: the latest sample and a bounded window of history. */
import type { StatsSample } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';

export interface StatsState {
  intervalMs: number;
  history: StatsSample[];
  latest: StatsSample | null;
}

/** Samples kept in the renderer: 10 minutes at the fastest rate (0.25 s). */
const MAX_SAMPLES = 2400;

export function createStatsStore(client: Client): FrameStore<StatsState> {
  const store = new FrameStore<StatsState>({ intervalMs: 1000, history: [], latest: null });
  const subscribe = async (): Promise<void> => {
    const res = await client.api.request('stats.subscribe', {});
    if (!res.ok) return;
    const { intervalMs, history, latest } = res.value;
    store.set({ intervalMs, history: history.slice(-MAX_SAMPLES), latest });
  };
  client.api.on('stats', (s) => {
    const prev = store.get();
    const history = prev.history.length >= MAX_SAMPLES ? prev.history.slice(1) : prev.history.slice();
    history.push(s);
    store.set({ ...prev, history, latest: s });
  });
  client.onReconnect(() => void subscribe());
  void subscribe();
  return store;
}
