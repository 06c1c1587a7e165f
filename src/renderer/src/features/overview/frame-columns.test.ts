import { describe, expect, it } from 'vitest';
import type { CpuPct, HistoryWindow, StatsSample } from '../../../../shared/contract';
import { FrameColumns, wantedSeries } from './frame-columns';

const pct = (busy: number): CpuPct => ({
  user: busy,
  nice: 0,
  system: 0,
  idle: 100 - busy,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  guest: 0,
  busy,
});
const sample = (seq: number, busy: number): StatsSample => ({
  seq,
  t: seq * 1000,
  intervalMs: 1000,
  cpu: { total: pct(busy), cores: [pct(busy), pct(busy / 2)] },
  load: { one: 1, five: 1, fifteen: 1 },
  mem: null,
  tasks: { processes: 10, threads: 20, running: 1, blocked: 0, ctxtPerSec: 5, forksPerSec: 0 },
  self: { pid: 1, cpuMs: 1, cpuSource: 'thread', processCpuMs: 2, rssBytes: 3, heapBytes: 4 },
});

describe('FrameColumns', () => {
  it('seeds from the store history, appends each next tick, re-seeds after a missed one, and keeps only maxMs', () => {
    let windows = 0;
    const hist: HistoryWindow = {
      t: [1000, 2000],
      series: { 'cpu0.busy': [10, 20], 'cpu1.busy': [5, 10] },
      procs: {},
    };
    const history = { window: () => (windows++, hist) };
    const cols = new FrameColumns(3000);
    cols.sync({ seq: 2, latest: sample(2, 20), history });
    cols.sync({ seq: 3, latest: sample(3, 30), history });
    cols.sync({ seq: 4, latest: sample(4, 40), history });
    expect(windows).toBe(1);
    const w = cols.window(10_000);
    expect(w.t).toEqual([1000, 2000, 3000, 4000]);
    expect(w.series['cpu0.busy']).toEqual([10, 20, 30, 40]);
    expect(w.series['cpu1.busy']).toEqual([5, 10, 15, 20]);
    cols.sync({ seq: 5, latest: sample(5, 50), history });
    expect(cols.window(10_000).t).toEqual([2000, 3000, 4000, 5000]);
    expect(cols.window(1000).t).toEqual([4000, 5000]);
    cols.sync({ seq: 9, latest: sample(9, 90), history });
    expect(windows).toBe(2);
  });

  it('keeps the split of each core only up to 16 cores', () => {
    expect(wantedSeries(2).has('cpu1.iowait')).toBe(true);
    expect(wantedSeries(64).has('cpu63.busy')).toBe(true);
    expect(wantedSeries(64).has('cpu1.iowait')).toBe(false);
  });
});
