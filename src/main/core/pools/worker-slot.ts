/** One worker of a pool: its channel, its state and the tasks handed to it, oldest first. */
import type { WorkerInfo, WorkerState } from '../../../shared/contract/pools';
import type { WorkerChannel } from './channel';
import type { Task } from './task';

export class WorkerSlot {
  state: WorkerState = 'starting';
  pid: number | null = null;
  tid: number | null = null;
  threadId: number | null = null;
  /** Tasks posted and not finished. The worker runs them in order, so [0] is the one running. */
  readonly inflight: Task[] = [];
  /** When inflight[0] started, as best core knows (dispatch time, or the previous result's arrival). */
  headStart = 0;
  idleSince = 0;
  done = 0;
  /** Run time of finished tasks, measured in the worker. */
  busyMs = 0;
  /** busyTotal at the previous tick, for utilization. */
  lastBusy = 0;
  util = 0;
  /** CPU time (ms) at the previous tick, and the % of one core used since (null = unknown). */
  lastCpuMs: number | null = null;
  cpu: number | null = null;
  /** Holding a finished result the next stage has not accepted yet. */
  blocked = false;
  /** Finish what it holds, then leave (the pool shrank). */
  retiring = false;
  /** Set when the pool ends it on purpose, so its exit is not counted as a crash. */
  endedOnPurpose = false;
  reason: string | null = null;
  readyTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly n: number,
    readonly channel: WorkerChannel,
    readonly startedAt: number,
  ) {}

  /** Busy time including the running task's elapsed so far. */
  busyTotal(now: number): number {
    return this.busyMs + (this.inflight.length && !this.blocked ? Math.max(0, now - this.headStart) : 0);
  }

  get live(): boolean {
    return this.state !== 'dead';
  }

  info(now: number): WorkerInfo {
    const head = this.inflight[0];
    return {
      n: this.n,
      state: this.state,
      pid: this.pid,
      tid: this.tid,
      threadId: this.threadId,
      task: this.live ? (head?.id ?? null) : null,
      taskMs: head && this.state === 'busy' ? Math.round(now - this.headStart) : 0,
      inFlight: this.live ? this.inflight.length : 0,
      blocked: this.blocked,
      done: this.done,
      util: Math.round(this.util * 1000) / 1000,
      cpu: this.live && this.cpu !== null ? Math.round(this.cpu * 10) / 10 : null,
      reason: this.reason,
    };
  }
}
