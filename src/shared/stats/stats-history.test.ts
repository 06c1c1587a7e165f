import { describe, expect, it } from 'vitest';
import type { CpuPct, StatsSample } from '../contract/stats';
import { applyProcDelta, diffProcs } from './proc-delta';
import { RingColumns } from './ring-columns';
import { StatsHistory } from './stats-history';
import { procRow } from '../../test-utils/sampler-fixtures';

const row = procRow;

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
const sample = (seq: number, t: number, busy = 10): StatsSample => ({
  seq,
  t,
  intervalMs: 1000,
  cpu: { total: pct(busy), cores: [pct(busy), pct(busy)] },
  load: null,
  mem: null,
  tasks: { processes: 1, threads: 1, running: 1, blocked: 0, ctxtPerSec: null, forksPerSec: null },
  self: { pid: 1, cpuMs: 1, cpuSource: 'wall', processCpuMs: 1, rssBytes: 1, heapBytes: 1 },
});

describe('process deltas', () => {
  it('carries only added, removed and changed fields, and applies back to the same table', () => {
    const prev = new Map([row(1), row(2), row(3)].map((r) => [r.key, r]));
    const next = [row(1), row(2, { cpu: 50, state: 'R' }), row(4)];
    const d = diffProcs(prev, next, 7);
    expect(d).toEqual({
      base: 7,
      added: [row(4)],
      removed: ['3:1'],
      changed: [{ key: '2:1', cpu: 50, state: 'R' }],
      resync: [],
      count: 3,
    });
    const table = new Map(prev);
    expect(applyProcDelta(table, 7, d)).toBe(true);
    expect([...table.values()]).toEqual(expect.arrayContaining(next));
    expect(table.size).toBe(3);
  });

  it('refuses a delta that does not follow the table, or leaves a different row count', () => {
    const table = new Map([[row(1).key, row(1)]]);
    const d = { base: 6, added: [], removed: ['1:1'], changed: [], resync: [], count: 0 };
    expect(applyProcDelta(table, 5, d)).toBe(false);
    expect(table.size).toBe(1);
    // A client that missed an `added` row: the resync restores it, the count exposes the other gap.
    const missed = { base: 5, added: [], removed: [], changed: [], resync: [row(2)], count: 3 };
    expect(applyProcDelta(table, 5, missed)).toBe(false);
    expect([...table.keys()]).toEqual(['1:1', '2:1']);
  });
});

describe('RingColumns', () => {
  it('keeps the newest rows and marks unset values as gaps', () => {
    const r = new RingColumns(3);
    for (let i = 1; i <= 5; i++) {
      const slot = r.append(i * 1000);
      if (i !== 4) r.set('a', slot, i);
    }
    expect(r.window()).toEqual({ t: [3000, 4000, 5000], cols: new Map([['a', [3, null, 5]]]) });
    expect(r.window(4000).t).toEqual([4000, 5000]);
    const small = r.resized(2);
    expect(small.window().cols.get('a')).toEqual([null, 5]);
  });

  it('starts a new column as gaps on earlier rows, never zeros', () => {
    const r = new RingColumns(4);
    r.append(1);
    const s = r.append(2);
    r.set('late', s, 7);
    expect(r.window().cols.get('late')).toEqual([null, 7]);
  });
});

describe('StatsHistory', () => {
  it('records system series and per-process series for processes of interest, dropping exited ones', () => {
    const h = new StatsHistory(10_000, 1000);
    const table = new Map([row(1, { cpu: 5 }), row(2, { cpu: 90 })].map((r) => [r.key, r]));
    h.push(sample(1, 1000, 10), table, ['2:1']);
    h.push(sample(2, 2000, 20), table, ['2:1', '1:1']);
    let w = h.window();
    expect(w.t).toEqual([1000, 2000]);
    expect(w.series['cpu.busy']).toEqual([10, 20]);
    expect(w.series['cpu1.user']).toEqual([10, 20]);
    expect(w.series['load.one']).toEqual([null, null]);
    expect(w.procs['2:1']).toEqual({ name: 'p', cpu: [90, 90], rss: [1000, 1000], threads: [1, 1] });
    expect(w.procs['1:1']?.cpu).toEqual([null, 5]);
    table.delete('2:1');
    h.push(sample(3, 3000), table, []);
    w = h.window();
    expect(Object.keys(w.procs)).toEqual(['1:1']);
    expect(h.trackedKeys()).toEqual(['1:1']);
  });

  it('is bounded by retention and survives a trip over the wire', () => {
    const h = new StatsHistory(5000, 1000);
    const table = new Map([[row(1).key, row(1)]]);
    for (let i = 1; i <= 50; i++) h.push(sample(i, i * 1000, i), table, ['1:1']);
    const w = h.window();
    expect(w.t.at(-1)).toBe(50_000);
    expect(w.t[0]).toBeGreaterThanOrEqual(45_000);
    const copy = StatsHistory.fromWindow(JSON.parse(JSON.stringify(w)), 5000, 1000);
    expect(copy.window()).toEqual(w);
    copy.push(sample(51, 51_000, 51), table, []);
    expect(copy.window().series['cpu.busy']?.at(-1)).toBe(51);
  });

  it('cuts a named column window: only the series and processes asked for', () => {
    const h = new StatsHistory(10_000, 1000);
    const table = new Map([row(1, { cpu: 5 }), row(2, { cpu: 90 })].map((r) => [r.key, r]));
    for (let i = 1; i <= 4; i++) h.push(sample(i, i * 1000, i), table, ['1:1', '2:1']);
    const w = h.window(1500, { series: ['cpu.busy', 'cpu9.busy'], procs: ['2:1', '3:1'] });
    expect(w.t).toEqual([3000, 4000]);
    expect(w.series).toEqual({ 'cpu.busy': [3, 4] });
    expect(w.procs).toEqual({ '2:1': { name: 'p', cpu: [90, 90], rss: [1000, 1000], threads: [1, 1] } });
    expect(h.window(1500, {}).series).toEqual({});
  });
});
