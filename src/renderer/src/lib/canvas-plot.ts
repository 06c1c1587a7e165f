/**
 * The time chart's plot on one canvas, drawn incrementally. Each tick the bitmap moves left
 * by whole device pixels (a copy of itself, so nothing is resampled) and only what changed is
 * drawn again: the band from the point before the first changed point to the right edge (and,
 * where the window's left edge cut the oldest bucket of a long window, the band of its first
 * segment). A point is unchanged when its time and every series' value are the same as when it was drawn,
 * compared point by point, so a shortcut is taken only where nothing can have changed. Points
 * that left the window are not drawn again: what was drawn for them lies past the left edge.
 * Everything is drawn again when the size, scale, window, series or colours change, when the
 * strip moved a whole width, and for points without `at` (their x moves each tick).
 *
 * `planDraw` is pure (unit tests); `paint` draws a plan on a 2D context.
 */
import { colOf, type ChartData, type Column } from './chart-data';
import type { SeriesSpec } from './chart-geometry';

export interface PlotOpts {
  windowSec: number;
  /** Plot size in CSS px (the canvas is `plotH + 2 × bleed` high). */
  plotW: number;
  plotH: number;
  bleed: number;
  max: number;
  dpr: number;
  /** Each series' colour, resolved (canvas cannot read CSS variables). */
  colors: readonly string[];
}

/** What a chart's canvas holds between ticks. */
export interface PlotState {
  key: string;
  /** Device px on the absolute time axis (ms × px per ms) at the canvas's x = 0. */
  origin: number;
  /** The points on the canvas, as drawn. */
  drawn: ChartData | null;
}

export const newPlotState = (): PlotState => ({ key: '', origin: 0, drawn: null });

/** A band of the canvas cleared and drawn again: device px `x0` to `x1`, points `from` to `to`. */
export interface Region {
  x0: number;
  x1: number;
  /** The points drawn (clipped to the band): every one whose strokes reach into it. */
  from: number;
  to: number;
}

export interface DrawPlan {
  /** Clear and draw every point. */
  full: boolean;
  /** Device px to move the bitmap left first (incremental draws only). */
  shift: number;
  /** What is cleared and drawn again after the move (one band of the whole canvas when full). */
  regions: Region[];
  /** Nothing to draw: the canvas already shows `data`. */
  none: boolean;
}

/** Area fill opacity, as the SVG charts drew it. */
const FILL_ALPHA = 0.55;
const EDGE_WIDTH = 1;
const LINE_WIDTH = 1.5;

/** Canvas size in device px. */
export const canvasSize = (o: PlotOpts): { w: number; h: number } => ({
  w: Math.max(1, Math.round(o.plotW * o.dpr)),
  h: Math.max(1, Math.round((o.plotH + 2 * o.bleed) * o.dpr)),
});

