/** Watched queues as a usage snapshot (format v2) stores them: no password, bounded lists. */
import type { SnapshotQueue } from '../../../shared/snapshot/schema';
import type { QueuesEngine } from './queues-engine';

/** Each watched queue: its connection (public URL), last stats, history and the workers seen. */
export function queueSnapshotRows(engine: QueuesEngine): SnapshotQueue[] {
  return engine.watches().map(({ connection, watch }) => {
    const s = watch.stats;
    return {
      connection: {
        id: connection.id,
        name: connection.name,
        url: connection.url,
        prefix: connection.prefix,
      },
      name: watch.name,
      stats: {
        counts: s.counts,
        paused: s.paused,
        completedPerSec: s.completedPerSec,
        failedPerSec: s.failedPerSec,
        wait: s.wait,
        run: s.run,
      },
      history: watch.history(),
      workers: watch.workersSeen().map((w) => ({
        id: w.id,
        state: w.state,
        addr: w.addr,
        host: w.report?.host ?? null,
        pid: w.report?.pid ?? null,
        cores: w.report?.cores ?? null,
        concurrency: w.report?.concurrency ?? null,
        processed: w.report?.processed ?? null,
        failed: w.report?.failed ?? null,
        lastSeen: w.lastSeen,
      })),
    };
  });
}
