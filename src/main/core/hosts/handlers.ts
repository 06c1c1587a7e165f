/** The hosts area's requests: the list, adding and removing a remote, and a session letting one go. */
import type { AreaHandlers } from '../rpc';
import type { Hosts } from './hosts';

/** Handlers for every `hosts.*` method. Forwarded requests never reach these (Core routes them by `host`). */
export function hostsHandlers(hosts: Hosts): AreaHandlers<'hosts'> {
  return {
    'hosts.list': (p, ctx) => {
      const mode = p?.subscribe === true ? 'ticks' : p?.subscribe;
      if (mode === 'ticks') {
        ctx.unsubscribe('hosts.changed');
        ctx.subscribe('hosts');
      } else if (mode === 'changes') {
        ctx.unsubscribe('hosts');
        ctx.subscribe('hosts.changed');
      }
      return hosts.state();
    },
    'hosts.add': {
      run: (p) => hosts.add(p),
      // Never the token: the URL and the name only.
      audit: {
        action: 'add host',
        target: (p) => ({ name: p.name ?? p.url }),
        detail: (r) => `${r.id}: ${r.url}`,
      },
    },
    'hosts.remove': {
      run: async ({ id }) => {
        await hosts.remove(id);
        return null;
      },
      audit: { action: 'remove host', target: ({ id }) => ({ id }) },
    },
    'hosts.release': ({ id }, ctx) => {
      hosts.closeSession(ctx.sessionId, id);
      return null;
    },
  };
}
