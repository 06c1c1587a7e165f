/** The queues requests; each control recorded in the audit log (never with a password). */
import type { Handlers, HandlerContext } from '../rpc';
import type { AuditInput } from '../audit/audit-log';
import { SpindleError } from '../../../shared/result';
import type { QueuesEngine } from './queues-engine';
import type { QueueControls } from './controls';
import { jobDetail, jobsPage } from './jobs';
import { findRedisServer, startLocalRedis, type Launcher } from './local-redis';
import { parseConnection, publicUrl } from './redis-url';

type QueuesMethod = Extract<keyof Handlers, `queues.${string}`>;

export interface QueuesDeps {
  engine: QueuesEngine;
  controls: QueueControls;
  supervisor: Launcher;
  record(e: AuditInput): void;
}

/** Run a control and record it, whether it worked or not. */
async function audited<T>(
  d: QueuesDeps,
  ctx: HandlerContext,
  action: string,
  target: { id?: string; name?: string },
  fn: () => Promise<T> | T,
  detail = '',
): Promise<T> {
  const base = { client: ctx.client.label, action, target };
  try {
    const out = await fn();
    d.record({ ...base, outcome: 'ok', detail });
    return out;
  } catch (e) {
    const code = e instanceof SpindleError ? e.code : 'EINTERNAL';
    const message = e instanceof SpindleError ? e.message : 'internal error';
    d.record({ ...base, outcome: code, detail: [detail, message].filter(Boolean).join(': ') });
    throw e;
  }
}

/** Handlers for every `queues.*` method. */
export function queuesHandlers(d: QueuesDeps): Pick<Handlers, QueuesMethod> {
  const { engine, controls } = d;
  const on = (p: { connectionId: string; queue: string }): { id: string; name: string } => ({
    id: p.connectionId,
    name: p.queue,
  });
  return {
    'queues.subscribe': (_p, ctx) => {
      ctx.subscribe('queues');
      return engine.snapshot(findRedisServer() !== null);
    },
    'queues.unsubscribe': (_p, ctx) => {
      ctx.unsubscribe('queues');
      return null;
    },
    'queues.connections': () => engine.connections(),
    'queues.connect': (p, ctx) => {
      let shown = '(invalid URL)';
      try {
        shown = publicUrl(parseConnection(p));
      } catch {
        // parse errors are answered by engine.connect below, with their code
      }
      return audited(d, ctx, 'queues connect', { name: p.name ?? shown }, () => engine.connect(p), shown);
    },
    'queues.disconnect': (p, ctx) =>
      audited(d, ctx, 'queues disconnect', { id: p.connectionId }, async () => {
        await engine.disconnect(p.connectionId, p.forget);
        return null;
      }),
    'queues.startLocalRedis': (_p, ctx) =>
      audited(d, ctx, 'queues start local redis', {}, () => startLocalRedis(engine, d.supervisor)),
    'queues.pause': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue pause',
        on(p),
        async () => (await controls.pause(p.connectionId, p.queue), null),
      ),
    'queues.resume': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue resume',
        on(p),
        async () => (await controls.resume(p.connectionId, p.queue), null),
      ),
    'queues.add': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue add',
        on(p),
        () => controls.add(p),
        `${p.count} × ${p.workload}${p.rate ? ` at ${p.rate}/s` : ''}${p.payload !== undefined ? ' with payload' : ''}`,
      ),
    'queues.stopAdding': (p, ctx) =>
      audited(d, ctx, 'queue stop adding', on(p), () => controls.stopAdding(p.connectionId, p.queue)),
    'queues.retry': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue retry',
        on(p),
        () => controls.retry(p.connectionId, p.queue, p.jobId),
        p.jobId ? `job ${p.jobId}` : 'all failed',
      ),
    'queues.promote': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue promote',
        on(p),
        () => controls.promote(p.connectionId, p.queue, p.jobId),
        p.jobId ? `job ${p.jobId}` : 'all delayed',
      ),
    'queues.removeJob': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue remove job',
        on(p),
        async () => (await controls.removeJob(p.connectionId, p.queue, p.jobId), null),
        `job ${p.jobId}`,
      ),
    'queues.clean': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue clean',
        on(p),
        () => controls.clean(p.connectionId, p.queue, p.state, p.olderThanMs, p.limit),
        `${p.state} older than ${p.olderThanMs} ms`,
      ),
    'queues.drain': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue drain',
        on(p),
        async () => (await controls.drain(p.connectionId, p.queue, p.delayed), null),
        p.delayed ? 'with delayed' : '',
      ),
    'queues.obliterate': (p, ctx) =>
      audited(
        d,
        ctx,
        'queue obliterate',
        on(p),
        async () => (await controls.obliterate(p.connectionId, p.queue, p.confirm, p.force), null),
        p.force ? 'force' : '',
      ),
    'queues.jobs': (p) =>
      engine.use(p.connectionId, () =>
        jobsPage(controls.queue(p.connectionId, p.queue), p.state, p.start, p.count),
      ),
    'queues.job': (p) =>
      engine.use(p.connectionId, () => jobDetail(controls.queue(p.connectionId, p.queue), p.jobId)),
  };
}
