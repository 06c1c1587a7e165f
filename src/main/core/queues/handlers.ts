/**
 * The queues area's request handlers and the audit description of each control request
 * (dispatch records them). No description ever holds a password: connections are named by
 * their public URL (`***` in place of the password).
 */
import type { AuditTarget } from '../../../shared/contract';
import type { AreaHandlers } from '../rpc';
import type { QueuesEngine } from './queues-engine';
import type { QueueControls } from './controls';
import { jobDetail, jobsPage } from './jobs';
import { findRedisServer, startLocalRedis, type Launcher } from './local-redis';
import { launchLocalWorker } from './local-worker';
import { parseConnection, publicUrl } from './redis-url';

export interface QueuesDeps {
  engine: QueuesEngine;
  controls: QueueControls;
  supervisor: Launcher;
  /** Where a local worker's connection file goes (mode 0600). */
  dataDir: string;
}

const onQueue = (p: { connectionId: string; queue: string }): AuditTarget => ({
  id: p.connectionId,
  name: p.queue,
});

/** A connection input as the log may show it. */
const shownUrl = (p: Parameters<typeof parseConnection>[0]): string => {
  try {
    return publicUrl(parseConnection(p));
  } catch {
    return '(invalid URL)'; // the request itself fails with EINVAL and says why
  }
};

/** Handlers for every `queues.*` method. */
export function queuesHandlers(d: QueuesDeps): AreaHandlers<'queues'> {
  const { engine, controls } = d;
  const connTarget = (p: { connectionId: string }): AuditTarget => {
    try {
      return { id: p.connectionId, name: engine.link(p.connectionId).settings.name };
    } catch {
      return { id: p.connectionId }; // no such connection: the request fails with that code
    }
  };
  const jobDetailText = (p: { jobId?: string }, all: string) => (p.jobId ? `job ${p.jobId}` : all);
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
    'queues.connect': {
      run: (p) => engine.connect(p),
      audit: {
        action: 'queues connect',
        target: (p) => ({ name: p.name ?? shownUrl(p) }),
        detail: (r) => r.url,
        settled: (r) => ({ target: { id: r.id, name: r.name } }),
      },
    },
    'queues.disconnect': {
      run: async (p) => (await engine.disconnect(p.connectionId, p.forget), null),
      audit: {
        action: 'queues disconnect',
        target: connTarget,
        detail: (_r, p) => (p.forget ? 'forgotten' : ''),
      },
    },
    'queues.startLocalRedis': {
      run: () => startLocalRedis(engine, d.supervisor),
      audit: {
        action: 'queues start local redis',
        detail: (r) => r.url,
        settled: (r) => ({ target: { id: r.id, name: r.name } }),
      },
    },
    'queues.launchWorker': {
      run: (p) => launchLocalWorker(engine, d.supervisor, d.dataDir, p),
      audit: {
        action: (p) => `queues launch worker ×${p.concurrency}`,
        target: onQueue,
        settled: (r) => ({ target: { id: r.id, name: r.definition.name } }),
      },
    },
    'queues.pause': {
      run: async (p) => (await controls.pause(p.connectionId, p.queue), null),
      audit: { action: 'queue pause', target: onQueue },
    },
    'queues.resume': {
      run: async (p) => (await controls.resume(p.connectionId, p.queue), null),
      audit: { action: 'queue resume', target: onQueue },
    },
    'queues.add': {
      run: (p) => controls.add(p),
      audit: {
        action: 'queue add',
        target: onQueue,
        detail: (_r, p) =>
          `${p.count} × ${p.workload}${p.rate ? ` at ${p.rate}/s` : ''}${p.payload !== undefined ? ' with payload' : ''}`,
      },
    },
    'queues.stopAdding': {
      run: (p) => controls.stopAdding(p.connectionId, p.queue),
      audit: { action: 'queue stop adding', target: onQueue, detail: (n) => `${n} stopped` },
    },
    'queues.retry': {
      run: (p) => controls.retry(p.connectionId, p.queue, p.jobId),
      audit: {
        action: 'queue retry',
        target: onQueue,
        detail: (n, p) => `${jobDetailText(p, 'all failed')}: ${n}`,
      },
    },
    'queues.promote': {
      run: (p) => controls.promote(p.connectionId, p.queue, p.jobId),
      audit: {
        action: 'queue promote',
        target: onQueue,
        detail: (n, p) => `${jobDetailText(p, 'all delayed')}: ${n}`,
      },
    },
    'queues.removeJob': {
      run: async (p) => (await controls.removeJob(p.connectionId, p.queue, p.jobId), null),
      audit: { action: 'queue remove job', target: onQueue, detail: (_r, p) => `job ${p.jobId}` },
    },
    'queues.clean': {
      run: (p) => controls.clean(p.connectionId, p.queue, p.state, p.olderThanMs, p.limit),
      audit: {
        action: 'queue clean',
        target: onQueue,
        detail: (n, p) => `${n} ${p.state} older than ${p.olderThanMs} ms`,
      },
    },
    'queues.drain': {
      run: async (p) => (await controls.drain(p.connectionId, p.queue, p.delayed), null),
      audit: { action: 'queue drain', target: onQueue, detail: (_r, p) => (p.delayed ? 'with delayed' : '') },
    },
    'queues.obliterate': {
      run: async (p) => (await controls.obliterate(p.connectionId, p.queue, p.confirm, p.force), null),
      audit: { action: 'queue obliterate', target: onQueue, detail: (_r, p) => (p.force ? 'force' : '') },
    },
    'queues.jobs': (p) =>
      engine.use(p.connectionId, () =>
        jobsPage(controls.queue(p.connectionId, p.queue), p.state, p.start, p.count),
      ),
    'queues.job': (p) =>
      engine.use(p.connectionId, () => jobDetail(controls.queue(p.connectionId, p.queue), p.jobId)),
  };
}
