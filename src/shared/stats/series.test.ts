import { describe, expect, it } from 'vitest';
import type { HistoryWindow, SeriesName, StatsSample } from '../contract/stats';
import { sampleFromSeries, sampleSeries } from './series';

const pct = (busy: number) => ({
  user: busy / 2,
  nice: 0,
  system: busy / 2,
  idle: 100 - busy,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  guest: 0,
  busy,
});

const sample = (i: number): StatsSample => ({
  seq: i + 1,
  t: 1000 * i,
  intervalMs: 1000,
  cpu: { total: pct(10 * i), cores: [pct(5 * i), pct(15 * i)] },
  load: { one: i, five: i / 2, fifteen: i / 4 },
  mem: { total: 8, used: 4, available: 4, free: 2, buffers: 1, cached: 1, swapTotal: 2, swapUsed: 0 },
  tasks: { processes: 100 + i, threads: 300, running: 2, blocked: null, ctxtPerSec: 50, forksPerSec: 1 },
  self: { pid: 0, cpuMs: 3, cpuSource: 'thread', processCpuMs: 5, rssBytes: 1e8, heapBytes: 2e7 },
});

describe('sampleFromSeries', () => {
  it('rebuilds each sample from history columns (the inverse of sampleSeries)', () => {
    const samples = [0, 1, 2].map(sample);
    const win: HistoryWindow = { t: samples.map((s) => s.t), series: {}, procs: {} };
    samples.forEach((s, i) => {
      for (const [name, value] of sampleSeries(s)) {
        const col = (win.series[name as SeriesName] ??= []);
        col[i] = value;
      }
    });
    expect(sampleFromSeries(win, 2, 1000)).toEqual({ ...samples[2], seq: 3 });
    expect(sampleFromSeries(win, 1, 1000).cpu.cores).toHaveLength(2);
  });
});
