/**
 * The Hosts view's store: every host the local server watches, pushed each tick. Always the
 * local server's (never scoped to a host): the list of hosts is this machine's.
 */
import type { HostRow, HostsState } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';

export interface HostsView {
  hosts: HostRow[];
  /** A failed subscribe, shown instead of an empty list. */
  error: { code: string; message: string } | null;
}

export function createHostsStore(client: Client): FrameStore<HostsView> {
  const store = new FrameStore<HostsView>({ hosts: [], error: null });
  const subscribe = async (): Promise<void> => {
    const res = await client.api.request('hosts.list', { subscribe: true });
    store.set(res.ok ? { hosts: res.value.hosts, error: null } : { ...store.get(), error: res.error });
  };
  client.api.on('hosts', (s: HostsState, meta) => {
    if (meta?.host) return; // a remote's own hosts list is not this window's
    store.set({ hosts: s.hosts, error: null });
  });
  client.onReconnect(() => void subscribe());
  void subscribe();
  return store;
}
