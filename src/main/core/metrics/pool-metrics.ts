/** Per-pool families: backlog and settled counts live from each pool, latency from its own histograms. */
import type { Registry } from 'prom-client';
import type { Pool } from '../pools/pool';
import { DURATION_BUCKETS_S, family, histogramValues, type Value } from './family';

const BOUNDS_MS = DURATION_BUCKETS_S.map((s) => s * 1000);

/** Register `spindle_pool_*`; `pools` lists the live pools at scrape time. */
export function registerPools(reg: Registry, pools: () => readonly Pool[]): void {
  const labels = (p: Pool): Record<string, string> => ({ pool: p.id, name: p.name, kind: p.options.kind });
  const each = (f: (p: Pool) => number) =>
    function* (): Generator<Value> {
      for (const p of pools()) yield { labels: labels(p), value: f(p) };
    };
  family(
    reg,
    'gauge',
    'spindle_pool_workers',
    'Workers the pool is sized for.',
    each((p) => p.options.size),
  );
  family(
    reg,
    'gauge',
    'spindle_pool_queued_tasks',
    'Tasks waiting in the queue.',
    each((p) => p.queued),
  );
  family(
    reg,
    'gauge',
    'spindle_pool_active_tasks',
    'Tasks running in a worker now.',
    each((p) => p.active),
  );
  family(
    reg,
    'counter',
    'spindle_pool_tasks_submitted_total',
    'Tasks accepted into the pool.',
    each((p) => p.stats.submitted),
  );
  family(
    reg,
    'counter',
    'spindle_pool_tasks_completed_total',
    'Tasks that completed.',
    each((p) => p.stats.completed),
  );
  family(
    reg,
    'counter',
    'spindle_pool_tasks_failed_total',
    'Tasks that failed (threw, timed out, lost their worker past retries).',
    each((p) => p.stats.failed),
  );
  family(
    reg,
    'counter',
    'spindle_pool_tasks_cancelled_total',
    'Tasks cancelled before they ran.',
    each((p) => p.stats.cancelled),
  );
  for (const [name, help, pick] of [
    [
      'spindle_pool_task_wait_seconds',
      'Time tasks waited in the queue before a worker took them, seconds.',
      'wait',
    ],
    ['spindle_pool_task_run_seconds', 'Time tasks ran in a worker, seconds.', 'run'],
  ] as const) {
    // The pool's own log-bucket histogram (4% resolution), read as Prometheus buckets: no second copy fed per task.
    family(reg, 'histogram', name, help, function* () {
      for (const p of pools()) {
        const h = p.stats[pick];
        yield* histogramValues(name, labels(p), h.cumulative(BOUNDS_MS), h.count, h.sum / 1000);
      }
    });
  }
}
