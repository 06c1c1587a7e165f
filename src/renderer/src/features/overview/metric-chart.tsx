import { memo } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type YAxisProps,
} from 'recharts';
import type { ChartRow } from './overview-data';

/** One drawn series: a line, or an area (stacked when `stack` is set). */
export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  kind?: 'line' | 'area';
  stack?: string;
}

/** Colours of the CPU split, shared by total and per-core charts and their legends. */
export const CPU_COLORS = { user: '#4e9af1', system: '#f0766f', iowait: '#e0b341', steal: '#b07cf0' } as const;

export interface MetricChartProps {
  rows: ChartRow[];
  series: SeriesSpec[];
  windowSec: number;
  yDomain?: YAxisProps['domain'];
  /** Axis tick text (short). */
  yTick?: (v: number) => string;
  /** Tooltip text (exact). */
  yExact?: (v: number) => string;
  reference?: { y: number; label: string };
  height?: number;
  compact?: boolean;
}

const Y_DEFAULT: YAxisProps['domain'] = [0, 'auto'];
const axisTime = (v: number): string => (v === 0 ? 'now' : `${v}s`);

/** A time chart over the last `windowSec`, with exact values in the tooltip. Memoised: rows change once per tick. */
export const MetricChart = memo(function MetricChart({
  rows,
  series,
  windowSec,
  yDomain = Y_DEFAULT,
  yTick = (v) => String(v),
  yExact = (v) => String(v),
  reference,
  height = 160,
  compact = false,
}: MetricChartProps) {
  return (
    <div style={{ height }} className="metric-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={compact ? { top: 2, right: 2, bottom: 0, left: 0 } : { top: 6, right: 12, bottom: 0, left: 0 }}>
          {!compact && <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />}
          <XAxis
            dataKey="t"
            type="number"
            domain={[-windowSec, 0]}
            tickFormatter={axisTime}
            stroke="var(--muted)"
            hide={compact}
            fontSize={11}
          />
          <YAxis domain={yDomain} tickFormatter={yTick} width={compact ? 0 : 52} stroke="var(--muted)" hide={compact} fontSize={11} />
          <Tooltip
            isAnimationActive={false}
            formatter={(v, name) => [typeof v === 'number' ? yExact(v) : '—', name]}
            labelFormatter={(l) => `${Number(l).toFixed(0)} s`}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)', fontSize: 12 }}
          />
          {reference && (
            <ReferenceLine
              y={reference.y}
              stroke="var(--bad)"
              strokeDasharray="4 3"
              label={{ value: reference.label, position: 'insideTopRight', fill: 'var(--muted)', fontSize: 11 }}
            />
          )}
          {series.map((s) =>
            s.kind === 'area' ? (
              <Area
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId={s.stack}
                stroke={s.color}
                fill={s.color}
                fillOpacity={0.55}
                strokeWidth={1}
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ) : (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                dot={false}
                strokeWidth={1.5}
                isAnimationActive={false}
                connectNulls={false}
              />
            ),
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});
