import { describe, expect, it } from 'vitest';
import type { ProcRow } from '../../../shared/contract';
import { Histogram } from '../pools/histogram';
import { parseSelection, selectRows } from './selection';

const row = (pid: number, cpu: number): ProcRow => ({
  key: `${pid}:1`,
  pid,
  ppid: 1,
  name: `p${pid}`,
  cmd: '',
  user: 'u',
  state: 'S',
  cpu,
  cpuNorm: cpu / 2,
  rss: 1,
  vsize: 1,
  threads: 1,
  fds: null,
  startTime: 0,
  nice: 0,
  priority: 20,
  readBps: null,
  writeBps: null,
});

// 5,000 processes, the first 300 busy (pid 1 busiest).
const table = new Map<string, ProcRow>();
for (let pid = 1; pid <= 5000; pid++) table.set(`${pid}:1`, row(pid, pid <= 300 ? 301 - pid : 0));
const top20 = [...table.values()].slice(0, 20).map((r) => r.key);

describe('--metrics-processes', () => {
  it('parses top:N, managed and none, and refuses anything else with EINVAL', () => {
    expect(parseSelection('top:5')).toEqual({ kind: 'top', n: 5 });
    expect(parseSelection('managed')).toEqual({ kind: 'managed' });
    expect(parseSelection('none')).toEqual({ kind: 'none' });
    for (const bad of ['top:0', 'top:201', 'top:', 'top:-1', 'all', 'top:1e3', ''])
      expect(() => parseSelection(bad)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('keeps a scrape small with 5,000 processes: N busiest plus managed, managed only, or none', () => {
    const managed = ['4000:1', '4001:1', '9999:1']; // the last one is gone from the table
    const top = selectRows({ kind: 'top', n: 20 }, table, top20, 20, managed);
    expect(top.map((r) => r.pid)).toEqual([4000, 4001, ...Array.from({ length: 20 }, (_, i) => i + 1)]);
    const five = selectRows({ kind: 'top', n: 5 }, table, top20, 20, []);
    expect(five.map((r) => r.pid)).toEqual([1, 2, 3, 4, 5]);
    // More than the sampler's own list holds: ranked from the table.
    const fifty = selectRows({ kind: 'top', n: 50 }, table, top20, 20, []);
    expect(fifty.map((r) => r.pid)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(selectRows({ kind: 'managed' }, table, top20, 20, managed).map((r) => r.pid)).toEqual([
      4000, 4001,
    ]);
    expect(selectRows({ kind: 'none' }, table, top20, 20, managed)).toEqual([]);
  });
});

describe('pool histogram as Prometheus buckets', () => {
  it('counts at or below each bound within its 4% resolution, with the exact sum', () => {
    const h = new Histogram();
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    const [a, b, c, d] = h.cumulative([10, 100, 500, 5000]);
    expect(Math.abs(a! - 10)).toBeLessThanOrEqual(1);
    expect(Math.abs(b! - 100)).toBeLessThanOrEqual(4);
    expect(Math.abs(c! - 500)).toBeLessThanOrEqual(20);
    expect(d).toBe(1000);
    expect(h.sum).toBe(500_500);
    expect(new Histogram().cumulative([1, 2])).toEqual([0, 0]);
  });
});
