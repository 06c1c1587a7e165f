import type { Snapshot } from '../../../../shared/snapshot/schema';
import './snapshots.css';

const when = (t: number | null): string => (t === null ? '—' : new Date(t).toLocaleTimeString());
const num = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));

/** What a snapshot held besides the charts and the table: managed processes, pools, the audit log. */
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
