/**
 * A client bound to one host: its requests carry the host's id (the local server forwards
 * them), and its listeners hear only that host's events. Every view and store of the window
 * uses one, so choosing a host is making a new scoped client and new stores; `dispose` drops
 * every listener the old ones registered and ends their forwarded subscriptions.
 */
import type { SpindleApi } from '../../../shared/contract';
import { LOCAL_HOST } from '../../../shared/local-host';
import type { Client } from './client-types';

/** Areas whose subscription can be ended by a request (the rest end with the session). */
const UNSUBSCRIBES = new Set(['stats.unsubscribe', 'supervisor.unsubscribe', 'queues.unsubscribe']);

export interface ScopedClient extends Client {
  host: string;
  /** Remove every listener made through this client and release the host on the server. */
  dispose(): void;
}

export function scopeClient(base: Client, host: string): ScopedClient {
  const offs = new Set<() => void>();
  const track = (off: () => void): (() => void) => {
    offs.add(off);
    return () => {
      off();
      offs.delete(off);
    };
  };
  const remote = host !== LOCAL_HOST;
  /** Subscriptions made through this client: ended on dispose (a remote's all at once by hosts.release). */
  const subscribed = new Set<string>();
  const api: SpindleApi = {
    request: (method, params, opts) => {
      if (method.endsWith('.subscribe')) subscribed.add(method);
      return base.api.request(method, params, remote ? { ...opts, host } : opts);
    },
    on: (event, listener) =>
      track(
        base.api.on(event, (payload, meta) => {
          if ((meta?.host ?? LOCAL_HOST) === host) listener(payload, meta);
        }),
      ),
  };
  return {
    ...base,
    api,
    host,
    onState: (l) => track(base.onState(l)),
    onReconnect: (l) => track(base.onReconnect(l)),
    // A download link is made by the local server for its own data only.
    snapshotLink: remote ? undefined : base.snapshotLink,
    dispose: () => {
      for (const off of offs) off();
      offs.clear();
      if (remote) void base.api.request('hosts.release', { id: host });
      else
        for (const m of subscribed) {
          const un = m.replace(/\.subscribe$/, '.unsubscribe');
          // Only areas that have an unsubscribe; the others' events are simply no longer heard.
          if (UNSUBSCRIBES.has(un)) void base.api.request(un as 'stats.unsubscribe', {});
        }
    },
  };
}
