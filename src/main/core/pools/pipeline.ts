/**
 * A pipeline of stages, each a pool: stage i's finished item is put on stage i+1's
 * bounded queue, and the worker that finished it waits until the put succeeds. So a slow
 * stage fills its input queue, then the stage before it stalls (back pressure) instead
 * of letting a queue grow without bound.
 */
import type { PipelineStats, WorkloadSpec } from '../../../shared/contract/pools';
import type { Pool } from './pool';
import type { Outcome } from './task';

export class Pipeline {
  done = 0;
  failed = 0;
  state: PipelineStats['state'] = 'running';
  readonly #start = performance.now();
  #end = 0;
  #stopped = false;

  constructor(
    readonly id: string,
    readonly stages: { name: string; pool: Pool; spec: WorkloadSpec }[],
    readonly count: number,
    readonly rate: number | null,
  ) {
    void this.#feed().catch(() => this.#close('stopped'));
  }

  /** The continuation of stage i: forward to i+1 (waiting for room), or count the item done. */
  #next(i: number, item: number): (o: Outcome) => void | Promise<unknown> {
    return (o) => {
      if (!o.ok) return this.#count(false);
      const next = this.stages[i + 1];
      if (!next) return this.#count(true);
      return next.pool.submitWait(next.spec, item, this.#next(i + 1, item)).catch(() => this.#count(false));
    };
  }

  #count(ok: boolean): void {
    if (ok) this.done++;
    else this.failed++;
    if (this.done + this.failed === this.count) this.#close('done');
  }

  async #feed(): Promise<void> {
    const first = this.stages[0]!;
    const gap = this.rate ? 1000 / this.rate : 0;
    for (let i = 0; i < this.count && !this.#stopped; i++) {
      await first.pool.submitWait(first.spec, i, this.#next(0, i));
      if (gap) await new Promise((r) => setTimeout(r, gap));
    }
  }

  #close(state: 'done' | 'stopped'): void {
    if (this.state !== 'running') return;
    this.state = state;
    this.#end = performance.now();
    // Finished or stopped pipelines give their workers back.
    for (const s of this.stages) s.pool.terminate();
  }

  stop(): void {
    this.#stopped = true;
    this.#close('stopped');
  }

  stats(): PipelineStats {
    const now = performance.now();
    return {
      id: this.id,
      items: this.count,
      done: this.done,
      failed: this.failed,
      state: this.state,
      elapsedMs: Math.round((this.#end || now) - this.#start),
      stages: this.stages.map(({ name, pool }) => ({
        name,
        poolId: pool.id,
        queued: pool.queued,
        active: pool.active,
        completed: pool.stats.completed,
        maxQueue: pool.options.maxQueue,
        stalled: pool.blockedMs(now) > 0 && pool.isBlocked,
        stalledMs: Math.round(pool.blockedMs(now)),
      })),
    };
  }
}
