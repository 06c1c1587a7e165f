import { describe, expect, it } from 'vitest';
import type { HistoryWindow } from '../../../shared/contract';
import { formatBytes } from './format';
import { dataOfRows, rowsOfData } from './chart-data';
import {
  coreCount,
  coreMatrix,
  cpuFields,
  selfCpuPct,
  sumProcs,
  toColumns,
  type FieldSpec,
} from './history-rows';

const win: HistoryWindow = {
  t: [1000, 2000, 3000, 7000, 8000],
  series: {
    'cpu0.busy': [10, 20, null, 40, 50],
    'cpu1.busy': [0, 0, 0, 100, 100],
    'cpu0.user': [5, 10, null, 30, 40],
    'cpu0.system': [5, 10, null, 10, 10],
    'cpu0.iowait': [0, 0, null, 0, 0],
    'cpu0.steal': [0, 0, null, 0, 0],
    'mem.used': [1024, 2048, 2048, 2048, 4096],
  },
  procs: {},
};

/** `toColumns` read point by point (no reading = null), as the assertions below read it. */
const toRows = (
  w: Parameters<typeof toColumns>[0],
  fields: FieldSpec[],
  windowMs: number,
  maxPoints?: number,
) =>
  rowsOfData(
    toColumns(w, fields, windowMs, maxPoints),
    fields.map((f) => f.key),
  );

describe('toRows', () => {
  it('gives seconds relative to the newest sample, breaks lines at gaps and keeps nulls', () => {
    const rows = toRows(win, [{ key: 'used', series: 'mem.used', scale: 1 / 1024 }], 60_000);
    expect(rows.map((r) => r.t)).toEqual([-7, -6, -5, -4, -1, 0]);
    expect(rows.map((r) => r.used)).toEqual([1, 2, 2, null, 2, 4]);
  });

  it('keeps only the window and draws missing series as null', () => {
    const rows = toRows(win, [{ key: 'x', series: 'load.one' }], 1500);
    expect(rows).toEqual([
      { t: -1, at: 7000, x: null },
      { t: 0, at: 8000, x: null },
    ]);
    expect(toRows({ t: [], series: {} }, cpuFields(0), 1000)).toEqual([]);
  });

  it('draws a core split user/system/iowait/steal', () => {
    const rows = toRows(win, cpuFields(0), 60_000);
    expect(rows[0]).toEqual({ t: -7, at: 1000, user: 5, system: 5, iowait: 0, steal: 0 });
    expect(rows[2]).toEqual({ t: -5, at: 3000, user: null, system: null, iowait: null, steal: null });
    // The gap's null row sits one step after the last sample before it.
    expect(rows[3]).toEqual({ t: -4, at: 4000, user: null, system: null, iowait: null, steal: null });
  });
});

describe('toColumns', () => {
  it('gives the points toRows gives, as columns with NaN for no reading', () => {
    const fields = [...cpuFields(0), { key: 'used', series: 'mem.used' as const, scale: 1 / 1024 }];
    const data = toColumns(win, fields, 60_000);
    expect(Array.from(data.t)).toEqual([-7, -6, -5, -4, -1, 0]);
    expect(Array.from(data.at!)).toEqual([1000, 2000, 3000, 4000, 7000, 8000]);
    expect(Array.from(data.cols.user!)).toEqual([5, 10, NaN, NaN, 30, 40]);
    expect(Array.from(data.cols.used!)).toEqual([1, 2, 2, NaN, 2, 4]);
    const keys = fields.map((f) => f.key);
    expect(dataOfRows(toRows(win, fields, 60_000), keys)).toEqual(data);
    // Bucketed: the same means either way.
    const bucketed = toColumns(win, fields, 60_000, 2);
    expect(dataOfRows(toRows(win, fields, 60_000, 2), keys)).toEqual(bucketed);
    expect(toColumns({ t: [], series: {} }, fields, 1000).t.length).toBe(0);
  });
});

describe('core heat strip', () => {
  it('averages busy % per core into time buckets, NaN where nothing was read', () => {
    expect(coreCount(win)).toBe(2);
    const m = coreMatrix(win, 2, 8000, 4);
    // Buckets of 2 s from t=0: [0,2) [2,4) [4,6) [6,8]
    expect(Array.from(m.slice(0, 4))).toEqual([10, 20, NaN, 45]);
    expect(Array.from(m.slice(4, 8))).toEqual([0, 0, NaN, 100]);
  });
});

describe('figures', () => {
  it('formats bytes and Spindle CPU', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatBytes(null)).toBe('—');
    expect(selfCpuPct(50, 1000)).toBe(5);
  });
});

describe('toRows over long windows', () => {
  it('averages runs of samples so a chart never gets more than maxPoints rows', () => {
    const n = 600;
    const long: HistoryWindow = {
      t: Array.from({ length: n }, (_, i) => i * 1000),
      series: { 'load.one': Array.from({ length: n }, (_, i) => i % 2) },
      procs: {},
    };
    const rows = toRows(long, [{ key: 'v', series: 'load.one' }], 600_000, 200);
    expect(rows).toHaveLength(200);
    expect(rows[0]).toEqual({ t: -598, at: 1000, v: 0.333 });
    expect(rows.at(-1)!.t).toBe(-1);
  });

  it('cuts buckets on fixed times, so a full bucket keeps its mean as the window moves on', () => {
    const upTo = (n: number): HistoryWindow => ({
      // 1 s steps with jitter, which must not move bucket edges
      t: Array.from({ length: n }, (_, i) => i * 1000 + (i % 3) * 7),
      series: { 'load.one': Array.from({ length: n }, (_, i) => (i * 37) % 11) },
      procs: {},
    });
    const field = [{ key: 'v', series: 'load.one' as const }];
    const before = toRows(upTo(700), field, 600_000, 200);
    const after = toRows(upTo(701), field, 600_000, 200);
    const byAt = new Map(before.map((r) => [r.at, r]));
    // Every row of `after` but its newest (a bucket still filling) and its oldest (cut by the
    // window's edge) was drawn the same a tick earlier.
    const shared = after.slice(1, -1);
    expect(shared.length).toBeGreaterThan(190);
    for (const r of shared)
      expect({ at: r.at, v: r.v }).toEqual({ at: byAt.get(r.at)?.at, v: byAt.get(r.at)?.v });
  });
});

describe('sumProcs', () => {
  it('sums the series of several processes per tick, null only where none has a reading', () => {
    const w: HistoryWindow = {
      t: [1000, 2000, 3000],
      series: {},
      procs: {
        '1:1': { name: 'a', cpu: [10, null, 30], rss: [1024 ** 2, null, 1024 ** 2], threads: [1, null, 1] },
        '2:1': { name: 'b', cpu: [5, null, null], rss: [1024 ** 2, null, null], threads: [2, null, null] },
      },
    };
    expect(
      sumProcs(
        {
          ...w,
          t: [0, ...w.t],
          procs: { x: { name: 'x', cpu: [null, 1, 2, 3], rss: [null, 1, 2, 3], threads: [null, 1, 1, 1] } },
        },
        ['x'],
      ).t,
    ).toEqual(w.t);
    const cols = sumProcs(w, ['1:1', '2:1', '9:9']);
    expect(cols.series['proc.cpu']).toEqual([15, null, 30]);
    expect(cols.series['proc.threads']).toEqual([3, null, 1]);
    const rows = toRows(cols, [{ key: 'mb', series: 'proc.rss', scale: 1 / 1024 ** 2 }], 10_000);
    expect(rows.map((r) => r.mb)).toEqual([2, null, 1]);
  });
});
