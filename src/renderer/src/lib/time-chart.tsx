/**
 * A light time chart: SVG paths per series, stacked areas or lines, gaps as breaks, and a
 * hover readout with exact values. The overview redraws a dozen of these every tick.
 *
 * Drawing only what changed: the series are drawn on a strip that moves left by a CSS
 * transform (its own compositor layer), cut into chunks of the time axis, each chunk its own
 * SVG with one path per series (`chart-strip.ts`). A chunk is kept while its rows stay the
 * same, so each tick styles, lays out, paints and rasterizes only the newest chunk (in one
 * SVG for the whole strip, a changed path re-recorded every path of it); the strip's move is
 * compositing, not paint, raster or layout. Axes, grid and labels are drawn beneath, once per
 * scale. Everything is redrawn when the scale, the size or the window changes, when the strip
 * has moved three windows, and on every render for rows without `at` (their x moves each
 * tick).
 */
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { axisMax, chartSummary, niceMax, stackedMax, type ChartRow, type SeriesSpec } from './chart-geometry';
import { newStripCache, stripGeometry, STRIP_WINDOWS, type StripChunk } from './chart-strip';
import './time-chart.css';

export type { SeriesSpec } from './chart-geometry';

/** Colours of the CPU split, shared by total and per-core charts and their legends. */
export const CPU_COLORS = {
  user: 'var(--chart-user)',
  system: 'var(--chart-system)',
  iowait: 'var(--chart-iowait)',
  steal: 'var(--chart-steal)',
} as const;

export interface TimeChartProps {
  rows: ChartRow[];
  series: SeriesSpec[];
  windowSec: number;
  /** Fixed y maximum, or a function of the data's maximum; default: a round number above the data. */
  yMax?: number | ((dataMax: number) => number);
  yTick?: (v: number) => string;
  yExact?: (v: number) => string;
  reference?: { y: number; label: string };
  height?: number;
  compact?: boolean;
  /** What the chart shows, for its text alternative ("CPU total"). */
  label?: string;
}

const PAD = { left: 48, right: 10, top: 6, bottom: 18 };
const PAD_COMPACT = { left: 1, right: 1, top: 2, bottom: 1 };
/** Pixels the plot's clip reaches past its top and bottom, so a line at 0 or at the maximum is whole. */
const BLEED = 2;

/** Width of an element, kept current with a ResizeObserver. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

/**
 * One chunk: its own SVG, positioned in the strip (so its own paint layer). Memoized on the
 * chunk, which `stripGeometry` gives back unchanged when it is kept: React then skips it whole,
 * and Chromium neither styles, lays out nor re-records it when the newest chunk changes.
 */
const StripChunkSvg = memo(function StripChunkSvg({ chunk, height }: { chunk: StripChunk; height: number }) {
  return (
    <svg className="tc-chunk" width={chunk.width} height={height} style={{ left: chunk.left }}>
      <g transform={`translate(0,${BLEED})`}>
        {chunk.paths.map((p) =>
          p.area ? (
            <g key={p.key}>
              <path className="tc-area" d={p.d} fill={p.color} fillOpacity={0.55} />
              <path className="tc-edge" d={p.top} stroke={p.color} />
            </g>
          ) : (
            <path key={p.key} className="tc-line" d={p.d} stroke={p.color} />
          ),
        )}
      </g>
    </svg>
  );
});

