import { describe, expect, it } from 'vitest';
import { labCsv, labSummary, splitArgv, toBacklogRows, toLabRows } from './pool-data';

describe('pool data', () => {
  it('cuts backlog rows to the window, newest at 0 s', () => {
    const h = {
      t: [1000, 2000, 3000],
      queued: [5, 3, 0],
      active: [2, 2, 1],
      throughput: [0, 4, 5],
      failRate: [0, 0, 1],
      utilization: [],
      waitP95: [],
      runP95: [],
      completed: [],
      failed: [],
    };
    expect(toBacklogRows(h, 1000)).toEqual([
      { t: -1, queued: 3, active: 2, throughput: 4, failRate: 0 },
      { t: 0, queued: 0, active: 1, throughput: 5, failRate: 1 },
    ]);
  });

  it('puts speed-ups per worker count beside the ideal line, and exports CSV', () => {
    const rows = [
      { mode: 'serial', workers: 1, elapsedMs: 100, speedup: 1, runs: 3 },
      { mode: 'threads', workers: 1, elapsedMs: 100, speedup: 1, runs: 3 },
      { mode: 'threads', workers: 2, elapsedMs: 55, speedup: 1.82, runs: 3 },
      { mode: 'processes', workers: 2, elapsedMs: 57, speedup: 1.75, runs: 3 },
    ] as const;
    expect(toLabRows(rows)).toEqual([
      { workers: 1, ideal: 1, threads: 1 },
      { workers: 2, ideal: 2, threads: 1.82, processes: 1.75 },
    ]);
    expect(labCsv(rows).split('\n')[3]).toBe('threads,2,55,1.82,3');
    expect(labSummary(toLabRows(rows))).toBe(
      'Speed-up over serial at 1..2 workers: thread pool 1.00×, 1.82×; process pool —, 1.75×; ideal 1×, 2×',
    );
    expect(labSummary([])).toBe('Speed-up over serial: no runs yet');
  });

  it('splits a command template without a shell, keeping quoted arguments whole', () => {
    expect(splitArgv(`convert {} -resize "50%" out/{}`)).toEqual([
      'convert',
      '{}',
      '-resize',
      '50%',
      'out/{}',
    ]);
  });
});
