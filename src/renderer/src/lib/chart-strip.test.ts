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
    const before = new Map(g1.chunks.map((k) => [k.c, k]));
    // The strip moved one pixel left; the newest row sits at the plot's right edge.
    expect(g2.dx).toBe(g1.dx - 1);
    const newest = g2.chunks.at(-1)!;
    // Its paths are drawn from its own left edge, and its SVG is as wide as they reach.
    const lastX = Number(/([\d.]+),[\d.]+$/.exec(newest.paths[0]!.top)![1]);
    expect(newest.left + lastX + g2.dx).toBe(300);
    expect(newest.width).toBeGreaterThan(lastX);
    const kept = g2.chunks.filter((k) => before.get(k.c) === k).map((k) => k.c);
    // 300 s in 20 s chunks: 16 chunks, all but the newest kept as the same objects, the
    // oldest included although its first row has left the window.
    expect(g2.chunks.length).toBeGreaterThanOrEqual(15);
    expect(kept).toEqual(g2.chunks.slice(0, -1).map((k) => k.c));
    expect(rows(1001, 1301)[0]!.at! < g2.chunks[0]!.c * 20_000 + 20_000).toBe(true);
    // Chunks follow each other along the strip.
    for (let i = 1; i < g2.chunks.length; i++)
      expect(g2.chunks[i]!.left).toBeGreaterThan(g2.chunks[i - 1]!.left);
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
    const same = (a: typeof g1, b: typeof g1) => a.chunks.filter((k) => b.chunks.includes(k));
    expect(same(other, g1)).toEqual([]);
    expect(other.chunks[3]!.paths[0]!.d).not.toBe(g1.chunks[3]!.paths[0]!.d);
    const rescaled = stripGeometry(
      cache,
      rows(0, 300, (i) => (i % 7) + 1),
      SERIES,
      { ...opts, max: 20 },
    );
    expect(same(rescaled, other)).toEqual([]);
    const relative = rows(0, 300).map(({ t, a, b }) => ({ t, a, b }) as ChartRow);
    const r1 = stripGeometry(cache, relative, SERIES, opts);
    const r2 = stripGeometry(cache, relative, SERIES, opts);
    expect(same(r2, r1)).toEqual([]);
    // Relative rows are drawn where the window puts them: the newest at the right edge.
    expect(r2.dx).toBe(0);
  });

  it('leaves out an area that is zero on every row of a chunk, never a line', () => {
    const series = [...SERIES, { key: 'c', name: 'c', color: 'z', kind: 'line' as const }];
    // `a` is zero for the first 100 s, then 5; `c` (a line) is zero throughout.
    const g = stripGeometry(
      newStripCache(),
      rows(0, 300, (i) => (i < 100 ? 0 : 5)).map((r) => ({ ...r, c: 0 })),
      series,
      opts,
    );
    const keysOf = (k: (typeof g.chunks)[number]) => k.paths.map((p) => p.key);
    expect(keysOf(g.chunks[0]!)).toEqual(['b', 'c']);
    expect(keysOf(g.chunks.at(-1)!)).toEqual(['a', 'b', 'c']);
    // `b` stacks on `a`: where `a` is left out, `b` still starts from `a`'s zero.
    expect(g.chunks[0]!.paths[0]!.d).toBe(
      stripGeometry(
        newStripCache(),
        rows(0, 300, () => 0),
        SERIES,
        opts,
      ).chunks[0]!.paths[0]!.d,
    );
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
