import { describe, expect, it } from 'vitest';
import { chartPaths, chartSummary, niceMax } from './chart-geometry';

describe('chartPaths', () => {
  const opts = { windowSec: 10, plotW: 100, plotH: 100 };

  it('draws a line, breaking at a null', () => {
    const rows = [
      { t: -10, v: 0 },
      { t: -5, v: 50 },
      { t: -4, v: null },
      { t: 0, v: 100 },
    ];
    const { max, paths } = chartPaths(rows, [{ key: 'v', name: 'v', color: 'red' }], opts);
    expect(max).toBe(100);
    expect(paths[0]!.d).toBe('M0,100L50,50M100,0');
  });

  it('stacks areas on each other and closes them along their base', () => {
    const rows = [
      { t: -10, a: 10, b: 20 },
      { t: 0, a: 30, b: 40 },
    ];
    const s = [
      { key: 'a', name: 'a', color: 'x', kind: 'area' as const, stack: 's' },
      { key: 'b', name: 'b', color: 'y', kind: 'area' as const, stack: 's' },
    ];
    const { paths } = chartPaths(rows, s, { ...opts, yMax: 100 });
    expect(paths[0]!.d).toBe('M0,90L100,70L100,100L0,100Z');
    expect(paths[1]!.d).toBe('M0,70L100,30L100,70L0,90Z');
    // The upper edge alone, stroked: chunks of an area meet without a stroke between them.
    expect(paths[1]!.top).toBe('M0,70L100,30');
    expect(chartPaths(rows, s, { ...opts, yMax: 100, x: (r) => 200 + r.t }).paths[0]!.top).toBe(
      'M190,90L200,70',
    );
  });

  it('reaches a reference value and rounds the axis up', () => {
    expect(
      chartPaths([{ t: 0, v: 1 }], [{ key: 'v', name: 'v', color: 'r' }], { ...opts, floor: 64 }).max,
    ).toBe(100);
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
    expect(chartSummary(rows, series, 60, (v) => `${v} %`)).toBe(
      'last 60 s; latest: user 12 %, system 4 %, steal no data',
    );
  });
});
