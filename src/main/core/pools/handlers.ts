/** The pools area's request handlers and the audit description of each control request. */
import type { AuditTarget } from '../../../shared/contract';
import type { AreaHandlers } from '../rpc';
import type { PoolsEngine } from './pools-engine';

/** Handlers for every `pools.*` method. */
export function poolsHandlers(engine: PoolsEngine): AreaHandlers<'pools'> {
  // Read before the action runs, so a removed pool still has its name in the log.
  const poolTarget = (p: { poolId: string }): AuditTarget => {
    try {
      return { id: p.poolId, name: engine.get(p.poolId).name };
    } catch {
      // No such pool: the request itself fails with that code; the id is all there is to name.
      return { id: p.poolId };
    }
  };
  const onPool = (action: string, fn: (id: string) => unknown) => ({
    run: (p: { poolId: string }) => (fn(p.poolId), null),
    audit: { action: `pool ${action}`, target: poolTarget },
  });
  return {
    'pools.subscribe': (_p, ctx) => {
      ctx.subscribe('pools');
      return engine.snapshot();
    },
    'pools.create': {
      run: (p) => engine.create(p),
      audit: {
        action: 'pool create',
        target: (p) => ({ name: p.name }),
        detail: (_r, p) => `${p.kind} × ${p.size}, queue ${p.maxQueue} (${p.fullPolicy})`,
      },
    },
    'pools.submit': {
      run: (p) => engine.submit(p.poolId, p.workload, p.count, p.rate ?? null, p.items ?? null),
      audit: {
        action: 'pool submit',
        target: poolTarget,
        detail: (_r, p) => `${p.count} × ${p.workload.kind}${p.rate ? ` at ${p.rate}/s` : ''}`,
      },
    },
    'pools.stopProducers': onPool('stop producers', (id) => engine.stopProducers(id)),
    'pools.resize': {
      run: (p) => (engine.get(p.poolId).resize(p.size), null),
      audit: { action: (p) => `pool resize ${p.size}`, target: poolTarget },
    },
    'pools.pause': onPool('pause', (id) => engine.get(id).pause()),
    'pools.resume': onPool('resume', (id) => engine.get(id).resume()),
    'pools.drain': onPool('drain', (id) => engine.get(id).drain()),
    'pools.cancelQueued': {
      run: (p) => engine.get(p.poolId).cancelQueued(),
      audit: {
        action: 'pool cancel queued',
        target: poolTarget,
        detail: (n) => `${n} cancelled`,
      },
    },
    'pools.terminate': onPool('terminate', (id) => engine.terminate(id)),
    'pools.remove': onPool('remove', (id) => engine.remove(id)),
    'pools.pipeline': {
      run: (p) => engine.pipeline(p.stages, p.count, p.rate ?? null),
      audit: { action: 'pipeline start', detail: (_r, p) => p.stages.map((s) => s.name).join(' → ') },
    },
    'pools.pipelineStop': {
      run: (p) => (engine.pipelineStop(p.id), null),
      audit: { action: 'pipeline stop', target: (p) => ({ id: p.id }) },
    },
    'pools.lab': {
      run: (p) => engine.lab(p),
      audit: {
        action: 'speed-up lab',
        detail: (_r, p) => `1..${p.maxWorkers} workers, batch × ${p.repeat}, ${p.rounds} rounds`,
      },
    },
    'pools.labCancel': { run: () => (engine.labCancel(), null), audit: { action: 'speed-up lab cancel' } },
  };
}
