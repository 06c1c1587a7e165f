import { describe, expect, it } from 'vitest';
import { dataOfRows } from './chart-data';
import { axisMax, chartSummary, niceMax, stackedMax, type ChartRow } from './chart-geometry';

/** Literal rows as the columns a chart draws from. */
const pts = (rows: ChartRow[]) => dataOfRows(rows, ['v', 'a', 'b', 'user', 'system']);

describe('chart scale', () => {
  it('finds the top of the stacks and of the lines, skipping points with no reading', () => {
    const s = [
      { key: 'a', name: 'a', color: 'x', kind: 'area' as const, stack: 's' },
      { key: 'b', name: 'b', color: 'y', kind: 'area' as const, stack: 's' },
      { key: 'v', name: 'v', color: 'z' },
    ];
    const data = pts([
      { t: -2, a: 10, b: 20, v: 5 },
      { t: -1, a: null, b: 25, v: 40 },
      { t: 0, a: 12, b: null, v: null },
    ]);
    expect(stackedMax(data, s)).toBe(40);
    expect(stackedMax(data, s.slice(0, 2))).toBe(30);
    expect(stackedMax(pts([]), s)).toBe(0);
  });

  it('reaches a reference value and rounds the axis up', () => {
    expect(axisMax(1, undefined, 64)).toBe(100);
    expect(axisMax(7, 100)).toBe(100);
    expect(axisMax(7, (m) => m * 2)).toBe(14);
    expect(niceMax(0.7)).toBe(1);
    expect(niceMax(2.1)).toBe(2.5);
    expect(niceMax(4100)).toBe(5000);
    expect(niceMax(0)).toBe(1);
  });
});

describe('chartSummary', () => {
  it('gives each series its latest reading, skipping gaps at the end, for screen readers', () => {
    const rows = [
      { t: -2, user: 10, system: 4 },
      { t: -1, user: 12, system: null },
      { t: 0, user: null, system: null },
    ];
    const series = [
      { key: 'user', name: 'user', color: 'x' },
      { key: 'system', name: 'system', color: 'x' },
      { key: 'steal', name: 'steal', color: 'x' },
    ];
    expect(chartSummary(pts(rows), series, 60, (v) => `${v} %`)).toBe(
      'last 60 s; latest: user 12 %, system 4 %, steal no data',
    );
  });
});
