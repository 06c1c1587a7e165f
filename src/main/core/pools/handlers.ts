/** The pools requests, each control action recorded in the audit log. */
import type { Handlers, HandlerContext } from '../rpc';
import type { AuditInput } from '../audit/audit-log';
import { SpindleError } from '../../../shared/result';
import type { PoolsEngine } from './pools-engine';

type PoolsMethod = Extract<keyof Handlers, `pools.${string}`>;
type Record_ = (e: AuditInput) => void;

/** Run a control action and record it, whether it worked or not. */
function audited<T>(
  record: Record_,
  ctx: HandlerContext,
  action: string,
  target: { id?: string; name?: string },
  fn: () => T,
  detail = '',
): T {
  const failed = (e: unknown): never => {
    const code = e instanceof SpindleError ? e.code : 'EINTERNAL';
    record({
      client: ctx.client.label,
      action,
      target,
      outcome: code,
      detail: e instanceof Error ? e.message : String(e),
    });
    throw e;
  };
  const done = <V>(out: V): V => {
    record({ client: ctx.client.label, action, target, outcome: 'ok', detail });
    return out;
  };
  try {
    const out = fn();
    // An answer that takes a while (a batch on a rejecting queue) is recorded when it comes.
    return (out instanceof Promise ? out.then(done, failed) : done(out)) as T;
  } catch (e) {
    return failed(e);
  }
}

/** Handlers for every `pools.*` method. */
export function poolsHandlers(engine: PoolsEngine, record: Record_): Pick<Handlers, PoolsMethod> {
  const onPool =
    <T>(action: string, fn: (id: string) => T) =>
    (p: { poolId: string }, ctx: HandlerContext): T =>
      audited(record, ctx, `pool ${action}`, { id: p.poolId }, () => fn(p.poolId));
  return {
    'pools.subscribe': (_p, ctx) => {
      ctx.subscribe('pools');
      return engine.snapshot();
    },
    'pools.create': (p, ctx) =>
      audited(
        record,
        ctx,
        'pool create',
        { name: p.name },
        () => engine.create(p),
        `${p.kind} × ${p.size}, queue ${p.maxQueue} (${p.fullPolicy})`,
      ),
    'pools.submit': (p, ctx) =>
      audited(
        record,
        ctx,
        'pool submit',
        { id: p.poolId },
        () => engine.submit(p.poolId, p.workload, p.count, p.rate ?? null, p.items ?? null),
        `${p.count} × ${p.workload.kind}${p.rate ? ` at ${p.rate}/s` : ''}`,
      ),
    'pools.stopProducers': onPool('stop producers', (id) => (engine.stopProducers(id), null)),
    'pools.resize': (p, ctx) =>
      audited(
        record,
        ctx,
        `pool resize ${p.size}`,
        { id: p.poolId },
        () => (engine.get(p.poolId).resize(p.size), null),
      ),
    'pools.pause': onPool('pause', (id) => (engine.get(id).pause(), null)),
    'pools.resume': onPool('resume', (id) => (engine.get(id).resume(), null)),
    'pools.drain': onPool('drain', (id) => (engine.get(id).drain(), null)),
    'pools.cancelQueued': onPool('cancel queued', (id) => engine.get(id).cancelQueued()),
    'pools.terminate': onPool('terminate', (id) => (engine.terminate(id), null)),
    'pools.remove': onPool('remove', (id) => (engine.remove(id), null)),
    'pools.pipeline': (p, ctx) =>
      audited(
        record,
        ctx,
        'pipeline start',
        {},
        () => engine.pipeline(p.stages, p.count, p.rate ?? null),
        p.stages.map((s) => s.name).join(' → '),
      ),
    'pools.pipelineStop': (p, ctx) =>
      audited(record, ctx, 'pipeline stop', { id: p.id }, () => (engine.pipelineStop(p.id), null)),
    'pools.lab': (p, ctx) =>
      audited(
        record,
        ctx,
        'speed-up lab',
        {},
        () => engine.lab(p),
        `1..${p.maxWorkers} workers, batch × ${p.repeat}, ${p.rounds} rounds`,
      ),
    'pools.labCancel': (_p, ctx) =>
      audited(record, ctx, 'speed-up lab cancel', {}, () => (engine.labCancel(), null)),
  };
}
