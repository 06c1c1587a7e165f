/**
 * The workers of one pool: starting them, hearing them, burying them (the last few dead
 * are kept for display), and backing off when they fail to start so a broken worker is
 * never respawned in a tight loop. What to do with tasks is the pool's business.
 */
import { workerCpuMs } from './worker-cpu';
import type { PoolOptions, WorkerInfo } from '../../../shared/contract/pools';
import type { WorkerChannel } from './channel';
import type { WireDone } from './protocol';
import type { Task } from './task';
import { WorkerSlot } from './worker-slot';

/** Consecutive start-up failures before the pool is marked unhealthy. */
export const MAX_START_FAILURES = 3;
const READY_TIMEOUT_MS = 20_000;
const DEAD_KEPT = 8;

export interface WorkerSetHooks {
  open(): WorkerChannel;
  ready(slot: WorkerSlot): void;
  done(slot: WorkerSlot, results: WireDone[]): void;
  /** A started worker ended without being asked to; its tasks are still in `slot.inflight`. */
  lost(slot: WorkerSlot, how: string): void;
  /** Backoff over: the pool may want workers again. */
  retry(): void;
  /** Too many start-up failures in a row. */
  unhealthy(note: string): void;
}

export class WorkerSet {
  readonly slots: WorkerSlot[] = [];
  readonly #dead: WorkerInfo[] = [];
  readonly #hooks: WorkerSetHooks;
  #next = 0;
  #startFailures = 0;
  #respawn: NodeJS.Timeout | null = null;
  #lastTick = performance.now();

  constructor(hooks: WorkerSetHooks) {
    this.#hooks = hooks;
  }

  /** False while backing off after a start-up failure. */
  get canSpawn(): boolean {
    return this.#respawn === null;
  }

  /** Start workers until there are `want`. */
  fill(want: number): void {
    if (!this.canSpawn) return;
    while (this.slots.length < want) this.#spawn();
  }

  #spawn(): void {
    const slot = new WorkerSlot(++this.#next, this.#hooks.open(), performance.now());
    this.slots.push(slot);
    slot.readyTimer = setTimeout(() => {
      slot.reason = `start-up failed: not ready after ${READY_TIMEOUT_MS} ms`;
      slot.channel.kill();
    }, READY_TIMEOUT_MS);
    slot.channel.onMessage((m) => {
      if (!slot.live) return;
      if (m.t === 'ready') {
        if (slot.readyTimer) clearTimeout(slot.readyTimer);
        this.#startFailures = 0;
        Object.assign(slot, {
          pid: m.pid,
          tid: m.tid,
          threadId: m.threadId,
          state: 'idle',
          idleSince: performance.now(),
        });
        this.#hooks.ready(slot);
      } else if (m.t === 'startFail') slot.reason = m.error;
      else if (m.t === 'done') this.#hooks.done(slot, m.r);
    });
    slot.channel.onExit((how) => this.#onExit(slot, how));
  }

  #onExit(slot: WorkerSlot, how: string): void {
    if (slot.readyTimer) clearTimeout(slot.readyTimer);
    if (slot.endedOnPurpose) return;
    const wasStarting = slot.state === 'starting';
    slot.reason ??= how;
    this.#bury(slot);
    if (!wasStarting) return this.#hooks.lost(slot, how);
    if (++this.#startFailures >= MAX_START_FAILURES) {
      return this.#hooks.unhealthy(`${MAX_START_FAILURES} workers failed to start; last: ${slot.reason}`);
    }
    if (this.#respawn) return;
    this.#respawn = setTimeout(
      () => {
        this.#respawn = null;
        this.#hooks.retry();
      },
      200 * 2 ** (this.#startFailures - 1),
    );
  }

  /** End a worker on purpose; returns the tasks it held (none of them finished). */
  end(slot: WorkerSlot, reason: string): Task[] {
    if (!slot.live) return [];
    slot.endedOnPurpose = true;
    slot.reason = reason;
    const held = slot.inflight.splice(0);
    this.#bury(slot);
    slot.channel.kill();
    return held;
  }

  #bury(slot: WorkerSlot): void {
    if (!slot.live) return;
    slot.state = 'dead';
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    this.#dead.push(slot.info(performance.now()));
    if (this.#dead.length > DEAD_KEPT) this.#dead.shift();
  }

  /** Stop backing off (the pool is ending). */
  stop(): void {
    if (this.#respawn) clearTimeout(this.#respawn);
    this.#respawn = null;
  }

  /** Every worker now (the live ones, then the last few dead), busy shares as of the last tick. */
  view(): WorkerInfo[] {
    const now = performance.now();
    return [...this.slots.map((s) => s.info(now)), ...this.#dead];
  }

  /** Close a tick: each worker's busy share since the last one, from run time measured in the worker. */
  tick(): { workers: WorkerInfo[]; utilization: number; dtMs: number } {
    const now = performance.now();
    const dtMs = Math.max(1, now - this.#lastTick);
    this.#lastTick = now;
    let busy = 0;
    let live = 0;
    for (const s of this.slots) {
      const total = s.busyTotal(now);
      s.util = Math.min(1, Math.max(0, (total - s.lastBusy) / dtMs));
      s.lastBusy = total;
      // The OS's view beside the worker's own: CPU % of one core since the last tick.
      const cpuMs = workerCpuMs(s);
      s.cpu =
        cpuMs !== null && s.lastCpuMs !== null ? Math.max(0, ((cpuMs - s.lastCpuMs) / dtMs) * 100) : null;
      s.lastCpuMs = cpuMs;
      if (s.state === 'starting') continue;
      busy += s.util;
      live++;
    }
    return { workers: this.view(), utilization: live ? busy / live : 0, dtMs };
  }
}

/** What a pool needs to open one worker. */
export type OpenWorker = (opts: PoolOptions) => WorkerChannel;
