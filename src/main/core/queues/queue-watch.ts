/**
 * One watched queue: its latest stats, its history (columns in a ring of
 * QUEUE_LIMITS.historyPoints; a failed poll is a row of gaps, never zeros), the latency
 * windows and the cursors that say which finished jobs were already counted.
 */
import {
  QUEUE_HISTORY_COLUMNS,
  QUEUE_LIMITS,
  type QueueHistory,
  type QueueStats,
  type QueueWorker,
} from '../../../shared/contract';
import { RingColumns } from '../../../shared/stats/ring-columns';
import { LatencyWindow } from './latency-window';
import type { PollResult } from './poll-script';
import { joinWorkers, type BullClient } from './workers';
import type { HostReport } from '../../../shared/contract';

/** The history columns besides `t` (the contract's one list). */
const COLUMNS = QUEUE_HISTORY_COLUMNS;

/** Columns per history row, `t` included (sizes the subscribe reply). */
export const HISTORY_COLUMNS = COLUMNS.length + 1;

/** Workers kept per queue for snapshots ("the workers seen"). */
const SEEN_LIMIT = QUEUE_LIMITS.workersPerQueue;

const emptyCounts = (): QueueStats['counts'] => ({
  waiting: 0,
  prioritized: 0,
  delayed: 0,
  active: 0,
  'waiting-children': 0,
  completed: 0,
  failed: 0,
  paused: 0,
});

export class QueueWatch {
  readonly key: string;
  readonly connectionId: string;
  readonly name: string;
  /** Cursors of the poll script ('' = start at the newest on the next poll). */
  cursors = { completed: '', failed: '', events: '' };
  readonly #ring = new RingColumns(QUEUE_LIMITS.historyPoints);
  readonly #wait = new LatencyWindow(QUEUE_LIMITS.latencyWindow);
  readonly #run = new LatencyWindow(QUEUE_LIMITS.latencyWindow);
  readonly #lastReports = new Map<string, HostReport>();
  readonly #seen = new Map<string, QueueWorker>();
  #lastT: number | null = null;
  #stats: QueueStats;
  /** Jobs seen finishing since the watch began (Prometheus counters: they only grow). */
  readonly totals = { completed: 0, failed: 0 };

  constructor(connectionId: string, name: string) {
    this.key = `${connectionId}/${name}`;
    this.connectionId = connectionId;
    this.name = name;
    this.#stats = {
      key: this.key,
      connectionId,
      name,
      ok: false,
      polledAt: null,
      counts: emptyCounts(),
      paused: false,
      completedPerSec: null,
      failedPerSec: null,
      wait: null,
      run: null,
      workers: [],
      workersOmitted: 0,
    };
  }

  get stats(): QueueStats {
    return this.#stats;
  }

  /** A good poll at epoch ms `t`: new stats and (with `point`) one history row. */
  record(t: number, poll: PollResult, clients: readonly BullClient[], point = true): void {
    if (!point) {
      // An extra poll after a control: current counts and state only. The cursors stay, so
      // the next tick still counts (and samples) every job finished since the last one.
      this.#stats = { ...this.#stats, ok: true, polledAt: t, counts: poll.counts, paused: poll.paused };
      return;
    }
    const dt = this.#lastT === null ? null : (t - this.#lastT) / 1000;
    const rate = (n: number | null): number | null => (n === null || !dt || dt <= 0 ? null : n / dt);
    this.#wait.add(poll.completed.wait);
    this.#wait.add(poll.failed.wait);
    this.#run.add(poll.completed.run);
    this.#run.add(poll.failed.run);
    this.cursors = {
      completed: poll.completed.cursor,
      failed: poll.failed.cursor,
      events: poll.eventsCursor,
    };
    this.totals.completed += poll.completed.n ?? 0;
    this.totals.failed += poll.failed.n ?? 0;
    this.#lastT = t;
    const { workers, omitted } = joinWorkers(poll, clients, this.#lastReports, {
      workers: QUEUE_LIMITS.workersPerQueue,
      active: QUEUE_LIMITS.activePerWorker,
    });
    for (const w of workers) {
      if (this.#seen.has(w.id) || this.#seen.size < SEEN_LIMIT) this.#seen.set(w.id, w);
    }
    this.#stats = {
      ...this.#stats,
      ok: true,
      polledAt: t,
      counts: poll.counts,
      paused: poll.paused,
      completedPerSec: rate(poll.completed.n),
      failedPerSec: rate(poll.failed.n),
      wait: this.#wait.percentiles(),
      run: this.#run.percentiles(),
      workers,
      workersOmitted: omitted,
    };
    this.#point(t);
  }

  /** A failed poll (connection down): a gap in history; rates restart from the next good poll. */
  gap(t: number): void {
    this.cursors = { completed: '', failed: '', events: '' };
    this.#lastT = null;
    this.#stats = { ...this.#stats, ok: false, completedPerSec: null, failedPerSec: null };
    this.#ring.append(t);
  }

  #point(t: number): void {
    const s = this.#stats;
    const slot = this.#ring.append(t);
    const set = (name: (typeof COLUMNS)[number], v: number | null): void => this.#ring.set(name, slot, v);
    set('waiting', s.counts.waiting);
    set('prioritized', s.counts.prioritized);
    set('delayed', s.counts.delayed);
    set('active', s.counts.active);
    set('waitingChildren', s.counts['waiting-children']);
    set('completed', s.counts.completed);
    set('failed', s.counts.failed);
    set('paused', s.counts.paused);
    set('isPaused', s.paused ? 1 : 0);
    set('completedPerSec', s.completedPerSec);
    set('failedPerSec', s.failedPerSec);
    set('waitP50', s.wait?.p50 ?? null);
    set('waitP95', s.wait?.p95 ?? null);
    set('waitP99', s.wait?.p99 ?? null);
    set('runP50', s.run?.p50 ?? null);
    set('runP95', s.run?.p95 ?? null);
    set('runP99', s.run?.p99 ?? null);
    set('workers', s.workers.filter((w) => w.state === 'reporting').length);
  }

  /** History as columns (null = gap), oldest first; the newest `maxPoints` rows at most. */
  history(maxPoints = Infinity): QueueHistory {
    const all = this.#ring.window(-Infinity, COLUMNS);
    const from = Math.max(0, all.t.length - maxPoints);
    const t = all.t.slice(from);
    const col = (name: (typeof COLUMNS)[number]): (number | null)[] =>
      all.cols.get(name)?.slice(from) ?? new Array<number | null>(t.length).fill(null);
    const h = { t } as QueueHistory;
    for (const name of COLUMNS) h[name] = col(name);
    return h;
  }

  /** Every worker seen while watching (bounded), newest state of each. */
  workersSeen(): QueueWorker[] {
    return [...this.#seen.values()];
  }
}
