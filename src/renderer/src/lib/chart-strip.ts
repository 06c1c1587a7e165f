/**
 * The time chart's strip: its series cut into chunks of the time axis, so that a tick redraws
 * only the newest chunk while the strip moves left by a transform (see `time-chart.tsx`).
 * Pure but for the cache it is handed; unit tests feed literal rows.
 */
import { chartPaths, type ChartPath, type ChartRow, type SeriesSpec } from './chart-geometry';

/**
 * Chunks per window: each tick repaints about one of these. Side by side (README), 60 cost the
 * Overview window a third more than 15, and 8 or 5 no less: each chunk is an SVG to style.
 */
const CHUNKS = 15;
/** The strip spans this many windows; when the newest row reaches its end, it is redrawn. */
export const STRIP_WINDOWS = 3;

/** What a chart keeps between renders: each chunk's rows and paths, drawn for one scale. */
export interface StripCache {
  /** The scale and series the kept chunks were drawn for. */
  key: string;
  /** The time at strip x = 0, ms. */
  origin: number;
  chunks: Map<number, Kept>;
}

/** One chunk of the strip: its own SVG at `left` px of the strip, paths drawn from there. */
export interface StripChunk {
  /** The chunk's number: its start time is `c × window / CHUNKS`. */
  c: number;
  left: number;
  /** Up to the last row's x (the first row of the next chunk), and a line's width past it. */
  width: number;
  paths: ChartPath[];
}

export const newStripCache = (): StripCache => ({ key: '', origin: 0, chunks: new Map() });

interface Kept {
  rows: readonly ChartRow[];
  chunk: StripChunk;
}

export interface StripGeometry {
  /** The strip's shift, px: where its x = 0 lies from the plot's left edge. */
  dx: number;
  /** The chunks, oldest first; a kept chunk is the same object as at the last call. */
  chunks: StripChunk[];
}

/** Whether `tail` is the end of `rows`, row for row (time and every series' value). */
function endsWith(rows: readonly ChartRow[], tail: readonly ChartRow[], keys: readonly string[]): boolean {
  const off = rows.length - tail.length;
  if (off < 0) return false;
  for (let i = 0; i < tail.length; i++) {
    const a = rows[off + i]!;
    const b = tail[i]!;
    if (a.at !== b.at) return false;
    for (const k of keys) if (a[k] !== b[k]) return false;
  }
  return true;
}

/**
 * The series a chunk draws: an area that is zero (or missing) on every row of it is left out.
 * It would be a shape of no height whose edge lies on the area below it; left out, that area's
 * own edge shows, and the chunk has fewer elements to style, lay out and paint.
 */
function drawn(rows: readonly ChartRow[], series: readonly SeriesSpec[]): readonly SeriesSpec[] {
  const out = series.filter(
    (s) => s.kind !== 'area' || rows.some((r) => typeof r[s.key] === 'number' && r[s.key] !== 0),
  );
  return out.length === series.length ? series : out;
}

/**
 * The chunks of the strip over `rows` with the y maximum `max`. A chunk's paths are the same
 * objects as last time when its rows are the same, or when rows have only left its start
 * (the window's left edge passing through it: what it drew for them lies left of the plot,
 * under the clip), so React leaves their elements alone and nothing of them is repainted.
 * Updates `cache`; otherwise pure.
 */
export function stripGeometry(
  cache: StripCache,
  rows: readonly ChartRow[],
  series: readonly SeriesSpec[],
  o: { windowSec: number; plotW: number; plotH: number; max: number },
): StripGeometry {
  const windowMs = o.windowSec * 1000;
  const pxPerMs = o.plotW / windowMs;
  // Rows without `at` have only `t`, relative to the newest row: nothing can be kept.
  const absolute = rows.length > 0 && rows.every((r) => typeof r.at === 'number');
  const atOf = (r: ChartRow): number => (absolute ? r.at! : r.t * 1000);
  const lastAt = rows.length ? atOf(rows[rows.length - 1]!) : 0;
  const key = `${o.windowSec}|${o.plotW}|${o.plotH}|${o.max}|${series.map((s) => `${s.key}:${s.color}:${s.kind}:${s.stack}`).join()}`;
  if (
    !absolute ||
    cache.key !== key ||
    lastAt < cache.origin + windowMs ||
    lastAt > cache.origin + STRIP_WINDOWS * windowMs
  ) {
    cache.key = key;
    cache.origin = lastAt - windowMs;
    cache.chunks.clear();
  }
  const origin = cache.origin;
  const chunkMs = windowMs / CHUNKS;
  const keys = series.map((s) => s.key);
  const chunkOf = (r: ChartRow): number => Math.floor(atOf(r) / chunkMs);
  const out: StripChunk[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < rows.length;) {
    const c = chunkOf(rows[i]!);
    let e = i + 1;
    while (e < rows.length && chunkOf(rows[e]!) === c) e++;
    // A chunk runs on to the first row of the next one, so lines join across chunks.
    const own = rows.slice(i, Math.min(e + 1, rows.length));
    const kept = cache.chunks.get(c);
    // Rows may leave only the oldest chunk's start; elsewhere `own` must match whole.
    if (kept && (i === 0 || kept.rows.length === own.length) && endsWith(kept.rows, own, keys))
      out.push(kept.chunk);
    else {
      // Each chunk is its own SVG from its start: an unchanged one is not even re-recorded
      // when the newest is repainted (paint of one SVG root covers all its children).
      const left = Math.floor((c * chunkMs - origin) * pxPerMs);
      const x = (r: ChartRow): number => (atOf(r) - origin) * pxPerMs - left;
      const width = Math.ceil(x(own[own.length - 1]!)) + 2;
      const chunk = {
        c,
        left,
        width,
        paths: chartPaths(own, drawn(own, series), { ...o, yMax: o.max, x }).paths,
      };
      out.push(chunk);
      if (absolute) cache.chunks.set(c, { rows: own, chunk });
    }
    seen.add(c);
    i = e;
  }
  for (const c of [...cache.chunks.keys()]) if (!seen.has(c)) cache.chunks.delete(c);
  return { dx: Math.round(o.plotW - (lastAt - origin) * pxPerMs), chunks: out };
}
