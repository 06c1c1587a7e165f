import { useEffect, useState } from 'react';
import type { JobDetail, QueueStats, SafeValue } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { Controls } from '../../lib/controls';
import { fmtMs } from '../../lib/format';
import { ErrorLine, type CodedError } from './error-line';

const fmtTime = (t: number | null): string => (t === null ? '—' : new Date(t).toLocaleString());

/**
 * A value the server made safe (depth, lengths and counts bounded, cut parts replaced by
 * strings starting with `…`), shown as indented JSON with a note when something was cut.
 */
function Value({ label, v }: { label: string; v: SafeValue }) {
  const text = v.value === undefined ? '—' : JSON.stringify(v.value, null, 2);
  return (
    <div className="job-value">
      <h3>
        {label}
        {v.bytes !== null && <span className="muted small"> · {v.bytes} bytes</span>}
        {v.truncated && (
          <span className="badge badge-truncated" title="Parts marked … were cut to keep the view bounded">
            truncated
          </span>
        )}
      </h3>
      <pre>{text}</pre>
    </div>
  );
}

/** One job: data, options, attempts, progress, return value, failure and stack, logs, times; its actions. */
export function JobDetailPanel({
  client,
  queue,
  jobId,
  changed,
  onChanged,
  onClose,
}: {
  client: Client;
  queue: QueueStats;
  jobId: string;
  /** Changes when the queue's counts do: the job may have moved, so it is read again. */
  changed: string;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [job, setJob] = useState<JobDetail | null>(null);
  const [error, setError] = useState<CodedError | null>(null);
  const [reload, setReload] = useState(0);
  const on = { connectionId: queue.connectionId, queue: queue.name, jobId };
  useEffect(() => {
    let live = true;
    void client.api
      .request('queues.job', { connectionId: queue.connectionId, queue: queue.name, jobId })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setJob(r.value);
          setError(null);
        } else setError(r.error);
      });
    return () => void (live = false);
  }, [client, queue.connectionId, queue.name, jobId, reload, changed]);
  const act = async (m: 'queues.retry' | 'queues.promote' | 'queues.removeJob'): Promise<void> => {
    const r = await client.api.request(m, on);
    if (!r.ok) return setError(r.error);
    setError(null);
    setReload((n) => n + 1);
    onChanged();
  };
  return (
    <aside
      className="job-detail"
      aria-label={`Job ${jobId}`}
      data-testid="job-detail"
      data-state={job?.state}
    >
      <header>
        <h3>
          Job #{jobId} {job && <span className={`badge badge-${job.state}`}>{job.state}</span>}
        </h3>
        <button className="icon" aria-label="Close job detail" onClick={onClose}>
          ✕
        </button>
      </header>
      <ErrorLine error={error} />
      {job && (
        <>
          <Controls>
            <div className="toolbar">
              {job.state === 'failed' && <button onClick={() => void act('queues.retry')}>Retry</button>}
              {job.state === 'delayed' && <button onClick={() => void act('queues.promote')}>Promote</button>}
              <button onClick={() => void act('queues.removeJob')}>Remove</button>
            </div>
          </Controls>
          <dl className="job-facts">
            <dt>name</dt>
            <dd>{job.name}</dd>
            <dt>attempts</dt>
            <dd>
              {job.attemptsMade}
              {job.attempts > 0 ? ` of ${job.attempts}` : ''}
            </dd>
            <dt>added</dt>
            <dd>{fmtTime(job.timestamp)}</dd>
            <dt>started</dt>
            <dd>
              {fmtTime(job.processedOn)}
              {job.processedOn && job.timestamp ? ` (waited ${fmtMs(job.processedOn - job.timestamp)})` : ''}
            </dd>
            <dt>finished</dt>
            <dd>
              {fmtTime(job.finishedOn)}
              {job.finishedOn && job.processedOn ? ` (ran ${fmtMs(job.finishedOn - job.processedOn)})` : ''}
            </dd>
            {job.delay > 0 && (
              <>
                <dt>delay</dt>
                <dd>{fmtMs(job.delay)}</dd>
              </>
            )}
            {job.priority > 0 && (
              <>
                <dt>priority</dt>
                <dd>{job.priority}</dd>
              </>
            )}
            <dt>progress</dt>
            <dd>{job.progress ?? '—'}</dd>
          </dl>
          {job.failedReason && (
            <div className="job-failure" data-testid="job-failure">
              <h3>Failure</h3>
              <p className="error">{job.failedReason}</p>
              {job.stacktrace.length > 0 && <pre className="stack">{job.stacktrace.join('\n\n')}</pre>}
            </div>
          )}
          <Value label="Data" v={job.data} />
          <Value label="Return value" v={job.returnValue} />
          <Value label="Options" v={job.opts} />
          <div className="job-value">
            <h3>
              Logs <span className="muted small">· {job.logs.count}</span>
            </h3>
            {job.logs.lines.length ? (
              <pre>{job.logs.lines.join('\n')}</pre>
            ) : (
              <p className="muted small">none</p>
            )}
          </div>
        </>
      )}
    </aside>
  );
}
