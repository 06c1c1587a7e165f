/**
 * Every area's store, made once per client at start (`createStores`) and handed to views by
 * React context. A view never makes a store: one made in render is made twice under
 * StrictMode (the discarded copy keeps its listener), one made on first visit starts empty.
 * A new area adds one field to `Stores` and one line to `createStores`.
 */
import { createContext, useContext } from 'react';
import type { Client } from './api/client';
import { createPoolsStore, type PoolsState } from './features/pools/pools-store';
import { createQueuesStore, type QueuesState } from './features/queues/queues-store';
import { createStatsStore, type StatsState } from './features/stats/stats-store';
import { createSupervisorStore, type SupervisorState } from './features/supervisor/supervisor-store';
import type { FrameStore } from './lib/frame-store';

/** The stores of one client, by area. */
export interface Stores {
  stats: FrameStore<StatsState>;
  supervisor: FrameStore<SupervisorState>;
  pools: FrameStore<PoolsState>;
  queues: FrameStore<QueuesState>;
}

/**
 * Make every store of `client` once; `given` supplies ready-made ones (a replay passes the
 * stats store it scrubs).
 */
export function createStores(client: Client, given: Partial<Pick<Stores, 'stats'>> = {}): Stores {
  return {
    stats: given.stats ?? createStatsStore(client),
    supervisor: createSupervisorStore(client),
    pools: createPoolsStore(client),
    queues: createQueuesStore(client),
  };
}

/** The current stores (live, or a replay's); provided by App. */
export const StoresContext = createContext<Stores | null>(null);

/** The stores views read; throws outside App, which is a bug, not a state. */
export function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error('useStores outside StoresContext');
  return s;
}
