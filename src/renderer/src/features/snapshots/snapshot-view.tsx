import { useMemo } from 'react';
import type { Snapshot, SnapshotQueue } from '../../../../shared/snapshot/schema';
import { backlogData } from '../../lib/queue-backlog';
import { spanSeconds } from '../../lib/chart-geometry';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import './snapshots.css';

const when = (t: number | null): string => (t === null ? '—' : new Date(t).toLocaleTimeString());
const num = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));

/** Colours of the queues chart's lines, in turn. */
const PALETTE = ['blue', 'orange', 'green', 'purple', 'red', 'teal', 'gold', 'pink'].map(
  (c) => `var(--chart-${c})`,
);
/** Queues drawn on the chart, at most: those with the largest backlog at the end (all are in the table). */
const CHARTED = PALETTE.length;

/** A queue's name on the chart, and its key there (two connections may share a name, never an id). */
const queueName = (q: SnapshotQueue): string => `${q.connection.name}/${q.name}`;
const queueKey = (q: SnapshotQueue): string => `${q.connection.id}/${q.name}`;
const backlogOf = (q: SnapshotQueue): number => {
  const c = q.stats.counts;
  return (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.paused ?? 0) + (c.active ?? 0);
};
const perSec = (v: number | null): string => (v === null ? '—' : `${num(v, v > 0 && v < 10 ? 1 : 0)}/s`);
const p95 = (l: SnapshotQueue['stats']['wait']): string => (l === null ? '—' : `${num(l.p95)} ms`);

/** The watched BullMQ queues a snapshot holds: their backlogs over time, and each one's figures at the end. */
function SnapshotQueues({ queues }: { queues: SnapshotQueue[] }) {
  const charted = useMemo(
    () => [...queues].sort((a, b) => backlogOf(b) - backlogOf(a)).slice(0, CHARTED),
    [queues],
  );
  const series = useMemo<SeriesSpec[]>(
    () => charted.map((q, i) => ({ key: queueKey(q), name: queueName(q), color: PALETTE[i]! })),
    [charted],
  );
  const longest = charted.reduce<number[]>((t, q) => (q.history.t.length > t.length ? q.history.t : t), []);
  const span = spanSeconds(longest, Infinity);
  const data = useMemo(
    () =>
      backlogData(
        charted.map((q) => ({ key: queueKey(q), h: q.history })),
        span * 1000,
      ),
    [charted, span],
  );
  return (
    <section className="card" data-testid="snapshot-queues">
      <h2>Queues ({queues.length})</h2>
      {queues.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <>
          <TimeChart
            data={data}
            series={series}
            windowSec={span}
            height={140}
            label={`Backlog per queue${queues.length > CHARTED ? ` (the ${CHARTED} largest)` : ''}`}
          />
          <table className="plain">
            <thead>
              <tr>
                <th>Connection</th>
                <th>Queue</th>
                <th>Waiting</th>
                <th>Active</th>
                <th>Delayed</th>
                <th>Completed</th>
                <th>Failed</th>
                <th>Done/s</th>
                <th>Failed/s</th>
                <th>Wait p95</th>
                <th>Run p95</th>
                <th>Workers</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={queueKey(q)} data-queue={q.name}>
                  <td>{q.connection.name}</td>
                  <td>
                    {q.name}
                    {q.stats.paused ? ' (paused)' : ''}
                  </td>
                  <td>{q.stats.counts.waiting ?? 0}</td>
                  <td>{q.stats.counts.active ?? 0}</td>
                  <td>{q.stats.counts.delayed ?? 0}</td>
                  <td>{q.stats.counts.completed ?? 0}</td>
                  <td>{q.stats.counts.failed ?? 0}</td>
                  <td>{perSec(q.stats.completedPerSec)}</td>
                  <td>{perSec(q.stats.failedPerSec)}</td>
                  <td>{p95(q.stats.wait)}</td>
                  <td>{p95(q.stats.run)}</td>
                  <td>{q.workers.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** What a snapshot held besides the charts and the table: managed processes, pools, queues, the audit log. */
export function SnapshotView({ snap }: { snap: Snapshot }) {
  return (
    <div className="snapshot-view">
      <section className="card">
        <h2>Snapshot</h2>
        <p>
          Spindle {snap.spindle} on <b>{snap.system.hostname}</b> ({snap.system.distro} {snap.system.release},{' '}
          {snap.system.cores} cores), {snap.series.t.length} samples every {snap.intervalMs} ms,{' '}
          {snap.processes.length} processes, taken {new Date(snap.createdAt).toLocaleString()}.
        </p>
      </section>
      <section className="card">
        <h2>Managed processes ({snap.managed.length})</h2>
        {snap.managed.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="plain">
            <thead>
              <tr>
                <th>Name</th>
                <th>Command</th>
                <th>State</th>
                <th>PID</th>
                <th>Exit</th>
                <th>Restarts</th>
                <th>Started</th>
                <th>Last output</th>
              </tr>
            </thead>
            <tbody>
              {snap.managed.map((m) => (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td className="mono">{[m.command, ...m.args].join(' ')}</td>
                  <td>{m.state}</td>
                  <td>{m.pid ?? '—'}</td>
                  <td>{m.signal ?? m.exitCode ?? '—'}</td>
                  <td>{m.restarts}</td>
                  <td>{when(m.startedAt)}</td>
                  <td className="mono">{m.output.lines.at(-1)?.text ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>Pools ({snap.pools.length})</h2>
        {snap.pools.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="plain">
            <thead>
              <tr>
                <th>Pool</th>
                <th>Kind</th>
                <th>Size</th>
                <th>Submitted</th>
                <th>Queued</th>
                <th>Active</th>
                <th>Done</th>
                <th>Failed</th>
                <th>Cancelled</th>
                <th>Run p50 / p95 / p99 ms</th>
                <th>Tasks/s</th>
              </tr>
            </thead>
            <tbody>
              {snap.pools.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.kind}</td>
                  <td>{p.size}</td>
                  <td>{p.stats.submitted}</td>
                  <td>{p.stats.queued}</td>
                  <td>{p.stats.active}</td>
                  <td>{p.stats.completed}</td>
                  <td>{p.stats.failed}</td>
                  <td>{p.stats.cancelled}</td>
                  <td>
                    {num(p.stats.run.p50)} / {num(p.stats.run.p95)} / {num(p.stats.run.p99)}
                  </td>
                  <td>{num(p.stats.throughput, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <SnapshotQueues queues={snap.queues} />
      <section className="card">
        <h2>Control actions ({snap.audit.length})</h2>
        {snap.audit.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="plain">
            <thead>
              <tr>
                <th>Time</th>
                <th>Client</th>
                <th>Action</th>
                <th>Target</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {snap.audit.slice(-500).map((a) => (
                <tr key={a.seq}>
                  <td>{when(a.t)}</td>
                  <td>{a.client}</td>
                  <td>{a.action}</td>
                  <td>
                    {a.target.name ?? a.target.id ?? ''}{' '}
                    {a.target.pid !== undefined ? `(${a.target.pid})` : ''}
                  </td>
                  <td>
                    {a.outcome} {a.detail}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
