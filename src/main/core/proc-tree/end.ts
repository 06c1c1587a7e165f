/**
 * Ending a set of processes, the one order every tree end follows: TERM what is known now
 * (no /proc walk before it), arm the KILL timer at once (so a slow walk under load can never
 * delay it), then look for members until none is left; anything alive at the end is reported.
 * What "known", "left" and the signals mean is the caller's (a managed run's groups and
 * cgroup, or a process and its descendants checked by identity).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { starttimeOf, type ProcEntry } from './proc-table';

/** How a caller ends its processes. */
export interface Ending<T> {
  /** Send TERM to what is known now, without walking /proc. */
  term(): void;
  /** Send KILL to what is known then (the timer calls it; it is called again for late finds). */
  kill(): void;
  /** Members alive now; may walk /proc, and TERM (or after the KILL, KILL) what it newly finds. */
  left(): readonly T[] | Promise<readonly T[]>;
  /** Besides an empty `left`, what else must hold to call it done (a run's exit reported). */
  done?(): boolean;
}

/** How an ending went. */
export interface Ended<T> {
  /** Nothing left and `done` held, before the hard end. */
  done: boolean;
  /** True when KILL had to be sent. */
  killed: boolean;
  /** Members still alive at the end (empty when done). */
  left: readonly T[];
  /** ms from `since` to the end. */
  ms: number;
}

/** How often `endWithin` looks again. */
const POLL_MS = 20;

/**
 * TERM, KILL at `since + timeoutMs`, done when nothing is left; gives up `afterKillMs`
 * after the KILL with what is still there.
 */
export async function endWithin<T>(
  e: Ending<T>,
  timeoutMs: number,
  { afterKillMs = 1000, pollMs = POLL_MS, since = performance.now() } = {},
): Promise<Ended<T>> {
  e.term();
  let killed = false;
  const kill = (): void => {
    killed = true;
    e.kill();
  };
  const timer = setTimeout(kill, Math.max(0, since + timeoutMs - performance.now()));
  const hardEnd = since + timeoutMs + afterKillMs;
  let left: readonly T[] = [];
  let done = false;
  try {
    for (;;) {
      left = await e.left();
      done = left.length === 0 && (e.done?.() ?? true);
      if (done) break;
      if (performance.now() >= hardEnd) break;
      // Members found after the KILL (forked meanwhile) get it too.
      if (killed && left.length > 0) e.kill();
      await sleep(pollMs);
    }
  } finally {
    clearTimeout(timer);
  }
  if (!done && !killed) kill();
  return { done, killed, left, ms: Math.round(performance.now() - since) };
}

/** Send `signal` to every group and to each listed process still alive with the same start time. */
export function signalTree(
  groups: readonly number[],
  members: readonly ProcEntry[],
  signal: NodeJS.Signals,
): void {
  for (const g of groups) {
    try {
      process.kill(-g, signal);
    } catch {
      // Group empty or gone.
    }
  }
  for (const m of members) {
    if (groups.includes(m.pgid)) continue;
    if (starttimeOf(m.pid) !== m.starttime) continue;
    try {
      process.kill(m.pid, signal);
    } catch {
      // Gone.
    }
  }
}
