/**
 * Feeds a pool: a batch of K items as fast as the pool takes them, or a steady R items
 * per second. When the queue is full the pool's policy decides: 'wait' holds the producer
 * (back pressure, time spent waiting is shown), 'reject' refuses the item, counted here
 * and in the pool, with the queue's state as the producer's note.
 */
import type { ProducerInfo, WorkloadSpec } from '../../../shared/contract/pools';
import { SpindleError } from '../../../shared/result';
import type { Pool } from './pool';

const YIELD_EVERY = 2000;

export class Producer {
  state: ProducerInfo['state'] = 'running';
  submitted = 0;
  rejected = 0;
  /** The queue's state at the first refusal. */
  note: string | null = null;
  /**
   * Resolves once the submit can be answered: a batch fully offered, or a rate producer's
   * first item offered. Waiting producers answer at once (the batch may take minutes).
   */
  readonly offered: Promise<void>;
  #waitedMs = 0;
  #waitStart = 0;
  #stopped = false;
  #answer: () => void = () => {};

  constructor(
    readonly id: number,
    readonly pool: Pool,
    readonly spec: WorkloadSpec,
    readonly total: number,
    readonly rate: number | null,
    readonly items: readonly string[] | null,
  ) {
    this.offered = new Promise((r) => (this.#answer = r));
    if (pool.options.fullPolicy === 'wait') this.#answer();
    void this.#run()
      .catch(() => {
        // The pool closed under us (terminated, drained, unhealthy): just stop.
        if (this.state !== 'done') this.state = 'stopped';
      })
      .finally(() => this.#answer());
  }

  stop(): void {
    this.#stopped = true;
    if (this.state === 'running' || this.state === 'waiting') this.state = 'stopped';
  }

  info(): ProducerInfo {
    const waited = this.#waitedMs + (this.state === 'waiting' ? performance.now() - this.#waitStart : 0);
    const { id, rate, total, submitted, rejected, state, note } = this;
    return { id, rate, total, submitted, rejected, state, waitedMs: Math.round(waited), note };
  }

  #item(i: number): string | number {
    return this.items?.length ? this.items[i % this.items.length]! : i;
  }

  /** Submit item i; true when it had to wait for room. */
  async #one(i: number): Promise<boolean> {
    const item = this.#item(i);
    if (this.pool.options.fullPolicy === 'reject' || this.pool.hasRoom) {
      try {
        this.pool.submit(this.spec, item);
        this.submitted++;
      } catch (e) {
        if (!(e instanceof SpindleError) || e.code !== 'EQUEUE_FULL') throw e;
        this.rejected++;
        this.note ??= e.message;
      }
      return false;
    }
    this.state = 'waiting';
    this.#waitStart = performance.now();
    await this.pool.submitWait(this.spec, item);
    this.#waitedMs += performance.now() - this.#waitStart;
    if (!this.#stopped) this.state = 'running';
    this.submitted++;
    return true;
  }

  async #run(): Promise<void> {
    const gap = this.rate ? 1000 / this.rate : 0;
    let due = performance.now();
    for (let i = 0; i < this.total && !this.#stopped;) {
      if (gap) {
        const now = performance.now();
        if (due > now) {
          await new Promise((r) => setTimeout(r, Math.max(4, due - now)));
          continue;
        }
      } else if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      const waited = await this.#one(i++);
      if (gap) this.#answer();
      // After waiting for room, carry on at the rate from now: no burst to catch up.
      if (gap) due = waited ? performance.now() + gap : due + gap;
    }
    if (!this.#stopped) this.state = 'done';
  }
}
