/** The counters, latency histograms, recent results and history of one pool. */
import {
  POOL_LIMITS,
  emptyPoolHistory,
  type PoolCounts,
  type PoolHistory,
  type TaskRecord,
} from '../../../shared/contract/pools';
import { Histogram } from './histogram';
import type { Outcome, Task } from './task';

const RECENT = 12;

/** Settled counts; queued and active are read live from the pool. */
export class PoolStatsKeeper {
  submitted = 0;
  completed = 0;
  failed = 0;
  cancelled = 0;
  timedOut = 0;
  retried = 0;
  rejected = 0;
  readonly wait = new Histogram();
  readonly run = new Histogram();
  /** Recent tasks only (since the previous tick), for the p95 series in history. */
  readonly waitTick = new Histogram();
  readonly runTick = new Histogram();
  readonly recent: TaskRecord[] = [];
  readonly history: PoolHistory = emptyPoolHistory();
  #lastSettled = 0;
  #lastFailed = 0;

  /** A task ran (ok or not) in the worker: record its wait and run time. */
  timed(waitMs: number, runMs: number): void {
    this.wait.record(waitMs);
    this.run.record(runMs);
    this.waitTick.record(waitMs);
    this.runTick.record(runMs);
  }

  settle(task: Task, how: 'completed' | 'failed' | 'cancelled', o: Outcome): void {
    this[how]++;
    if (o.code === 'ETIMEDOUT') this.timedOut++;
    // Keep failures longer than successes: they are what the user comes looking for.
    if (how !== 'completed' || this.completed % 50 === 1) {
      this.recent.push({
        id: task.id,
        item: String(task.item),
        ok: o.ok,
        text: o.text,
        runMs: Math.round(o.runMs * 10) / 10,
      });
      if (this.recent.length > RECENT) this.recent.shift();
    }
  }

  counts(queued: number, active: number): PoolCounts {
    const { submitted, completed, failed, cancelled, timedOut, retried, rejected } = this;
    return { submitted, queued, active, completed, failed, cancelled, timedOut, retried, rejected };
  }

  /** Close a tick of `dtMs`: rates since the previous tick, one history point. */
  tick(
    t: number,
    dtMs: number,
    queued: number,
    active: number,
    utilization: number,
  ): { throughput: number; failRate: number; waitP95: number | null; runP95: number | null } {
    const settled = this.completed + this.failed;
    const dt = Math.max(dtMs, 1) / 1000;
    const throughput = Math.round(((settled - this.#lastSettled) / dt) * 10) / 10;
    const failRate = Math.round(((this.failed - this.#lastFailed) / dt) * 10) / 10;
    this.#lastSettled = settled;
    this.#lastFailed = this.failed;
    const h = this.history;
    h.t.push(t);
    h.queued.push(queued);
    h.active.push(active);
    h.throughput.push(throughput);
    h.failRate.push(failRate);
    h.utilization.push(Math.round(utilization * 1000) / 1000);
    // No task ran this tick: a gap, not a zero.
    const p95 = (hist: Histogram): number | null =>
      hist.count ? Math.round(hist.quantile(0.95) * 100) / 100 : null;
    const waitP95 = p95(this.waitTick);
    const runP95 = p95(this.runTick);
    h.waitP95.push(waitP95);
    h.runP95.push(runP95);
    h.completed.push(this.completed);
    h.failed.push(this.failed);
    this.waitTick.reset();
    this.runTick.reset();
    if (h.t.length > POOL_LIMITS.historyPoints) for (const col of Object.values(h)) col.shift();
    return { throughput, failRate, waitP95, runP95 };
  }
}