export const TimeChart = memo(function TimeChart({
  rows,
  series,
  windowSec,
  yMax,
  yTick = (v) => String(v),
  yExact = (v) => String(v),
  reference,
  height = 160,
  compact = false,
  label = 'chart',
}: TimeChartProps) {
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  // What the strip kept from the last render: a cache, never state that renders depend on
  // beyond what `stripGeometry` gives back for the same rows.
  const [cache] = useState(newStripCache);
  const pad = compact ? PAD_COMPACT : PAD;
  const plotW = Math.max(1, width - pad.left - pad.right);
  const plotH = Math.max(1, height - pad.top - pad.bottom);
  const max = useMemo(
    () => axisMax(stackedMax(rows, series), yMax, reference?.y ?? 0),
    [rows, series, yMax, reference?.y],
  );
  const strip = useMemo(
    () => stripGeometry(cache, rows, series, { windowSec, plotW, plotH, max }),
    [cache, rows, series, windowSec, plotW, plotH, max],
  );
  const yTicks = compact ? [] : tickFractions(max).map((f) => f * max);
  const xTicks = compact ? [] : [0, 0.25, 0.5, 0.75, 1].map((f) => -windowSec + f * windowSec);
  const row = hover === null ? null : rows[hover];
  const summary = useMemo(
    () => `${label}, ${chartSummary(rows, series, windowSec, yExact)}`,
    [label, rows, series, windowSec, yExact],
  );
  const yOf = (v: number): number => plotH - (v / max) * plotH;
  return (
    <div
      ref={ref}
      className="time-chart"
      style={{ minHeight: height }}
      onMouseMove={(e) => {
        const x = e.clientX - e.currentTarget.getBoundingClientRect().left - pad.left;
        const t = -windowSec + (x / plotW) * windowSec;
        setHover(nearest(rows, t));
      }}
      onMouseLeave={() => setHover(null)}
    >
      {width > 0 && (
        <>
          <svg className="tc-axes" role="img" aria-label={summary} width={width} height={height}>
            <g transform={`translate(${pad.left},${pad.top})`}>
              {yTicks.map((v) => (
                <g key={v} className="tc-grid">
                  <line x1={0} x2={plotW} y1={yOf(v)} y2={yOf(v)} />
                  <text x={-6} y={yOf(v) + 4} textAnchor="end">
                    {yTick(niceTick(v))}
                  </text>
                </g>
              ))}
              {xTicks.map((t) => (
                <text
                  key={t}
                  className="tc-axis"
                  x={((t + windowSec) / windowSec) * plotW}
                  y={plotH + 14}
                  textAnchor="middle"
                >
                  {t === 0 ? 'now' : `${Math.round(t)}s`}
                </text>
              ))}
            </g>
          </svg>
          <div
            className="tc-plot"
            style={{ left: pad.left, top: pad.top - BLEED, width: plotW, height: plotH + 2 * BLEED }}
          >
            <div
              className="tc-strip"
              style={{
                width: STRIP_WINDOWS * plotW + plotW,
                height: plotH + 2 * BLEED,
                transform: `translateX(${strip.dx}px)`,
              }}
            >
              {strip.chunks.map((chunk) => (
                <StripChunkSvg key={chunk.c} chunk={chunk} height={plotH + 2 * BLEED} />
              ))}
            </div>
          </div>
          {(reference || row) && (
            <svg className="tc-over" width={width} height={height} aria-hidden="true">
              <g transform={`translate(${pad.left},${pad.top})`}>
                {reference && (
                  <g className="tc-ref">
                    <line x1={0} x2={plotW} y1={yOf(reference.y)} y2={yOf(reference.y)} />
                    {!compact && (
                      <text x={plotW - 4} y={yOf(reference.y) - 4} textAnchor="end">
                        {reference.label}
                      </text>
                    )}
                  </g>
                )}
                {row && (
                  <line
                    className="tc-cursor"
                    x1={((row.t + windowSec) / windowSec) * plotW}
                    x2={((row.t + windowSec) / windowSec) * plotW}
                    y1={0}
                    y2={plotH}
                  />
                )}
              </g>
            </svg>
          )}
        </>
      )}
      {!compact && series.length > 1 && (
        <div className="tc-legend">
          {series.map((s) => (
            <span key={s.key}>
              <i className="swatch" style={{ background: s.color }} />
              {s.name}
            </span>
          ))}
        </div>
      )}
      {row && (
        <div
          className="tc-tip"
          role="tooltip"
          style={{
            left: Math.min(
              width - 170,
              Math.max(0, pad.left + ((row.t + windowSec) / windowSec) * plotW + 10),
            ),
          }}
        >
          <div className="tc-tip-t">{row.t === 0 ? 'now' : `${row.t} s`}</div>
          {series.map((s) => (
            <div key={s.key}>
              <i className="swatch" style={{ background: s.color }} /> {s.name}{' '}
              <b>{typeof row[s.key] === 'number' ? yExact(row[s.key] as number) : '—'}</b>
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

/** Index of the row nearest to time `t`. */
function nearest(rows: ChartRow[], t: number): number | null {
  if (!rows.length) return null;
  let best = 0;
  for (let i = 1; i < rows.length; i++) if (Math.abs(rows[i]!.t - t) < Math.abs(rows[best]!.t - t)) best = i;
  return best;
}

/** Grid fractions that land on round values: fifths for 2.5 and 5 (×10^n) maxima, quarters otherwise. */
function tickFractions(max: number): number[] {
  const lead = max / 10 ** Math.floor(Math.log10(max || 1));
  const k = Math.abs(lead - 2.5) < 1e-9 || Math.abs(lead - 5) < 1e-9 ? 5 : 4;
  return Array.from({ length: k + 1 }, (_, i) => i / k);
}

const niceTick = (v: number): number => (v >= 10 ? Math.round(v) : Math.round(v * 100) / 100);
export { niceMax };
