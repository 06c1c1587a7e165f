import { useSyncExternalStore } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FrameStore } from '../../lib/frame-store';
import type { StatsState } from './stats-store';
import { cpuBusyKeys, toChartData } from './to-chart-data';

const COLORS = ['#4e9af1', '#f1a14e', '#5ec27a', '#d65db1', '#e0c341', '#47c6c6', '#b07cf0', '#f06f6f'];

/** Per-core CPU busy % over the last 60 s. */
export function CpuChart({ store }: { store: FrameStore<StatsState> }) {
  const { history, intervalMs, latest } = useSyncExternalStore(store.subscribe, store.get);
  const cores = latest?.cpu.cores.length ?? 0;
  const rows = toChartData(history.window(60_000), cpuBusyKeys(cores), 60_000, intervalMs);
  return (
    <section className="card" aria-label="Per-core CPU">
      <h2>CPU per core · last 60 s</h2>
      <div className="chart" data-testid="cpu-chart" data-points={rows.length} data-cores={cores}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
            <XAxis
              dataKey="t"
              type="number"
              domain={[-60, 0]}
              tickFormatter={(v: number) => `${v}s`}
              stroke="var(--muted)"
            />
            <YAxis domain={[0, 100]} unit="%" width={48} stroke="var(--muted)" />
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—')}
              labelFormatter={(l) => `${Number(l).toFixed(0)} s`}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)' }}
            />
            {Array.from({ length: cores }, (_, i) => (
              <Line
                key={i}
                dataKey={`c${i}`}
                name={`core ${i}`}
                stroke={COLORS[i % COLORS.length]}
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
        {latest?.cpu.cores.map((c, i) => (
          <li key={i}>
            <span className="swatch" style={{ background: COLORS[i % COLORS.length] }} />
            core {i} <b>{c.busy.toFixed(0)}%</b>
          </li>
        ))}
      </ul>
    </section>
  );
}
