/**
 * A sparkline: one SVG path over a fixed y range, null points as breaks (the host was down),
 * with its last value and range as the text alternative.
 */
import { memo } from 'react';

export interface SparklineProps {
  values: (number | null)[];
  /** The top of the y range (the bottom is 0). */
  max: number;
  label: string;
  format: (v: number) => string;
  width?: number;
  height?: number;
}

export function sparkPath(values: (number | null)[], max: number, w: number, h: number): string {
  const n = values.length;
  if (n === 0 || max <= 0) return '';
  const dx = n > 1 ? w / (n - 1) : 0;
  let d = '';
  let pen = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      pen = false;
      continue;
    }
    const y = h - (Math.min(Math.max(v, 0), max) / max) * h;
    d += `${pen ? 'L' : 'M'}${(i * dx).toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

export const Sparkline = memo(function Sparkline({
  values,
  max,
  label,
  format,
  width = 120,
  height = 24,
}: SparklineProps) {
  const last = [...values].reverse().find((v) => v !== null) ?? null;
  const gap = values.length > 0 && values[values.length - 1] === null;
  const alt = `${label}: ${last === null ? 'no data' : format(last)}${gap ? ' (no data now)' : ''}`;
  return (
    <span className="spark">
      <svg width={width} height={height} role="img" aria-label={alt} viewBox={`0 0 ${width} ${height}`}>
        <path d={sparkPath(values, max, width, height)} fill="none" stroke="currentColor" strokeWidth={1.5} />
      </svg>
      <span className="spark-value">{last === null ? '—' : format(last)}</span>
    </span>
  );
});
