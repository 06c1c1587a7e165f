import { useState } from 'react';
import { Controls } from '../../lib/controls';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LabState } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { labCsv, labSummary, toLabRows } from './pool-data';
import { fmtMs } from '../../lib/format';

function download(name: string, type: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Serial vs thread pool vs process pool on the gcd batch, for 1..N workers, with the ideal line. */
export function LabPanel({ client, lab, cores }: { client: Client; lab: LabState | null; cores: number }) {
  const [max, setMax] = useState(String(Math.min(Math.max(cores, 2), 8)));
  const [repeat, setRepeat] = useState('2');
  const [rounds, setRounds] = useState('3');
  const [error, setError] = useState<string | null>(null);
  const run = async (): Promise<void> => {
    const res = await client.api.request('pools.lab', {
      maxWorkers: Number(max),
      repeat: Number(repeat),
      rounds: Number(rounds),
      kinds: ['threads', 'processes'],
    });
    setError(res.ok ? null : res.error.message);
  };
  const rows = lab?.rows ?? [];
  const chart = toLabRows(rows);
  return (
    <section className="card" aria-label="Speed-up lab">
      <h2>Speed-up lab · brute-force gcd of 10 pairs, serial vs pools</h2>
      <div className="lab-controls">
        <Controls>
          <label>
            workers 1..
            <input type="number" min={1} max={8} value={max} onChange={(e) => setMax(e.target.value)} />
          </label>
          <label>
            batch ×
            <input
              type="number"
              min={1}
              max={10}
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </label>
          <label title="Each configuration is timed this many times, taking turns; the table shows medians">
            rounds
            <input type="number" min={1} max={7} value={rounds} onChange={(e) => setRounds(e.target.value)} />
          </label>
          {lab?.state === 'running' ? (
            <button onClick={() => void client.api.request('pools.labCancel', {})}>Cancel</button>
          ) : (
            <button className="primary" onClick={() => void run()}>
              Run lab
            </button>
          )}
          <button
            disabled={!rows.length}
            onClick={() => download('spindle-speedup.json', 'application/json', JSON.stringify(lab, null, 2))}
          >
            Export JSON
          </button>
          <button
            disabled={!rows.length}
            onClick={() => download('spindle-speedup.csv', 'text/csv', labCsv(rows))}
          >
            Export CSV
          </button>
          <span className="muted">
            {lab
              ? lab.state === 'running'
                ? `running round ${rows[0]?.runs ?? 1} of ${lab.rounds}`
                : `${lab.state}${lab.note ? `: ${lab.note}` : ''} · medians of ${lab.rounds} rounds · ${cores} cores`
              : `${cores} cores`}
          </span>
          {error && <span className="error">{error}</span>}
        </Controls>
      </div>
      <div className="lab-body">
        <table className="plain" data-testid="lab-table">
          <thead>
            <tr>
              <th>mode</th>
              <th>workers</th>
              <th>elapsed (median)</th>
              <th>speed-up</th>
              <th>runs</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.mode}${r.workers}`}>
                <td>{r.mode}</td>
                <td>{r.workers}</td>
                <td>{fmtMs(r.elapsedMs)}</td>
                <td>{r.speedup.toFixed(2)}×</td>
                <td>{r.runs}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="chart" role="img" aria-label={labSummary(chart)} data-testid="lab-chart">
          {!chart.length && (
            <p className="muted lab-empty">
              Run the lab: the batch runs serially, then on a thread pool and a process pool of 1 to N
              workers, and each pool's speed-up over serial is drawn here beside the ideal line.
            </p>
          )}
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={chart} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis
                dataKey="workers"
                type="number"
                domain={[1, 'dataMax']}
                allowDecimals={false}
                stroke="var(--muted)"
              />
              <YAxis width={40} stroke="var(--muted)" unit="×" domain={[0, 'dataMax']} />
              <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)' }} />
              <Legend />
              <Line
                dataKey="ideal"
                name="ideal"
                stroke="var(--muted)"
                strokeDasharray="4 4"
                dot={false}
                isAnimationActive={false}
              />
              <Line dataKey="threads" name="thread pool" stroke="var(--accent)" isAnimationActive={false} />
              <Line dataKey="processes" name="process pool" stroke="var(--ok)" isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </div>
    </section>
  );
}
