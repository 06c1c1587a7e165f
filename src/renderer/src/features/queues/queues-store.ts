/**
 * Keeps the queues stream: connections with their state, each queue's latest stats, and each
 * queue's history (one point per 'tick' event, bounded by QUEUE_LIMITS.historyPoints). The
 * subscribe answer brings the history the server kept, so a reload or reconnect loses nothing.
 */
import type {
  QueueConnection,
  QueueHistory,
  QueueProducer,
  QueueStats,
  QueuesTick,
} from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';
import { appendPoint, emptyHistory } from './queue-data';

export interface QueuesState {
  ready: boolean;
  /** Why the subscription failed (shown instead of an empty view). */
  error: { code: string; message: string } | null;
  localRedisAvailable: boolean;
  intervalMs: number;
  t: number;
  connections: QueueConnection[];
  queues: QueueStats[];
  producers: QueueProducer[];
  /** By queue key (`<connectionId>/<name>`); mutated in place, read per render. */
  history: Record<string, QueueHistory>;
}

/** Apply one event (or the subscribe answer's tick) to the state: only a 'tick' adds a point. */
export function applyTick(prev: QueuesState, tick: QueuesTick): QueuesState {
  const history: Record<string, QueueHistory> = {};
  for (const q of tick.queues) {
    const h = prev.history[q.key] ?? emptyHistory();
    if (tick.reason === 'tick') appendPoint(h, q, tick.t);
    history[q.key] = h;
  }
  return {
    ...prev,
    ready: true,
    error: null,
    t: tick.t,
    connections: tick.connections,
    queues: tick.queues,
    producers: tick.producers,
    history,
  };
}

export const initialQueuesState = (): QueuesState => ({
  ready: false,
  error: null,
  localRedisAvailable: false,
  intervalMs: 1000,
  t: 0,
  connections: [],
  queues: [],
  producers: [],
  history: {},
});

/** The queues store of one client: subscribes now and again after each reconnect. */
export function createQueuesStore(client: Client): FrameStore<QueuesState> {
  const store = new FrameStore<QueuesState>(initialQueuesState());
  const subscribe = async (): Promise<void> => {
    const res = await client.api.request('queues.subscribe', {});
    if (!res.ok) {
      store.set({ ...store.get(), ready: true, error: res.error });
      return;
    }
    const snap = res.value;
    const base: QueuesState = {
      ...store.get(),
      localRedisAvailable: snap.localRedisAvailable,
      intervalMs: snap.intervalMs,
      history: snap.history,
    };
    // The snapshot's tick is already in its history: apply it as a change, not a new point.
    store.set(applyTick(base, { ...snap, reason: 'change' }));
  };
  client.api.on('queues', (tick) => store.set(applyTick(store.get(), tick)));
  client.onReconnect(() => void subscribe());
  void subscribe();
  return store;
}
