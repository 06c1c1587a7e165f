import { JOB_STATES, type QueueConnection, type QueueStats } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { LatencyTable } from '../../lib/latency-table';
import { JobsPanel } from './jobs-panel';
import { QueueCharts } from './queue-charts';
import { QueueControls } from './queue-controls';
import { backlog, fmtRate } from './queue-data';
import type { QueuesState } from './queues-store';
import { QueueWorkers } from './queue-workers';

/** Everything about one queue: state, counts, charts, controls, workers by host, jobs. */
export function QueueDetail({
  client,
  queue,
  connection,
  state,
}: {
  client: Client;
  queue: QueueStats;
  connection: QueueConnection | undefined;
  state: QueuesState;
}) {
  const history = state.history[queue.key];
  return (
    <div
      className="queue-detail"
      data-testid="queue-detail"
      data-queue={queue.name}
      data-paused={queue.paused}
      data-backlog={backlog(queue)}
      data-ok={queue.ok}
    >
      <header className="card queue-head">
        <div>
          <h2>
            {queue.name}{' '}
            {queue.paused ? (
              <span className="badge badge-paused" data-testid="paused-badge">
                paused
              </span>
            ) : (
              <span className="badge badge-up">running</span>
            )}
            {!queue.ok && (
              <span className="badge badge-down" title="Counts are the last good ones">
                not polled: {connection?.state ?? 'down'}
              </span>
            )}
          </h2>
          <p className="muted small">
            on {connection?.name ?? queue.connectionId} · {connection?.prefix ?? 'bull'}:{queue.name}
            {queue.polledAt ? ` · polled ${new Date(queue.polledAt).toLocaleTimeString()}` : ''}
          </p>
        </div>
        <QueueControls client={client} queue={queue} />
      </header>
      <div className="tiles">
        {JOB_STATES.map((s) => (
          <div key={s} className={`tile tile-${s}`} data-testid={`qcount-${s}`} data-value={queue.counts[s]}>
            <span>{s}</span>
            <b>{queue.counts[s]}</b>
          </div>
        ))}
        <div className="tile">
          <span>completed/s</span>
          <b>{fmtRate(queue.completedPerSec)}</b>
        </div>
        <div className="tile">
          <span>failed/s</span>
          <b>{fmtRate(queue.failedPerSec)}</b>
        </div>
      </div>
      <QueueWorkers queue={queue} now={state.t} />
      {history && <QueueCharts history={history} t={state.t} />}
      <LatencyTable
        wait={queue.wait}
        run={queue.run}
        countLabel="jobs"
        className="plain latency-table"
        data-testid="queue-latency"
        aria-label="Latency of recent jobs"
      />
      <JobsPanel client={client} queue={queue} />
    </div>
  );
}