const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** Index of `v` in ascending `col`, or -1. */
function indexOf(col: Column, v: number): number {
  let lo = 0;
  let hi = col.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = col[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The x of each point in device px, for a canvas whose x = 0 is `origin`. */
function xsOf(data: ChartData, o: PlotOpts, origin: number): number[] {
  const { w } = canvasSize(o);
  const n = data.t.length;
  const xs = new Array<number>(n);
  if (data.at) {
    const k = w / (o.windowSec * 1000);
    for (let i = 0; i < n; i++) xs[i] = data.at[i]! * k - origin;
  } else for (let i = 0; i < n; i++) xs[i] = ((data.t[i]! + o.windowSec) / o.windowSec) * w;
  return xs;
}

/** Where the canvas's x = 0 lies for `data`: its newest point at the right edge, in whole px. */
function originOf(data: ChartData, o: PlotOpts): number {
  const { w } = canvasSize(o);
  const at = data.at;
  if (!at || at.length === 0) return 0;
  return Math.round((at[at.length - 1]! * w) / (o.windowSec * 1000)) - w;
}

const keyOf = (series: readonly SeriesSpec[], o: PlotOpts): string => {
  const { w, h } = canvasSize(o);
  let key = `${w}|${h}|${o.windowSec}|${o.max}|${o.bleed}|${o.dpr}`;
  series.forEach((s, j) => (key += `|${s.key}:${o.colors[j]}:${s.kind}:${s.stack}`));
  return key;
};

/** A draw plan with what `paint` records and needs: the state key, the origin, each point's x. */
export type Plan = DrawPlan & { key: string; origin: number; xs: readonly number[] };

/** How much of the canvas must be drawn again for `data`; updates nothing. */
export function planDraw(
  state: PlotState,
  data: ChartData,
  series: readonly SeriesSpec[],
  o: PlotOpts,
): Plan {
  const key = keyOf(series, o);
  const origin = originOf(data, o);
  const { w } = canvasSize(o);
  const n = data.t.length;
  const xs = xsOf(data, o, origin);
  const full = {
    full: true,
    shift: 0,
    regions: [{ x0: 0, x1: w, from: 0, to: n }],
    none: false,
    key,
    origin,
    xs,
  };
  const prev = state.drawn;
  if (!data.at || !prev?.at || state.key !== key || n === 0) return full;
  const shift = origin - state.origin;
  if (shift < 0 || shift >= w) return full;
  // Align on the first point that was drawn. Points leave only on the left, and the window's
  // left edge may cut the oldest bucket of a long window, whose mean time then moves: the
  // first point may be new.
  let first = 0;
  let j0 = indexOf(prev.at, data.at[0]!);
  if (j0 < 0 && n > 1) {
    first = 1;
    j0 = indexOf(prev.at, data.at[1]!);
  }
  if (j0 < 0) return full;
  const cols = series.map((s) => colOf(data, s.key));
  const prevCols = series.map((s) => colOf(prev, s.key));
  const off = j0 - first;
  let k = first;
  for (; k < n && off + k < prev.at.length; k++) {
    if (data.at[k] !== prev.at[off + k]) break;
    let diff = false;
    for (let j = 0; j < cols.length && !diff; j++) {
      const a = cols[j];
      const b = prevCols[j];
      if (a === undefined || b === undefined) diff = a !== b;
      else diff = !same(a[k]!, b[off + k]!);
    }
    if (diff) break;
  }
  if (k === first) return full;
  const reach = Math.ceil(LINE_WIDTH * o.dpr) + 1;
  const regions: Region[] = [];
  if (first === 1) {
    // The new first point: its segment to the next, and the join there.
    const x1 = Math.ceil(xs[1]!) + reach;
    let to = 1;
    while (to < n && xs[to]! < x1 + reach) to++;
    regions.push({ x0: 0, x1, from: 0, to: Math.min(n, to + 1) });
  }
  if (k < n || off + k < prev.at.length) {
    // Clear from just left of the last unchanged point: the stroke joining it to the first
    // changed point bends there. Draw from a point whose strokes cannot reach that far.
    const x0 = Math.max(0, Math.floor(xs[k - 1]!) - reach);
    let from = k - 1;
    while (from > 0 && xs[from]! > x0 - reach) from--;
    const left = regions[0];
    if (left && left.x1 >= x0) return full;
    regions.push({ x0, x1: w, from, to: n });
  }
  return { full: false, shift, regions, none: shift === 0 && regions.length === 0, key, origin, xs };
}

/**
 * The 2D context calls `paint` makes: a structural type, so this module also loads in the
 * Node-side unit tests, which have no DOM types. A `CanvasRenderingContext2D` is one.
 */
export interface Ctx2D {
  readonly canvas: unknown;
  globalCompositeOperation: string;
  globalAlpha: number;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineJoin: string;
  lineCap: string;
  save(): void;
  restore(): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  rect(x: number, y: number, w: number, h: number): void;
  clip(): void;
  drawImage(image: unknown, dx: number, dy: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  fill(): void;
  stroke(): void;
}

/** Draw `plan` for `data` on `ctx` (its canvas sized by `canvasSize`), and record it in `state`. */
export function paint(
  ctx: Ctx2D,
  state: PlotState,
  data: ChartData,
  series: readonly SeriesSpec[],
  o: PlotOpts,
  plan: Plan,
): void {
  state.key = plan.key;
  state.origin = plan.origin;
  state.drawn = data;
  if (plan.none) return;
  const { h } = canvasSize(o);
  if (!plan.full && plan.shift > 0) {
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(ctx.canvas, -plan.shift, 0);
    ctx.restore();
  }
  for (const r of plan.regions) {
    ctx.save();
    ctx.clearRect(r.x0, 0, r.x1 - r.x0, h);
    if (!plan.full) {
      ctx.beginPath();
      ctx.rect(r.x0, 0, r.x1 - r.x0, h);
      ctx.clip();
    }
    drawPoints(ctx, data, series, o, plan.xs, r.from, r.to);
    ctx.restore();
  }
}

/** Points `from` to `to` of every series, in device px at `xs`: areas stacked, then edges and lines. */
function drawPoints(
  ctx: Ctx2D,
  data: ChartData,
  series: readonly SeriesSpec[],
  o: PlotOpts,
  xs: readonly number[],
  from: number,
  n: number,
): void {
  const top = o.bleed * o.dpr;
  const plotH = o.plotH * o.dpr;
  const max = o.max || 1;
  const y = (v: number): number => top + plotH - (Math.min(v, max) / max) * plotH;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  // Stack bases over the points drawn: the running total of the areas of a stack so far.
  const bases = new Map<string, number[]>();
  series.forEach((s, j) => {
    const col = colOf(data, s.key);
    const color = o.colors[j]!;
    const area = s.kind === 'area';
    const stack = area && s.stack ? s.stack : null;
    let base: number[] | undefined;
    if (stack !== null) {
      base = bases.get(stack);
      if (!base) bases.set(stack, (base = new Array<number>(n - from).fill(0)));
    }
    if (!col) return;
    const high = new Array<number>(n - from);
    for (let i = from; i < n; i++) {
      const v = col[i]!;
      high[i - from] = v !== v ? NaN : (base ? base[i - from]! : 0) + v;
    }
    // Runs of points with a reading: a gap breaks lines and areas.
    for (let i = 0; i < high.length;) {
      if (high[i] !== high[i]) {
        i++;
        continue;
      }
      let e = i + 1;
      while (e < high.length && high[e] === high[e]) e++;
      if (area) {
        ctx.beginPath();
        ctx.moveTo(xs[from + i]!, y(high[i]!));
        for (let k = i + 1; k < e; k++) ctx.lineTo(xs[from + k]!, y(high[k]!));
        for (let k = e - 1; k >= i; k--) ctx.lineTo(xs[from + k]!, y(base ? base[k]! : 0));
        ctx.closePath();
        ctx.globalAlpha = FILL_ALPHA;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      // The edge (an area's top, or the line), left out along a zero-height area, where it
      // would hide the edge of the area below.
      ctx.beginPath();
      let pen = false;
      for (let k = i; k < e; k++) {
        const flat = area && k > i && col[from + k] === 0 && col[from + k - 1] === 0;
        if (flat || !pen) ctx.moveTo(xs[from + k]!, y(high[k]!));
        else ctx.lineTo(xs[from + k]!, y(high[k]!));
        pen = true;
      }
      ctx.lineWidth = (area ? EDGE_WIDTH : LINE_WIDTH) * o.dpr;
      ctx.strokeStyle = color;
      ctx.stroke();
      i = e;
    }
    if (base) for (let k = 0; k < high.length; k++) if (high[k] === high[k]) base[k] = high[k]!;
  });
}
