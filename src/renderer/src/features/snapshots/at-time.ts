/**
 * What a snapshot says of its managed processes, pools and control actions at one moment of
 * its history (the replay scrubber's time), from what the file holds and no more: a pool's
 * history columns, a managed process's last start and exit and its output's timestamps, the
 * audit log's times. Where the file cannot tell, the figure is null (shown as —), never the
 * figure at the end (the view does the same for a pool's size and a process's restart count,
 * which can change and have no history).
 */
import type { Snapshot, SnapshotManaged, SnapshotPool } from '../../../../shared/snapshot/schema';

type AuditEntry = Snapshot['audit'][number];

/**
 * Index of the last of `xs` whose time is at or before `at` (-1 when none); times ascend. `time`
 * reads an element's time (default: the element is the time), so rows are searched in place.
 */
export function lastAtOrBefore<T = number>(
  xs: readonly T[],
  at: number,
  time: (x: T) => number = (x) => x as number,
): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time(xs[mid]!) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A pool's row: at the end (its stats), or at a point of its history (null where none holds it). */
export interface PoolRow {
  /** False before the pool's first point of history: nothing is recorded of it yet. */
  recorded: boolean;
  submitted: number | null;
  queued: number | null;
  active: number | null;
  completed: number | null;
  failed: number | null;
  cancelled: number | null;
  run: { p50: number | null; p95: number | null; p99: number | null } | null;
  throughput: number | null;
}

/**
 * The pool at `at`, or at the end when `at` is null or at or past its last point of history.
 * History holds queued, active and the cumulative completed and failed counts; the rest (what
 * was submitted or cancelled, run percentiles, throughput) is known at the end only.
 */
export function poolAt(p: SnapshotPool, at: number | null): PoolRow {
  const h = p.history;
  const i = at === null ? h.t.length - 1 : lastAtOrBefore(h.t, at);
  if (at === null || i >= h.t.length - 1) {
    const s = p.stats;
    return {
      recorded: true,
      submitted: s.submitted,
      queued: s.queued,
      active: s.active,
      completed: s.completed,
      failed: s.failed,
      cancelled: s.cancelled,
      run: s.run,
      throughput: s.throughput,
    };
  }
  const v = (c: 'queued' | 'active' | 'completed' | 'failed'): number | null =>
    i < 0 ? null : (h[c][i] ?? null);
  return {
    recorded: i >= 0,
    submitted: null,
    queued: v('queued'),
    active: v('active'),
    completed: v('completed'),
    failed: v('failed'),
    cancelled: null,
    run: null,
    throughput: null,
  };
}

/** A managed process's row at one moment. */
export interface ManagedRow {
  /** The state then, or null when the file cannot tell (before its last start, after earlier runs). */
  state: string | null;
  pid: number | null;
  /** Exit code or signal of the run that had ended by then, else null. */
  exit: string | number | null;
  /** The newest line of output written by then. */
  lastLine: string;
}

const endRow = (m: SnapshotManaged): ManagedRow => ({
  state: m.state,
  pid: m.pid,
  exit: m.signal ?? m.exitCode,
  lastLine: m.output.lines.at(-1)?.text ?? '',
});

/**
 * The managed process at `at` (null: at the end). The file holds its last start
 * (`startedAt`), the end of its last run (`exitedAt`, which is before `startedAt` while a
 * restarted run is still going) and each output line's time:
 * - from its last start: running until that run's exit, then in the state it ended in;
 * - before its last start: exited if the run before had ended by then (its exit is the one
 *   recorded); otherwise unknown: the file holds no count of the user's own starts, so it
 *   cannot tell "not started yet" from an earlier run.
 */
export function managedAt(m: SnapshotManaged, at: number | null): ManagedRow {
  if (at === null) return endRow(m);
  const lines = m.output.lines;
  // Searched in place: a scrub step costs log(lines) per process, not a copy of its output.
  const n = lastAtOrBefore(lines, at, (l) => l.t);
  const lastLine = n >= 0 ? lines[n]!.text : '';
  const s = m.startedAt;
  const e = m.exitedAt;
  if (s === null) return { ...endRow(m), lastLine };
  const exit = m.signal ?? m.exitCode;
  if (at >= s) {
    // This run had ended by then: the state it ended in is the state at the end.
    if (e !== null && e >= s && e <= at) return { state: m.state, pid: null, exit, lastLine };
    // Running then; its PID is known only if it still runs at the end.
    const stillRunning = e === null || e < s;
    return { state: 'running', pid: stillRunning ? m.pid : null, exit: null, lastLine };
  }
  if (e !== null && e < s && e <= at) return { state: 'exited', pid: null, exit, lastLine };
  return { state: null, pid: null, exit: null, lastLine };
}

/** The control actions taken at or before `at` (all of them when `at` is null). */
export function auditUpTo(audit: readonly AuditEntry[], at: number | null): readonly AuditEntry[] {
  if (at === null) return audit;
  return audit.filter((a) => a.t <= at);
}
