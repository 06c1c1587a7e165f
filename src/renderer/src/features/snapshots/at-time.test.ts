import { describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotManaged, SnapshotPool } from '../../../../shared/snapshot/schema';
import { auditUpTo, lastAtOrBefore, managedAt, poolAt } from './at-time';

const pool: SnapshotPool = {
  id: 'p1',
  name: 'threads 1',
  kind: 'threads',
  size: 2,
  stats: {
    submitted: 50,
    queued: 0,
    active: 0,
    completed: 48,
    failed: 2,
    cancelled: 0,
    timedOut: 0,
    throughput: 4.5,
    utilization: 0.1,
    wait: { p50: 1, p95: 2, p99: 3 },
    run: { p50: 10, p95: 20, p99: 30 },
  },
  history: {
    t: [2000, 3000, 4000],
    queued: [30, null, 0],
    active: [2, 2, 0],
    completed: [10, 30, 48],
    failed: [0, 1, 2],
  },
};

const output = (ts: number[]) => ({
  lines: ts.map((t) => ({ stream: 'stdout' as const, text: `line at ${t}`, t })),
  dropped: 0,
});

const managed = (over: Partial<SnapshotManaged>): SnapshotManaged => ({
  id: 'm1',
  name: 'web',
  command: 'node',
  args: ['server.js'],
  state: 'running',
  pid: 4242,
  startTime: null,
  exitCode: null,
  signal: null,
  restarts: 0,
  startedAt: 2000,
  exitedAt: null,
  output: output([1500, 2500, 3500]),
  ...over,
});

describe('lastAtOrBefore', () => {
  it('finds the last time at or before a moment, -1 before the first', () => {
    const t = [10, 20, 20, 30];
    expect([5, 10, 15, 20, 29, 30, 99].map((at) => lastAtOrBefore(t, at))).toEqual([-1, 0, 0, 2, 2, 3, 3]);
    expect(lastAtOrBefore([], 10)).toBe(-1);
  });
});

describe('poolAt', () => {
  it('reads the end from the stats, and the same past the last point of history', () => {
    for (const at of [null, 4000, 9000]) {
      expect(poolAt(pool, at)).toMatchObject({
        recorded: true,
        submitted: 50,
        completed: 48,
        throughput: 4.5,
      });
    }
  });

  it('reads a moment from history, with a gap as null and what history lacks as null', () => {
    expect(poolAt(pool, 3500)).toEqual({
      recorded: true,
      submitted: null,
      queued: null,
      active: 2,
      completed: 30,
      failed: 1,
      cancelled: null,
      run: null,
      throughput: null,
    });
    expect(poolAt(pool, 2000)).toMatchObject({ queued: 30, completed: 10, failed: 0 });
  });

  it('records nothing before its first point', () => {
    expect(poolAt(pool, 1999)).toMatchObject({ recorded: false, queued: null, completed: null });
  });
});

describe('managedAt', () => {
  it('is the row at the end when no moment is given', () => {
    const m = managed({ state: 'exited', pid: null, exitCode: 3, exitedAt: 3000 });
    expect(managedAt(m, null)).toEqual({ state: 'exited', pid: null, exit: 3, lastLine: 'line at 3500' });
  });

  it('is running from its last start until that run exits, then in the state it ended in', () => {
    const m = managed({ state: 'exited', pid: null, exitCode: 3, exitedAt: 3000 });
    expect(managedAt(m, 2500)).toEqual({ state: 'running', pid: null, exit: null, lastLine: 'line at 2500' });
    expect(managedAt(m, 3000)).toEqual({ state: 'exited', pid: null, exit: 3, lastLine: 'line at 2500' });
    const signalled = managed({
      state: 'stopped',
      pid: null,
      signal: 'SIGTERM',
      exitCode: null,
      exitedAt: 3000,
    });
    expect(managedAt(signalled, 3200).exit).toBe('SIGTERM');
  });

  it('keeps the PID of a run that still runs at the end', () => {
    expect(managedAt(managed({}), 2500)).toMatchObject({ state: 'running', pid: 4242 });
  });

  it('before its last start: exited once the run before had ended, unknown before that', () => {
    // Restarted: the run before exited at 1800 with code 1; the last run started at 2000 and runs.
    const m = managed({ restarts: 1, exitCode: 1, exitedAt: 1800 });
    expect(managedAt(m, 1900)).toEqual({ state: 'exited', pid: null, exit: 1, lastLine: 'line at 1500' });
    expect(managedAt(m, 1700)).toEqual({ state: null, pid: null, exit: null, lastLine: 'line at 1500' });
    expect(managedAt(m, 2100)).toMatchObject({ state: 'running', pid: 4242, exit: null });
    // Never restarted by policy, but the user may have started it before: unknown, not "not started".
    expect(managedAt(managed({}), 1000)).toEqual({ state: null, pid: null, exit: null, lastLine: '' });
  });

  it('never started: the state at the end (e.g. a command that could not spawn)', () => {
    const m = managed({ state: 'fatal', pid: null, startedAt: null, output: output([]) });
    expect(managedAt(m, 1000)).toEqual({ state: 'fatal', pid: null, exit: null, lastLine: '' });
  });
});

describe('auditUpTo', () => {
  const audit: Snapshot['audit'] = [1000, 2000, 3000].map((t, seq) => ({
    seq,
    t,
    client: 'window',
    action: 'signal SIGTERM',
    target: { pid: 100 + seq },
    outcome: 'ok',
    detail: '',
  }));

  it('keeps the actions taken by then, all of them at the end', () => {
    expect(auditUpTo(audit, 2000).map((a) => a.seq)).toEqual([0, 1]);
    expect(auditUpTo(audit, 999)).toEqual([]);
    expect(auditUpTo(audit, null)).toBe(audit);
  });
});
