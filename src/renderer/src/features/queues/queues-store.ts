/**
 * Keeps the queues stream for the view. The subscribe answer brings the history the server
 * kept, so a reload or a reconnect loses nothing; then each event is applied (queues-state.ts).
 */
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';
import { applyTick, initialQueuesState, type QueuesState } from './queues-state';

export type { QueuesState } from './queues-state';

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
