/**
 * A worker pool: a bounded queue in front of N workers (threads or processes) that
 * Spindle owns itself, so queue semantics, per-worker state, timeouts, retries and stats
 * are the same for both kinds. Invariant, after every operation:
 * submitted = queue.size + active + completed + failed + cancelled,
 * where active = tasks in flight on workers + finished tasks held by back pressure.
 */
import { SpindleError } from '../../../shared/result';
import type {
  PoolOptions,
  PoolState,
  PoolStats,
  WorkerInfo,
  WorkloadSpec,
} from '../../../shared/contract/pools';
import { openWith } from './channel';
import { PoolStatsKeeper } from './pool-stats';
import type { WireDone, WireTask } from './protocol';
import { HoldClock } from './hold-clock';
import { BoundedQueue, type TaskQueue } from './queue';
import { failure, type Outcome, type Task } from './task';
import { sweep, sweepEvery } from './sweep';
import { WorkerSet, type OpenWorker } from './worker-set';
import type { WorkerSlot } from './worker-slot';

export { MAX_START_FAILURES } from './worker-set';
/** Tasks kept in flight per worker when tasks are tiny (amortizes the message round trip). */
const MAX_DEPTH = 16;

export class Pool {
  #state: PoolState = 'running';
  note: string | null = null;
  /** Told at once when the state or the size changes, so clients need not wait for a tick. */
  onChange: () => void = () => {};
  readonly stats = new PoolStatsKeeper();
  readonly #queue: TaskQueue<Task>;
  readonly #workers: WorkerSet;
  #roomWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #readyWaiters: (() => void)[] = [];
  /** Finished results held by back pressure; they count as active until the next stage takes them. */
  readonly #holds = new HoldClock();
  #nextTask = 0;
  #sweep: NodeJS.Timeout | null = null;
  #dispatchQueued = false;
  /** Rates of the last closed tick, shown until the next one. */
  #lastRates = {
    throughput: 0,
    failRate: 0,
    waitP95: null as number | null,
    runP95: null as number | null,
    utilization: 0,
  };
  /** Moving average of run time, ms: decides how many tasks a worker may hold. */
  #avgRun = -1;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly options: PoolOptions,
    open: OpenWorker = openWith(),
  ) {
    this.#queue = new BoundedQueue<Task>(options.maxQueue);
    this.#workers = new WorkerSet({
      open: () => open(this.options),
      ready: () => {
        this.#checkReady();
        this.#dispatch();
      },
      done: (slot, results) => this.#onDone(slot, results),
      lost: (slot, how) => this.#onLost(slot, how),
      retry: () => this.#ensureWorkers(),
      unhealthy: (note) => this.#onUnhealthy(note),
    });
    this.#ensureWorkers();
    this.#scheduleSweep();
  }

  get state(): PoolState {
    return this.#state;
  }

  #set(state: PoolState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#checkReady();
    this.onChange();
  }

  get queued(): number {
    return this.#queue.size;
  }

  get active(): number {
    let n = this.#holds.held;
    for (const s of this.#workers.slots) n += s.inflight.length;
    return n;
  }

  get hasRoom(): boolean {
    return this.#queue.size < this.#queue.capacity;
  }

  /** Some worker holds a result the next stage will not take yet. */
  get isBlocked(): boolean {
    return this.#holds.held > 0;
  }

  /** Time some worker spent holding a result the next stage would not take. */
  blockedMs(now = performance.now()): number {
    return this.#holds.ms(now);
  }

  /** Throw EPOOL_CLOSED, EPOOL_UNHEALTHY or EPOOL_DRAINING unless the pool accepts new work. */
  checkOpen(): void {
    const why = {
      terminated: 'is terminated',
      unhealthy: `is unhealthy: ${this.note}`,
      draining: 'is draining',
    };
    const code = {
      terminated: 'EPOOL_CLOSED',
      unhealthy: 'EPOOL_UNHEALTHY',
      draining: 'EPOOL_DRAINING',
    } as const;
    const k = this.state === 'drained' ? 'draining' : this.state;
    if (k === 'terminated' || k === 'unhealthy' || k === 'draining')
      throw new SpindleError(code[k], `pool ${this.name} ${why[k]} and accepts nothing new`);
  }

  /** Queue one task now, or fail with EQUEUE_FULL (whatever the full policy: waiting is `submitWait`). */
  submit(spec: WorkloadSpec, item: string | number, onDone?: Task['onDone']): Task {
    this.checkOpen();
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
        `queue full: ${this.#queue.size} queued, ${this.active} active, max ${this.#queue.capacity}`,
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
      this.checkOpen();
      await new Promise<void>((r) => this.#roomWaiters.push(r));
    }
    return this.submit(spec, item, onDone);
  }

  /** Resolves when nothing is queued or active. */
  whenIdle(): Promise<void> {
    if (this.#queue.size === 0 && this.active === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  /** Resolves when every worker has said ready (or the pool gave up or ended). */
  whenReady(): Promise<void> {
    if (this.#isReady()) return Promise.resolve();
    return new Promise((r) => this.#readyWaiters.push(r));
  }

  #isReady(): boolean {
    if (this.state === 'unhealthy' || this.state === 'terminated') return true;
    return !this.#workers.slots.some((s) => s.state === 'starting');
  }

  /** Called on every event that can end a wait for ready: a worker ready, a state change. */
  #checkReady(): void {
    if (this.#readyWaiters.length === 0 || !this.#isReady()) return;
    const w = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const r of w) r();
  }

  pause(): void {
    if (this.state === 'running') this.#set('paused');
  }

  resume(): void {
    if (this.state === 'paused' || this.state === 'draining' || this.state === 'drained')
      this.#set('running');
    this.#dispatch();
  }

  /** Finish what is queued, accept nothing new. */
  drain(): void {
    if (this.state === 'running' || this.state === 'paused') this.#set('draining');
    this.#dispatch();
    this.#checkIdle();
  }

  /** Cancel everything still queued; returns how many. */
  cancelQueued(): number {
    const gone = this.#queue.clear();
    for (const t of gone) this.#settle(t, 'cancelled', failure('ECANCELLED', 'cancelled while queued'));
    this.#wakeRoom();
    this.#checkIdle();
    return gone.length;
  }

  resize(size: number): void {
    this.options.size = size;
    this.onChange();
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
    this.#set('terminated');
    this.#workers.stop();
    if (this.#sweep) clearTimeout(this.#sweep);
    for (const s of [...this.#workers.slots]) {
      for (const t of s.inflight.splice(0))
        this.#settle(t, 'cancelled', failure('ECANCELLED', 'cancelled: pool terminated'));
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
    this.#holds.hold();
    slot.blocked = true;
    const release = (): void => {
      this.#holds.release();
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

  /** A started worker died (its results, last words included, are all in). */
  #onLost(slot: WorkerSlot, how: string): void {
    const runMs = performance.now() - slot.headStart;
    const ran = this.#ran(slot);
    this.#reclaim(slot.inflight.splice(0), ran, `worker ${slot.n} ended (${how})`, runMs);
    this.note = `worker ${slot.n}: ${slot.reason}`;
    this.#ensureWorkers();
    this.#afterWork(slot);
  }

  /** How many of the tasks a worker holds it has started: it counts each start, we count each result. */
  #ran(slot: WorkerSlot): number {
    // Both counters wrap at 2^31 alike.
    return Math.min(slot.inflight.length, Math.max(0, (slot.channel.started() - slot.done) | 0));
  }

  /**
   * Tasks a worker held when it ended, oldest first, of which the first `ran` had started
   * (it runs them in order). Each of those spent a run and retries per policy or fails;
   * normally that is only the one running when it ended. The rest never started: they go
   * back to the front of the queue in order, not counted as a retry. So an item runs at
   * most 1 + retries times, and a crash fails only its own task. (A worker killed outright,
   * without last words, can also take with it the results of tasks it finished just before:
   * those ran too, and say so.)
   */
  #reclaim(held: Task[], ran: number, ended: string, runMs = 0): void {
    const back: Task[] = [];
    held.forEach((t, i) => {
      if (i >= ran) back.push(t);
      else if (t.attempts < this.options.retries) {
        t.attempts++;
        this.stats.retried++;
        back.push(t);
      } else if (i === ran - 1)
        this.#settle(t, 'failed', failure('EWORKER_EXIT', `${ended} while running this task`, runMs));
      else this.#settle(t, 'failed', failure('EWORKER_EXIT', `${ended} before this task's result arrived`));
    });
    for (const t of back.reverse()) this.#queue.pushFront(t);
  }

  #onUnhealthy(note: string): void {
    if (this.state === 'terminated') return;
    this.#set('unhealthy');
    this.note = note;
    for (const t of this.#queue.clear())
      this.#settle(t, 'failed', failure('EPOOL_UNHEALTHY', `pool unhealthy: ${note}`));
    this.#wakeRoom();
    this.#checkIdle();
  }

  /** End a worker on purpose; the tasks it held and never started go back to the front of the queue. */
  #end(slot: WorkerSlot, reason: string): void {
    const ran = this.#ran(slot);
    this.#reclaim(this.#workers.end(slot, reason), ran, `worker ${slot.n} ended (${reason})`);
    this.#checkReady();
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
    if (this.state === 'draining') this.#set('drained');
    const w = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const r of w) r();
  }

  /** Timeouts and idle workers, checked a few times per timeout period. */
  #scheduleSweep(): void {
    const { taskTimeoutMs, idleTimeoutMs } = this.options;
    if (!taskTimeoutMs && !idleTimeoutMs) return;
    this.#sweep = setTimeout(
      () => {
        const now = performance.now();
        const found = sweep(this.#workers.slots, now, {
          taskTimeoutMs,
          idleTimeoutMs,
          queued: this.#queue.size,
        });
        for (const s of found.overdue) {
          const ran = this.#ran(s);
          const [head, ...rest] = this.#workers.end(s, `timeout on task ${s.inflight[0]!.id}`);
          const runMs = now - s.headStart;
          const text = `timed out after ${Math.round(runMs)} ms (limit ${taskTimeoutMs} ms)`;
          this.#settle(head!, 'failed', failure('ETIMEDOUT', text, runMs));
          this.#reclaim(rest, ran - 1, `worker ${s.n} ended (timeout on task ${head!.id})`);
        }
        for (const s of found.idle) this.#end(s, 'idle');
        this.#ensureWorkers();
        this.#dispatch();
        this.#checkIdle();
        this.#scheduleSweep();
      },
      sweepEvery(taskTimeoutMs, idleTimeoutMs),
    );
    this.#sweep.unref();
  }

  /** Close one stats tick: rates, latency percentiles, each worker's busy share, one history point. */
  closeTick(t = Date.now()): void {
    const { utilization, dtMs } = this.#workers.tick();
    const rates = this.stats.tick(t, dtMs, this.#queue.size, this.active, utilization);
    this.#lastRates = { ...rates, utilization: Math.round(utilization * 1000) / 1000 };
  }

  /** The pool as it is now (reads only): rates and busy shares are the last closed tick's. */
  view(): PoolStats {
    return this.#stats(this.#workers.view(), this.#queue.size, this.active);
  }

  #stats(workers: WorkerInfo[], queued: number, active: number): PoolStats {
    const { throughput, failRate, waitP95, runP95, utilization } = this.#lastRates;
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
      tickP95: { wait: waitP95, run: runP95 },
      throughput,
      failRate,
      utilization,
      producers: [],
      recent: [...this.stats.recent],
    };
  }
}
