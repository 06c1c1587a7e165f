/**
 * Per-queue families, fed by any source of queue figures: the queue engine plugs in here with
 * one function, and nothing else in metrics knows how queues are polled.
 */
import type { Registry } from 'prom-client';
import { family, type Value } from './family';

/** One queue's figures as last polled. `completed`/`failed` only grow (completions seen since watching began). */
export interface QueueFigures {
  /** The connection's name or id, so queues of the same name on two servers stay apart. */
  connection: string;
  queue: string;
  /** Jobs per state now: waiting, active, delayed, completed, failed, paused, prioritized… */
  counts: Readonly<Record<string, number>>;
  completed: number;
  failed: number;
}

/** A source of queue figures, read at scrape time (it must not poll Redis itself). */
export type QueueSource = () => readonly QueueFigures[];

/** What the queue engine offers: each watched queue with its connection. */
export interface WatchedQueues {
  watches(): {
    connection: { name: string };
    watch: {
      name: string;
      stats: { ok: boolean; counts: Readonly<Record<string, number>> };
      totals: { completed: number; failed: number };
    };
  }[];
}

/**
 * The figures of every queue the engine watches. A queue whose last poll failed (its
 * connection is down) is left out: a gap in Prometheus, not its last counts repeated.
 */
export function queueFigures(engine: WatchedQueues): QueueSource {
  return () =>
    engine
      .watches()
      .filter(({ watch }) => watch.stats.ok)
      .map(({ connection, watch }) => ({
        connection: connection.name,
        queue: watch.name,
        counts: watch.stats.counts,
        completed: watch.totals.completed,
        failed: watch.totals.failed,
      }));
}

/** Register `spindle_queue_*`; with no queues the families are empty. */
export function registerQueues(reg: Registry, queues: QueueSource): void {
  const labels = (q: QueueFigures): Record<string, string> => ({ connection: q.connection, queue: q.queue });
  family(reg, 'gauge', 'spindle_queue_jobs', 'Jobs in the queue by state.', function* (): Generator<Value> {
    for (const q of queues()) {
      for (const [state, n] of Object.entries(q.counts)) yield { labels: { ...labels(q), state }, value: n };
    }
  });
  family(
    reg,
    'counter',
    'spindle_queue_completed_total',
    'Jobs seen completing since Spindle began watching the queue.',
    function* () {
      for (const q of queues()) yield { labels: labels(q), value: q.completed };
    },
  );
  family(
    reg,
    'counter',
    'spindle_queue_failed_total',
    'Jobs seen failing since Spindle began watching the queue.',
    function* () {
      for (const q of queues()) yield { labels: labels(q), value: q.failed };
    },
  );
}
