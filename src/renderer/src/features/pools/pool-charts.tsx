import {
  Legend,
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistoryWindow, PoolHistory } from '../../../../shared/contract';
import { toBacklogRows, toCoreRows } from './pool-data';
import { fmtMs } from '../../lib/format';
import { spanSeconds } from '../../lib/chart-geometry';

const WINDOW_MS = 120_000;
const CORE_COLORS = [
  'var(--chart-blue)',
  'var(--chart-orange)',
  'var(--chart-green)',
  'var(--chart-pink)',
  'var(--chart-gold)',
  'var(--chart-teal)',
  'var(--chart-purple)',
  'var(--chart-coral)',
];
const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--grid)' };
/** Time axis in seconds before now; every chart of one pool shares its span. */
const xAxis = (span: number) => (
  <XAxis
    dataKey="t"
    type="number"
    domain={[-span, 0]}
    ticks={Array.from({ length: 7 }, (_, i) => Math.round(-span + (i * span) / 6))}
    tickFormatter={(v: number) => `${v}s`}
    stroke="var(--muted)"
    allowDataOverflow
  />
);

/** Queued and active tasks over time (stacked areas), with completions and failures per second. */
export function BacklogChart({ history }: { history: PoolHistory }) {
  const span = spanSeconds(history.t, WINDOW_MS);
  const rows = toBacklogRows(history, span * 1000);
  const maxQueued = Math.max(0, ...rows.map((r) => r.queued));
  return (
    <section className="card" aria-label="Backlog">
      <h2>Backlog · queued + active, completions/s</h2>
      <div
        className="chart"
        role="img"
        aria-label={`Backlog over the last ${span} s; latest: queued ${rows.at(-1)?.queued ?? 0}, active ${rows.at(-1)?.active ?? 0}`}
        data-testid="backlog-chart"
        data-points={rows.length}
        data-max-queued={maxQueued}
        data-last-queued={rows.at(-1)?.queued ?? 0}
        data-last-active={rows.at(-1)?.active ?? 0}
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
            {xAxis(span)}
            <YAxis yAxisId="n" allowDecimals={false} width={48} stroke="var(--muted)" />
            <YAxis yAxisId="rate" orientation="right" width={48} stroke="var(--muted)" unit="/s" />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={(l) => `${Number(l).toFixed(0)} s`} />
            <Area
              yAxisId="n"
              dataKey="queued"
              name="queued"
              stackId="b"
              stroke="var(--warn)"
              fill="var(--warn)"
              fillOpacity={0.35}
              isAnimationActive={false}
            />
            <Area
              yAxisId="n"
              dataKey="active"
              name="active"
              stackId="b"
              stroke="var(--accent)"
              fill="var(--accent)"
              fillOpacity={0.35}
              isAnimationActive={false}
            />
            <Line
              yAxisId="rate"
              dataKey="throughput"
              name="completed/s"
              stroke="var(--ok)"
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            <Line
              yAxisId="rate"
              dataKey="failRate"
              name="failed/s"
              stroke="var(--bad)"
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ul className="legend">
        <li>
          <span className="swatch" style={{ background: 'var(--warn)' }} /> queued
        </li>
        <li>
          <span className="swatch" style={{ background: 'var(--accent)' }} /> active
        </li>
        <li>
          <span className="swatch" style={{ background: 'var(--ok)' }} /> completed/s
        </li>
        <li>
          <span className="swatch" style={{ background: 'var(--bad)' }} /> failed/s
        </li>
      </ul>
    </section>
  );
}

/** Per-core CPU busy %, sampled at the same ticks as the backlog. */
export function CoreLoadChart({
  win,
  cores,
  history,
}: {
  win: HistoryWindow | null;
  cores: number;
  history: PoolHistory | undefined;
}) {
  const span = spanSeconds(history?.t ?? [], WINDOW_MS);
  const now = history?.t.at(-1) ?? win?.t.at(-1) ?? 0;
  const rows = win ? toCoreRows(win, cores, now, span * 1000) : [];
  const last = rows.at(-1);
  const ids = Array.from({ length: cores }, (_, i) => i);
  return (
    <section className="card" aria-label="CPU per core">
      <h2>CPU per core</h2>
      <div
        className="chart"
        role="img"
        aria-label={`CPU busy % per core over the last ${span} s; latest: ${ids.map((i) => `core ${i} ${last?.[`c${i}`] ?? 'no data'}`).join(', ')}`}
        data-testid="pools-cpu-chart"
        data-points={rows.length}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
            {xAxis(span)}
            <YAxis domain={[0, 100]} unit="%" width={48} stroke="var(--muted)" />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={(l) => `${Number(l).toFixed(0)} s`} />
            {ids.map((i) => (
              <Line
                key={i}
                dataKey={`c${i}`}
                name={`core ${i}`}
                stroke={CORE_COLORS[i % CORE_COLORS.length]}
                dot={false}
                strokeWidth={1.5}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul className="legend">
        {ids.map((i) => (
          <li key={i}>
            <span className="swatch" style={{ background: CORE_COLORS[i % CORE_COLORS.length] }} />
            core {i} <b>{last?.[`c${i}`] ?? '—'}%</b>
          </li>
        ))}
      </ul>
    </section>
  );
}

const fmtLatest = (v: number | null | undefined): string => (typeof v === 'number' ? fmtMs(v) : 'no data');

/** p95 wait and run time over time. */
export function LatencyChart({ history }: { history: PoolHistory }) {
  const last = history.t.at(-1) ?? 0;
  const span = spanSeconds(history.t, WINDOW_MS);
  const rows = history.t
    .map((t, k) => ({ t: (t - last) / 1000, wait: history.waitP95[k], run: history.runP95[k] }))
    .filter((r) => r.t >= -span);
  return (
    <div
      className="chart chart-small"
      role="img"
      aria-label={`p95 latency over the last ${span} s; latest: wait ${fmtLatest(rows.at(-1)?.wait)}, run ${fmtLatest(rows.at(-1)?.run)}`}
      data-testid="latency-chart"
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          {xAxis(span)}
          <YAxis width={60} stroke="var(--muted)" tickFormatter={(v: number) => fmtMs(v)} />
          <Tooltip
            contentStyle={tooltipStyle}
            labelFormatter={(l) => `${Number(l).toFixed(0)} s`}
            formatter={(v) => fmtMs(Number(v))}
          />
          <Legend />
          <Line dataKey="wait" name="wait p95" stroke="var(--warn)" dot={false} isAnimationActive={false} />
          <Line dataKey="run" name="run p95" stroke="var(--accent)" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
