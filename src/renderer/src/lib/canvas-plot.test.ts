import { describe, expect, it } from 'vitest';
import { dataOfRows } from './chart-data';
import type { ChartRow } from './chart-geometry';
import { canvasSize, newPlotState, planDraw, type PlotOpts, type Region } from './canvas-plot';

const SERIES = [
  { key: 'a', name: 'a', color: 'x', kind: 'area' as const, stack: 's' },
  { key: 'b', name: 'b', color: 'y', kind: 'line' as const },
];
/** Points `from`..`to` at 1 Hz, as toColumns makes them. */
const pts = (from: number, to: number, value = (i: number) => i % 7): ReturnType<typeof dataOfRows> =>
  dataOfRows(
    Array.from({ length: to - from + 1 }, (_, k): ChartRow => {
      const i = from + k;
      return { t: i - to, at: i * 1000, a: value(i), b: 1 };
    }),
    ['a', 'b'],
  );
// 300 s over 300 px: one pixel a second.
const opts: PlotOpts = {
  windowSec: 300,
  plotW: 300,
  plotH: 100,
  bleed: 2,
  max: 10,
  dpr: 1,
  colors: ['#f00', '#0f0'],
};

/** Plan a draw and record it as `paint` would (without a canvas). */
function step(state: ReturnType<typeof newPlotState>, data: ReturnType<typeof pts>, o = opts) {
  const plan = planDraw(state, data, SERIES, o);
  Object.assign(state, { key: plan.key, origin: plan.origin, drawn: data });
  return plan;
}

describe('planDraw', () => {
  it('moves the bitmap by whole pixels and draws again only from the last unchanged point', () => {
    const state = newPlotState();
    expect(step(state, pts(1000, 1300)).full).toBe(true);
    const next = step(state, pts(1001, 1301));
    expect(next.full).toBe(false);
    expect(next.shift).toBe(1);
    // The newest point is at x = 300; the one before it, unchanged, at 299: cleared from just left of it.
    expect(next.regions).toHaveLength(1);
    const band = next.regions[0]!;
    expect(band.x0).toBeLessThan(299);
    expect(band.x0).toBeGreaterThan(290);
    expect(band).toMatchObject({ x1: 300, to: 301 });
    expect(band.from).toBeLessThan(299);
    expect(band.from).toBeGreaterThan(285);
    // Two ticks at once: a shift of two pixels.
    expect(step(state, pts(1003, 1303)).shift).toBe(2);
  });

  it('draws again from the first point whose value changed (a bucket still filling)', () => {
    const state = newPlotState();
    step(state, pts(0, 300));
    // Same times, the last value changed: no move, the region from point 299 on.
    const plan = step(
      state,
      pts(0, 300, (i) => (i === 300 ? 9 : i % 7)),
    );
    expect(plan).toMatchObject({ full: false, shift: 0 });
    expect(plan.regions[0]!.x0).toBeGreaterThan(290);
    // A value deep in the window changed: drawn again from there.
    const deep = step(
      state,
      pts(0, 300, (i) => (i === 300 ? 9 : i === 100 ? 6.5 : i % 7)),
    );
    expect(deep.regions[0]!.x0).toBeLessThan(100);
    expect(deep.regions[0]!.x0).toBeGreaterThan(90);
  });

  it('keeps what shows no reading (NaN is the same as NaN) and redraws nothing for the same points', () => {
    const state = newPlotState();
    const gap = (i: number) => (i >= 100 && i < 110 ? NaN : i % 7);
    step(state, pts(0, 300, gap));
    expect(step(state, pts(0, 300, gap))).toMatchObject({ none: true, full: false });
    expect(step(state, pts(1, 301, gap)).regions[0]!.x0).toBeGreaterThan(290);
  });

  it('draws the first segment again where the window cut the oldest bucket (its time moved)', () => {
    const state = newPlotState();
    const bucketed = (from: number, to: number, firstAt: number) => {
      const d = pts(from, to);
      return { ...d, at: [firstAt, ...d.at!.slice(1)] };
    };
    step(state, bucketed(1000, 1300, 1000_400));
    const plan = step(state, bucketed(1001, 1301, 1001_700));
    expect(plan.full).toBe(false);
    expect(plan.regions).toHaveLength(2);
    const [left, right] = plan.regions as [Region, Region];
    expect(left).toMatchObject({ x0: 0, from: 0 });
    expect(left.x1).toBeLessThan(10);
    expect(left.to).toBeGreaterThan(1);
    expect(right.x0).toBeGreaterThan(290);
    // Neither of the first two points was drawn (every time moved): drawn whole.
    const moved = pts(1002, 1302);
    expect(step(state, { ...moved, at: moved.at!.map((a) => a + 500) }).full).toBe(true);
  });

  it('draws everything again for a new scale, size, colour, window, a jump, or points without times', () => {
    const state = newPlotState();
    step(state, pts(0, 300));
    expect(step(state, pts(1, 301), { ...opts, max: 20 }).full).toBe(true);
    expect(step(state, pts(2, 302), { ...opts, max: 20, plotW: 400 }).full).toBe(true);
    expect(step(state, pts(3, 303), { ...opts, max: 20, plotW: 400, colors: ['#f00', '#00f'] }).full).toBe(
      true,
    );
    const o = { ...opts, max: 20, plotW: 400, colors: ['#f00', '#00f'] };
    expect(step(state, pts(4, 304), o).full).toBe(false);
    // Moved a whole width: nothing on the canvas is still in the window.
    expect(step(state, pts(800, 1100), o).full).toBe(true);
    // An older first point than was drawn (the window grew): drawn whole.
    expect(step(state, pts(700, 1100), o).full).toBe(true);
    const relative = { ...pts(0, 300), at: null };
    expect(step(state, relative, o).full).toBe(true);
    expect(step(state, relative, o).full).toBe(true);
    expect(canvasSize({ ...o, dpr: 1.5 })).toEqual({ w: 600, h: 156 });
  });
});
