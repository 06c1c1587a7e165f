/**
 * A light time chart: SVG paths per series, stacked areas or lines, gaps as breaks, and a
 * hover readout with exact values. The overview redraws a dozen of these every tick.
 *
 * Drawing only what changed: the series are drawn on one canvas (`canvas-plot.ts`) that each
 * tick moves its bitmap left by whole pixels and draws again only from the last unchanged
 * point on, so a tick neither styles, lays out, paints nor rasterizes chart elements. Axes,
 * grid and labels are an SVG beneath, drawn once per scale; the text alternative is on it.
 */
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { valueAt, type ChartData, type Column } from './chart-data';
import { axisMax, chartSummary, niceMax, stackedMax, type SeriesSpec } from './chart-geometry';
import { canvasSize, newPlotState, paint, planDraw } from './canvas-plot';
import { useThemeGeneration } from './theme';
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
  /** The points as columns (`toColumns`). */
  data: ChartData;
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

/** Each series' colour with CSS variables resolved against `el`; again when the theme changes. */
function useColors(el: React.RefObject<HTMLElement | null>, series: readonly SeriesSpec[]): string[] | null {
  const theme = useThemeGeneration();
  const [colors, setColors] = useState<{
    for: readonly SeriesSpec[];
    theme: number;
    colors: string[];
  } | null>(null);
  useLayoutEffect(() => {
    const node = el.current;
    if (!node) return;
    const style = getComputedStyle(node);
    const resolve = (c: string): string => {
      const m = /^var\((--[\w-]+)\)$/.exec(c.trim());
      return m ? style.getPropertyValue(m[1]!).trim() || c : c;
    };
    setColors({ for: series, theme, colors: series.map((s) => resolve(s.color)) });
  }, [el, series, theme]);
  return colors && colors.for === series && colors.theme === theme ? colors.colors : null;
}

export const TimeChart = memo(function TimeChart({
  data,
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
  // What the canvas shows: a cache for drawing only what changed, never read by a render.
  const [plot] = useState(newPlotState);
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = compact ? PAD_COMPACT : PAD;
  const plotW = Math.max(1, width - pad.left - pad.right);
  const plotH = Math.max(1, height - pad.top - pad.bottom);
  const max = useMemo(
    () => axisMax(stackedMax(data, series), yMax, reference?.y ?? 0),
    [data, series, yMax, reference?.y],
  );
  const colors = useColors(ref, series);
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const size = canvasSize({ windowSec, plotW, plotH, bleed: BLEED, max, dpr, colors: [] });
  // Drawn after React commits, before the browser paints: only what changed since last tick.
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !colors || width === 0) return;
    const o = { windowSec, plotW, plotH, bleed: BLEED, max, dpr, colors };
    paint(ctx, plot, data, series, o, planDraw(plot, data, series, o));
  }, [plot, data, series, windowSec, plotW, plotH, max, dpr, colors, width]);
  const yTicks = compact ? [] : tickFractions(max).map((f) => f * max);
  const xTicks = compact ? [] : [0, 0.25, 0.5, 0.75, 1].map((f) => -windowSec + f * windowSec);
  // The hovered point's time, or null; `hover` may outlive a window that shrank.
  const rowT = hover === null || hover >= data.t.length ? null : data.t[hover]!;
  const summary = useMemo(
    () => `${label}, ${chartSummary(data, series, windowSec, yExact)}`,
    [label, data, series, windowSec, yExact],
  );
  const yOf = (v: number): number => plotH - (v / max) * plotH;
  return (
    <div
      ref={ref}
      className="time-chart"
      // The colours the canvas draws with, resolved for the current scheme (for tests and tools).
      data-colors={colors?.join(' ')}
      style={{ minHeight: height }}
      onMouseMove={(e) => {
        const x = e.clientX - e.currentTarget.getBoundingClientRect().left - pad.left;
        const t = -windowSec + (x / plotW) * windowSec;
        setHover(nearest(data.t, t));
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
          <canvas
            ref={canvas}
            className="tc-canvas"
            aria-hidden="true"
            width={size.w}
            height={size.h}
            style={{ left: pad.left, top: pad.top - BLEED, width: plotW, height: plotH + 2 * BLEED }}
          />
          {(reference || rowT !== null) && (
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
                {rowT !== null && (
                  <line
                    className="tc-cursor"
                    x1={((rowT + windowSec) / windowSec) * plotW}
                    x2={((rowT + windowSec) / windowSec) * plotW}
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
      {hover !== null && rowT !== null && (
        <div
          className="tc-tip"
          role="tooltip"
          style={{
            left: Math.min(
              width - 170,
              Math.max(0, pad.left + ((rowT + windowSec) / windowSec) * plotW + 10),
            ),
          }}
        >
          <div className="tc-tip-t">{rowT === 0 ? 'now' : `${rowT} s`}</div>
          {series.map((s) => {
            const v = valueAt(data, s.key, hover);
            return (
              <div key={s.key}>
                <i className="swatch" style={{ background: s.color }} /> {s.name}{' '}
                <b>{v === null ? '—' : yExact(v)}</b>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
});

/** Index of the point nearest to time `t` (seconds before the newest). */
function nearest(ts: Column, t: number): number | null {
  if (!ts.length) return null;
  let best = 0;
  for (let i = 1; i < ts.length; i++) if (Math.abs(ts[i]! - t) < Math.abs(ts[best]! - t)) best = i;
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
