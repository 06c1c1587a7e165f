/** Which workers have overrun the task timeout or sat idle too long: pure, so a test can feed it. */
import type { WorkerSlot } from './worker-slot';

export interface SweepFindings {
  /** Workers whose running task passed the timeout. */
  overdue: WorkerSlot[];
  /** Idle workers past the idle timeout (only when nothing is queued). */
  idle: WorkerSlot[];
}

export function sweep(
  slots: readonly WorkerSlot[],
  now: number,
  opts: { taskTimeoutMs?: number; idleTimeoutMs?: number; queued: number },
): SweepFindings {
  const out: SweepFindings = { overdue: [], idle: [] };
  const { taskTimeoutMs: to, idleTimeoutMs: idle } = opts;
  for (const s of slots) {
    // A worker held by back pressure is waiting on the next stage, not running: never overdue.
    if (to && s.inflight.length && s.state === 'busy' && !s.blocked && now - s.headStart > to)
      out.overdue.push(s);
    else if (idle && s.state === 'idle' && opts.queued === 0 && now - s.idleSince > idle) out.idle.push(s);
  }
  return out;
}

/** How often to sweep: a few times per timeout, between 10 and 250 ms. */
export const sweepEvery = (taskTimeoutMs?: number, idleTimeoutMs?: number): number =>
  Math.max(10, Math.min(250, (taskTimeoutMs ?? Infinity) / 4, (idleTimeoutMs ?? Infinity) / 4));
