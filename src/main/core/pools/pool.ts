/**
 * A worker pool: a bounded queue in front of N workers (threads or processes) that
 * Spindle owns itself, so queue semantics, per-worker state, timeouts, retries and stats
 * are the same for both kinds. Invariant, after every operation:
 * submitted = queue.size + active + completed + failed + cancelled,
 * where active = tasks in flight on workers + finished tasks held by back pressure.
 */
import { SpindleError } from '../../../shared/result';
import type { PoolOptions, PoolState, PoolStats, WorkloadSpec } from '../../../shared/contract/pools';
import { openChannel } from './channel';
import { PoolStatsKeeper } from './pool-stats';
import type { WireDone, WireTask } from './protocol';
import { BoundedQueue, type TaskQueue } from './queue';
import type { Outcome, Task } from './task';
import { WorkerSet, type OpenWorker } from './worker-set';
import type { WorkerSlot } from './worker-slot';

export { MAX_START_FAILURES } from './worker-set';
/** Tasks kept in flight per worker when tasks are tiny (amortizes the message round trip). */
const MAX_DEPTH = 16;

export class Pool {
  state: PoolState = 'running';
  note: string | null = null;
  readonly stats = new PoolStatsKeeper();
  readonly #queue: TaskQueue<Task>;
  readonly #workers: WorkerSet;
  #roomWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #held = 0;
  #heldSince = 0;
  #blockedMs = 0;
  #nextTask = 0;
  #sweep: NodeJS.Timeout | null = null;
  #dispatchQueued = false;
  /** Moving average of run time, ms: decides how many tasks a worker may hold. */
  #avgRun = -1;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly options: PoolOptions,
    open: OpenWorker = (o) => openChannel(o.kind, { module: o.module, exportName: o.exportName, cwd: o.cwd }),
  ) {
    this.#queue = new BoundedQueue<Task>(options.maxQueue);
    this.#workers = new WorkerSet({
      open: () => open(this.options),
      ready: () => this.#dispatch(),
      done: (slot, results) => this.#onDone(slot, results),
      lost: (slot, how) => this.#onLost(slot, how),
      retry: () => this.#ensureWorkers(),
      unhealthy: (note) => this.#onUnhealthy(note),
    });
    this.#ensureWorkers();
    this.#scheduleSweep();
  }

  get queued(): number {
    return this.#queue.size;
  }

  get active(): number {
    let n = this.#held;
    for (const s of this.#workers.slots) n += s.inflight.length;
    return n;
  }

  get hasRoom(): boolean {
    return this.#queue.size < this.#queue.capacity;
  }

  /** Some worker holds a result the next stage will not take yet. */
  get isBlocked(): boolean {
    return this.#held > 0;
  }

  /** Time some worker spent holding a result the next stage would not take. */
  blockedMs(now = performance.now()): number {
    return this.#blockedMs + (this.#held > 0 ? now - this.#heldSince : 0);
  }

  #checkOpen(): void {
    if (this.state === 'terminated')
      throw new SpindleError('EPOOL_CLOSED', `pool ${this.name} is terminated`);
    if (this.state === 'unhealthy')
      throw new SpindleError('EPOOL_UNHEALTHY', `pool ${this.name} is unhealthy: ${this.note}`);
    if (this.state === 'draining' || this.state === 'drained')
      throw new SpindleError(
        'EPOOL_DRAINING',
        `pool ${this.name} is draining and accepts nothing new; resume it first`,
      );
  }

  /** Queue one task now, or fail with EQUEUE_FULL (whatever the full policy: waiting is `submitWait`). */
  submit(spec: WorkloadSpec, item: string | number, onDone?: Task['onDone']): Task {
    this.#checkOpen();
    const task: Task = {
      id: ++this.#nextTask,
      spec,
      item,
      submittedAt: performance.now(),
      attempts: 0,
      settled: false,
      onDone,
    };
    if (!this.#queue.offer(task)) {
      this.stats.rejected++;
      throw new SpindleError(
        'EQUEUE_FULL',
        `queue full: ${this.active} running, ${this.#queue.size} waiting (max ${this.#queue.capacity})`,
      );
    }
    this.stats.submitted++;
    if (!this.#dispatchQueued) {
      // Dispatch once per burst of submits, so a batch travels in few messages.
      this.#dispatchQueued = true;
      queueMicrotask(() => this.#dispatch());
    }
    return task;
  }

  /** Queue one task, waiting for room while the queue is full (back pressure). */
  async submitWait(spec: WorkloadSpec, item: string | number, onDone?: Task['onDone']): Promise<Task> {
    while (!this.hasRoom) {
      this.#checkOpen();
      await new Promise<void>((r) => this.#roomWaiters.push(r));
    }
    return this.submit(spec, item, onDone);
  }

  /** Resolves when nothing is queued or active. */
  whenIdle(): Promise<void> {
    if (this.#queue.size === 0 && this.active === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  /** Resolves when every worker has said ready (or the pool gave up). */
  async whenReady(): Promise<void> {
    while (this.#workers.slots.some((s) => s.state === 'starting') && this.state !== 'unhealthy') {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state === 'paused' || this.state === 'draining' || this.state === 'drained')
      this.state = 'running';
    this.#dispatch();
  }

  /** Finish what is queued, accept nothing new. */
  drain(): void {
    if (this.state === 'running' || this.state === 'paused') this.state = 'draining';
    this.#dispatch();
    this.#checkIdle();
  }

  /** Cancel everything still queued; returns how many. */
  cancelQueued(): number {
    const gone = this.#queue.clear();
    for (const t of gone)
      this.#settle(t, 'cancelled', {
        ok: false,
        text: 'cancelled while queued',
        runMs: 0,
        code: 'ECANCELLED',
      });
    this.#wakeRoom();
    this.#checkIdle();
    return gone.length;
  }

  resize(size: number): void {
    this.options.size = size;
    for (const s of this.#workers.slots) s.retiring = false;
    let excess = this.#workers.slots.length - size;
    // Leave idle and starting workers first; busy ones finish what they hold, then leave.
    for (const s of [...this.#workers.slots].sort((a, b) => a.inflight.length - b.inflight.length)) {
      if (excess-- <= 0) break;
      if (s.inflight.length === 0 && !s.blocked) this.#end(s, 'resized');
      else s.retiring = true;
    }
    this.#ensureWorkers();
    this.#dispatch();
  }

  /** End every worker; queued and running tasks are cancelled. */
  terminate(): void {
    if (this.state === 'terminated') return;
    this.cancelQueued();
    this.state = 'terminated';
    this.#workers.stop();
    if (this.#sweep) clearTimeout(this.#sweep);
    for (const s of [...this.#workers.slots]) {
      for (const t of s.inflight.splice(0))
        this.#settle(t, 'cancelled', {
          ok: false,
          text: 'cancelled: pool terminated',
          runMs: 0,
          code: 'ECANCELLED',
        });
      this.#end(s, 'terminated');
    }
    this.#wakeRoom();
    this.#checkIdle();
  }

  #ensureWorkers(): void {
    if (this.state === 'terminated' || this.state === 'unhealthy') return;
    // With an idle timeout, workers come back only when there is work for them.
    const want =
      this.options.idleTimeoutMs && this.#queue.size === 0
        ? Math.min(this.#workers.slots.length, this.options.size)
        : this.options.size;
    this.#workers.fill(want);
  }

  #onDone(slot: WorkerSlot, results: WireDone[]): void {
    const now = performance.now();
    for (const [id, ok, text, runMs] of results) {
      const task = slot.inflight[0];
      if (!task || task.id !== id) continue; // already failed by a timeout
      slot.inflight.shift();
      slot.done++;
      slot.busyMs += runMs;
      slot.headStart = now;
      this.#avgRun = this.#avgRun < 0 ? runMs : this.#avgRun * 0.9 + runMs * 0.1;
      this.stats.timed(Math.max(0, now - runMs - task.submittedAt), runMs);
      this.#finish(slot, task, { ok, text, runMs });
    }
    this.#afterWork(slot);
  }

  #afterWork(slot: WorkerSlot): void {
    if (slot.live && slot.inflight.length === 0 && !slot.blocked) {
      slot.state = 'idle';
      slot.idleSince = performance.now();
      if (slot.retiring) this.#end(slot, 'resized');
    }
    this.#dispatch();
    this.#checkIdle();
  }

  /** A task came back from its worker: let the next stage take it (maybe waiting), then settle. */
  #finish(slot: WorkerSlot, task: Task, o: Outcome): void {
    const hold = task.onDone?.(o);
    if (!(hold instanceof Promise)) return this.#settle(task, o.ok ? 'completed' : 'failed', o, true);
    if (this.#held++ === 0) this.#heldSince = performance.now();
    slot.blocked = true;
    const release = (): void => {
      if (--this.#held === 0) this.#blockedMs += performance.now() - this.#heldSince;
      slot.blocked = false;
      this.#settle(task, o.ok ? 'completed' : 'failed', o, true);
      this.#afterWork(slot);
    };
    hold.then(release, release);
  }

  #settle(task: Task, how: 'completed' | 'failed' | 'cancelled', o: Outcome, told = false): void {
    if (task.settled) return;
    task.settled = true;
    this.stats.settle(task, how, o);
    if (!told) void task.onDone?.(o);
  }

  /** A started worker died: only its first task can have run (it runs them in order). */
  #onLost(slot: WorkerSlot, how: string): void {
    const [head, ...rest] = slot.inflight.splice(0);
    for (const t of rest.reverse()) this.#queue.pushFront(t);
    if (head && head.attempts < this.options.retries) {
      head.attempts++;
      this.stats.retried++;
      this.#queue.pushFront(head);
    } else if (head) {
      const text = `worker ${slot.n} ended (${how}) while running this task`;
      this.#settle(head, 'failed', {
        ok: false,
        text,
        runMs: performance.now() - slot.headStart,
        code: 'EWORKER_EXIT',
      });
    }
    this.note = `worker ${slot.n}: ${slot.reason}`;
    this.#ensureWorkers();
    this.#afterWork(slot);
  }

  #onUnhealthy(note: string): void {
    if (this.state === 'terminated') return;
    this.state = 'unhealthy';
    this.note = note;
    for (const t of this.#queue.clear())
      this.#settle(t, 'failed', { ok: false, text: `pool unhealthy: ${note}`, runMs: 0, code: 'EUNHEALTHY' });
    this.#wakeRoom();
    this.#checkIdle();
  }

  /** End a worker on purpose; the tasks it held go back to the front of the queue. */
  #end(slot: WorkerSlot, reason: string): void {
    for (const t of this.#workers.end(slot, reason).reverse()) this.#queue.pushFront(t);
  }

  #dispatch(): void {
    this.#dispatchQueued = false;
    if (this.state === 'paused' || this.state === 'terminated' || this.state === 'unhealthy') return;
    if (this.#queue.size > 0) this.#ensureWorkers();
    // Prefetch only for tiny tasks: a long task must not wait behind another on a busy worker.
    const depth = this.#avgRun < 0 || this.#avgRun > 1 ? 1 : this.#avgRun > 0.2 ? 4 : MAX_DEPTH;
    const now = performance.now();
    for (const s of this.#workers.slots) {
      if (this.#queue.size === 0) break;
      if (s.state === 'starting' || s.retiring || s.blocked || s.inflight.length >= depth) continue;
      const batch: WireTask[] = [];
      if (s.inflight.length === 0) s.headStart = now;
      while (s.inflight.length < depth) {
        const t = this.#queue.poll();
        if (!t) break;
        s.inflight.push(t);
        batch.push({ id: t.id, s: t.spec, i: t.item });
      }
      s.state = 'busy';
      s.channel.post({ t: 'run', tasks: batch });
    }
    this.#wakeRoom();
  }

  #wakeRoom(): void {
    if (
      this.#roomWaiters.length === 0 ||
      (!this.hasRoom && this.state !== 'terminated' && this.state !== 'unhealthy')
    )
      return;
    const w = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const r of w) r();
  }

  #checkIdle(): void {
    if (this.#queue.size > 0 || this.active > 0) return;
    if (this.state === 'draining') this.state = 'drained';
    const w = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const r of w) r();
  }

  /** Timeouts and idle workers, checked a few times per timeout period. */
  #scheduleSweep(): void {
    const { taskTimeoutMs: to, idleTimeoutMs: idle } = this.options;
    if (!to && !idle) return;
    const every = Math.max(10, Math.min(250, (to ?? Infinity) / 4, (idle ?? Infinity) / 4));
    this.#sweep = setTimeout(() => {
      const now = performance.now();
      for (const s of [...this.#workers.slots]) {
        const head = s.inflight[0];
        if (to && head && s.state === 'busy' && !s.blocked && now - s.headStart > to) {
          s.inflight.shift();
          const runMs = now - s.headStart;
          this.#settle(head, 'failed', {
            ok: false,
            text: `timed out after ${Math.round(runMs)} ms (limit ${to} ms)`,
            runMs,
            code: 'ETIMEOUT',
          });
          this.#end(s, `timeout on task ${head.id}`);
        } else if (idle && s.state === 'idle' && this.#queue.size === 0 && now - s.idleSince > idle)
          this.#end(s, 'idle');
      }
      this.#ensureWorkers();
      this.#dispatch();
      this.#checkIdle();
      this.#scheduleSweep();
    }, every);
    this.#sweep.unref();
  }

  /** Close one stats tick: counts, rates, latency, and each worker's busy share. */
  snapshot(t = Date.now()): PoolStats {
    const { workers, utilization, dtMs } = this.#workers.tick();
    const queued = this.#queue.size;
    const active = this.active;
    const { throughput, failRate } = this.stats.tick(t, dtMs, queued, active, utilization);
    return {
      id: this.id,
      name: this.name,
      options: { ...this.options },
      state: this.state,
      note: this.note,
      counts: this.stats.counts(queued, active),
      workers,
      wait: this.stats.wait.percentiles(),
      run: this.stats.run.percentiles(),
      throughput,
      failRate,
      utilization: Math.round(utilization * 1000) / 1000,
      producers: [],
      recent: [...this.stats.recent],
    };
  }
}
