/**
 * The hosts' store: every host the local server watches. Always the local server's (never
 * scoped to a host): the list of hosts is this machine's. What shows only the list (the host
 * picker and banner, on every view) is told of changes alone; while the Hosts view is shown,
 * which draws each host's sparklines, the list comes each tick (`hosts.list` subscribe modes).
 */
import type { HostRow, HostsState } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { FrameStore } from '../../lib/frame-store';

export interface HostsView {
  hosts: HostRow[];
  /** A failed subscribe, shown instead of an empty list. */
  error: { code: string; message: string } | null;
}

export class HostsStore extends FrameStore<HostsView> {
  readonly #client: Client;
  /** Mounted views that draw the per-tick sparklines. */
  #watchers = 0;

  constructor(client: Client) {
    super({ hosts: [], error: null });
    this.#client = client;
    const take = (s: HostsState, meta?: { host?: string }): void => {
      if (meta?.host) return; // a remote's own hosts list is not this window's
      this.set({ hosts: s.hosts, error: null });
    };
    client.api.on('hosts', take);
    client.api.on('hosts.changed', take);
    client.onReconnect(() => void this.#subscribe());
    void this.#subscribe();
  }

  /** While the returned function is not yet called, the list comes each tick (sparklines). */
  watchTicks(): () => void {
    if (this.#watchers++ === 0) void this.#subscribe();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.#watchers === 0) void this.#subscribe();
    };
  }

  /** Subscribes in the mode the views need now; the server replaces the session's last mode. */
  async #subscribe(): Promise<void> {
    const res = await this.#client.api.request('hosts.list', {
      subscribe: this.#watchers > 0 ? 'ticks' : 'changes',
    });
    this.set(res.ok ? { hosts: res.value.hosts, error: null } : { ...this.get(), error: res.error });
  }
}

export function createHostsStore(client: Client): HostsStore {
  return new HostsStore(client);
}
