import type { QueueStats } from '../../../../shared/contract';
import { formatBytes } from '../../lib/format';
import { fmtMs } from '../../lib/format';
import { fmtAge, groupByHost, UNKNOWN_HOST } from './queue-data';

const pct = (v: number | null): string => (v === null ? '—' : `${Math.round(v)}%`);

/**
 * The queue's workers beside it, grouped by the host they run on: BullMQ's view (name,
 * address, connection age) joined with what Spindle's headless workers report each second
 * (host, pid, cores, CPU, load, memory, concurrency, jobs in progress). A worker whose
 * report expired is marked lost until the server forgets it.
 */
export function QueueWorkers({
  queue,
  now,
}: {
  queue: QueueStats;
  /** The server's tick time. */ now: number;
}) {
  const hosts = groupByHost(queue.workers);
  const n = queue.workers.length;
  return (
    <section className="card" aria-label="Workers" data-testid="queue-workers">
      <h2>
        Workers · {n} on {hosts.length} {hosts.length === 1 ? 'host' : 'hosts'}
        {queue.workersOmitted ? ` (+${queue.workersOmitted} not listed)` : ''}
      </h2>
      {n === 0 && (
        <p className="muted">
          No workers on this queue. Run <code>spindle worker --redis URL --queue {queue.name}</code> on any
          machine that reaches this Redis, or use Add local worker in the Managed view.
        </p>
      )}
      <div className="hosts">
        {hosts.map((h) => (
          <div key={h.host} className="host-card" data-testid="queue-host" data-host={h.host}>
            <header>
              <b>{h.host}</b>
              {h.host !== UNKNOWN_HOST && (
                <span className="muted small">
                  {h.cores ?? '?'} cores · CPU {pct(h.cpuBusyPct)} · load{' '}
                  {h.load ? h.load.map((l) => l.toFixed(2)).join(' ') : '—'} · mem{' '}
                  {formatBytes(h.memUsedBytes)} / {formatBytes(h.memTotalBytes)}
                </span>
              )}
            </header>
            <table className="plain workers-table">
              <thead>
                <tr>
                  <th>worker</th>
                  <th>state</th>
                  <th>pid</th>
                  <th>conc.</th>
                  <th>done</th>
                  <th>failed</th>
                  <th>connected</th>
                  <th>in progress</th>
                </tr>
              </thead>
              <tbody>
                {h.workers.map((w) => {
                  const r = w.report;
                  return (
                    <tr
                      key={w.id}
                      className={`qworker qworker-${w.state}`}
                      data-testid="queue-worker"
                      data-state={w.state}
                      data-active={r?.active.length ?? 0}
                      data-processed={r?.processed ?? ''}
                      data-failed={r?.failed ?? ''}
                      data-host={r?.host ?? ''}
                    >
                      <th scope="row" title={w.id}>
                        {r?.name ?? w.id}
                        {w.addr && <span className="muted small"> {w.addr}</span>}
                      </th>
                      <td className={`wstate-${w.state}`}>
                        {w.state === 'lost'
                          ? `lost (last report ${w.lastSeen ? fmtAge((now - w.lastSeen) / 1000) : '?'} ago)`
                          : w.state === 'bullmq'
                            ? 'no report'
                            : 'reporting'}
                      </td>
                      <td className="num">{r?.pid ?? '—'}</td>
                      <td className="num">{r?.concurrency ?? '—'}</td>
                      <td className="num">{r?.processed ?? '—'}</td>
                      <td className="num">{r?.failed ?? '—'}</td>
                      <td className="num">{fmtAge(w.ageSec)}</td>
                      <td className="active-jobs">
                        {r && r.active.length === 0 && <span className="muted">idle</span>}
                        {r?.active.slice(0, 6).map((a) => (
                          <span key={a.jobId} className="job-pill" title={`${a.name} #${a.jobId}`}>
                            #{a.jobId} {a.name} {fmtMs(a.elapsedMs)}
                          </span>
                        ))}
                        {r && r.active.length > 6 && <span className="muted"> +{r.active.length - 6}</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}
