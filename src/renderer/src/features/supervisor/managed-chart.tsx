import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from './managed-series';

const time = (t: number): string => new Date(t).toLocaleTimeString([], { hour12: false });

/** CPU %, resident memory and threads of one managed process, from the sampler. */
export function ManagedChart({ points }: { points: SeriesPoint[] }) {
  const last = points.at(-1);
  return (
    <div
      className="sup-chart"
      role="img"
      aria-label={`CPU, memory and threads of the process; latest: CPU ${last?.cpu != null ? `${last.cpu.toFixed(1)} %` : 'no data'}, RSS ${last?.rssMb != null ? `${last.rssMb.toFixed(1)} MB` : 'no data'}, threads ${last?.threads ?? 'no data'}`}
      data-testid="sup-chart"
      data-points={points.length}
    >
      <div className="sup-chart-legend">
        <span className="sup-key sup-key-cpu">
          CPU {last?.cpu != null ? `${last.cpu.toFixed(1)} %` : '–'}
        </span>
        <span className="sup-key sup-key-mem">
          RSS {last?.rssMb != null ? `${last.rssMb.toFixed(1)} MB` : '–'}
        </span>
        <span className="sup-key sup-key-thr">threads {last?.threads ?? '–'}</span>
      </div>
      {points.length < 2 ? (
        <p className="muted">Charted from the sampler once the process has run for a couple of ticks.</p>
      ) : (
        <ResponsiveContainer width="100%" height={140}>
          <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="2 4" />
            <XAxis dataKey="t" tickFormatter={time} stroke="var(--muted)" fontSize={11} minTickGap={40} />
            <YAxis yAxisId="cpu" stroke="var(--muted)" fontSize={11} width={36} domain={[0, 'auto']} />
            <YAxis yAxisId="mem" orientation="right" stroke="var(--muted)" fontSize={11} width={40} />
            <Tooltip
              labelFormatter={(t) => time(Number(t))}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)' }}
            />
            <Line
              yAxisId="cpu"
              dataKey="cpu"
              name="CPU %"
              stroke="var(--chart-blue)"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="mem"
              dataKey="rssMb"
              name="RSS MB"
              stroke="var(--chart-green)"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="cpu"
              dataKey="threads"
              name="threads"
              stroke="var(--chart-yellow)"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
