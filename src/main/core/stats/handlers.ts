/** The stats area's requests, served by the sampler. */
import type { Sampler } from '../sampler/sampler';
import type { AreaHandlers } from '../rpc';

/** Handlers for every `stats.*` method. */
export function statsHandlers(sampler: Sampler): AreaHandlers<'stats'> {
  return {
    'stats.subscribe': (_p, ctx) => {
      ctx.subscribe('stats');
      return sampler.snapshot();
    },
    'stats.unsubscribe': (_p, ctx) => {
      ctx.unsubscribe('stats');
      return null;
    },
    'stats.configure': {
      run: (p) => sampler.configure(p),
      audit: {
        action: 'stats configure',
        detail: (c) => `every ${c.intervalMs} ms, keep ${c.retentionMs / 1000} s, top ${c.topN}`,
      },
    },
    // Interest is per client (its label), replaced on each call and cleared when it leaves.
    'stats.interest': ({ keys }, ctx) => {
      sampler.setInterest(ctx.client.label, keys);
      return null;
    },
  };
}
