import { describe, expect, it } from 'vitest';
import type { ChartRow } from './chart-geometry';
import { newStripCache, stripGeometry } from './chart-strip';

const SERIES = [
  { key: 'a', name: 'a', color: 'x', kind: 'area' as const, stack: 's' },
  { key: 'b', name: 'b', color: 'y', kind: 'area' as const, stack: 's' },
];
/** Rows of samples `from`..`to` at 1 Hz, as toRows makes them (t relative to the newest). */
const rows = (from: number, to: number, value = (i: number) => i % 7): ChartRow[] =>
  Array.from({ length: to - from + 1 }, (_, k) => {
    const i = from + k;
    return { t: i - to, at: i * 1000, a: value(i), b: 1 };
  });
// 300 s over 300 px: one pixel a second.
const opts = { windowSec: 300, plotW: 300, plotH: 100, max: 10 };

describe('stripGeometry', () => {
  it('keeps every chunk but the newest as it was when the window moves on one tick', () => {
    const cache = newStripCache();
    const g1 = stripGeometry(cache, rows(1000, 1300), SERIES, opts);
    const g2 = stripGeometry(cache, rows(1001, 1301), SERIES, opts);
    const before = new Map(g1.chunks);
    // The strip moved one pixel left; the newest row sits at the plot's right edge.
    expect(g2.dx).toBe(g1.dx - 1);
    const newest = g2.chunks.at(-1)!;
    const lastX = Number(/([\d.]+),[\d.]+$/.exec(newest[1][0]!.top)![1]);
    expect(lastX + g2.dx).toBe(300);
    const kept = g2.chunks.filter(([c, paths]) => before.get(c) === paths).map(([c]) => c);
    // 300 s in 20 s chunks: 16 chunks, all but the newest kept as the same objects, the
    // oldest included although its first row has left the window.
    expect(g2.chunks.length).toBeGreaterThanOrEqual(15);
    expect(kept).toEqual(g2.chunks.slice(0, -1).map(([c]) => c));
    expect(rows(1001, 1301)[0]!.at! < g2.chunks[0]![0] * 20_000 + 20_000).toBe(true);
  });

  it('draws again what changed: other values at the same times, a new scale, rows without `at`', () => {
    const cache = newStripCache();
    const g1 = stripGeometry(cache, rows(0, 300), SERIES, opts);
    const other = stripGeometry(
      cache,
      rows(0, 300, (i) => (i % 7) + 1),
      SERIES,
      opts,
    );
    expect(other.chunks.filter(([c, p]) => new Map(g1.chunks).get(c) === p)).toEqual([]);
    expect(other.chunks[3]![1][0]!.d).not.toBe(g1.chunks[3]![1][0]!.d);
    const rescaled = stripGeometry(
      cache,
      rows(0, 300, (i) => (i % 7) + 1),
      SERIES,
      { ...opts, max: 20 },
    );
    expect(rescaled.chunks.filter(([c, p]) => new Map(other.chunks).get(c) === p)).toEqual([]);
    const relative = rows(0, 300).map(({ t, a, b }) => ({ t, a, b }) as ChartRow);
    const r1 = stripGeometry(cache, relative, SERIES, opts);
    const r2 = stripGeometry(cache, relative, SERIES, opts);
    expect(r2.chunks.filter(([c, p]) => new Map(r1.chunks).get(c) === p)).toEqual([]);
    // Relative rows are drawn where the window puts them: the newest at the right edge.
    expect(r2.dx).toBe(0);
  });

  it('starts the strip again once it has moved three windows', () => {
    const cache = newStripCache();
    stripGeometry(cache, rows(0, 300), SERIES, opts);
    const far = stripGeometry(cache, rows(600, 900), SERIES, opts);
    expect(far.dx).toBe(-600);
    const again = stripGeometry(cache, rows(1000, 1300), SERIES, opts);
    expect(again.dx).toBe(0);
  });
});
