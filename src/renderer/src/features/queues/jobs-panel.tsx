import { useEffect, useState } from 'react';
import {
  JOB_STATES,
  QUEUE_LIMITS,
  type JobState,
  type JobsPage,
  type QueueStats,
} from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { ErrorLine, type CodedError } from './error-line';
import { JobDetailPanel } from './job-detail';
import { StateTabs } from './state-tabs';

const PAGE = QUEUE_LIMITS.pageSize;
const fmtTime = (t: number | null): string => (t === null ? '—' : new Date(t).toLocaleTimeString());

/**
 * Jobs of the queue by state: one page of at most 100 at a time, newest first; a row opens
 * the job's detail. The page reloads when that state's count changes (at most once a tick).
 */
export function JobsPanel({ client, queue }: { client: Client; queue: QueueStats }) {
  const [state, setState] = useState<JobState>('failed');
  const [start, setStart] = useState(0);
  const [page, setPage] = useState<JobsPage | null>(null);
  const [error, setError] = useState<CodedError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const count = queue.counts[state];
  useEffect(() => {
    let live = true;
    void client.api
      .request('queues.jobs', {
        connectionId: queue.connectionId,
        queue: queue.name,
        state,
        start,
        count: PAGE,
      })
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setPage(r.value);
          setError(null);
        } else setError(r.error);
      });
    return () => void (live = false);
  }, [client, queue.connectionId, queue.name, state, start, count, reload]);
  const select = (s: JobState): void => {
    setState(s);
    setStart(0);
    setJobId(null);
  };
  const jobs = page?.state === state ? page.jobs : [];
  const total = page?.state === state ? page.total : count;
  return (
    <section className="card jobs" aria-label="Jobs" data-testid="queue-jobs">
      <h2>Jobs</h2>
      <StateTabs
        label="Job states"
        idPrefix="jobs-tab"
        tabs={JOB_STATES}
        current={state}
        onSelect={select}
        badge={(s) => queue.counts[s]}
      />
      <div id="jobs-tab-panel" role="tabpanel" aria-labelledby={`jobs-tab-${state}`} className="jobs-body">
        <div className="jobs-list">
          <div className="pager">
            <button disabled={start === 0} onClick={() => setStart(Math.max(0, start - PAGE))}>
              ‹ Newer
            </button>
            <span className="muted small" data-testid="jobs-range">
              {total === 0 ? 'none' : `${start + 1}–${Math.min(total, start + jobs.length)} of ${total}`}
            </span>
            <button disabled={start + PAGE >= total} onClick={() => setStart(start + PAGE)}>
              Older ›
            </button>
            <button onClick={() => setReload((n) => n + 1)}>Refresh</button>
          </div>
          <ErrorLine error={error} />
          <table className="plain jobs-table" data-testid="jobs-table">
            <thead>
              <tr>
                <th>id</th>
                <th>name</th>
                <th>added</th>
                <th>tries</th>
                <th>{state === 'failed' ? 'reason' : 'progress'}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr
                  key={j.id}
                  className={j.id === jobId ? 'selected' : ''}
                  aria-selected={j.id === jobId}
                  data-testid="job-row"
                  data-job={j.id}
                >
                  <td>
                    <button className="link" onClick={() => setJobId(j.id)} aria-label={`Job ${j.id}`}>
                      #{j.id}
                    </button>
                  </td>
                  <td>{j.name}</td>
                  <td className="num">{fmtTime(j.timestamp)}</td>
                  <td className="num">{j.attemptsMade}</td>
                  <td className={state === 'failed' ? 'error clip' : 'clip'}>
                    {state === 'failed' ? j.failedReason : j.progress}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {jobId && (
          <JobDetailPanel
            key={jobId}
            client={client}
            queue={queue}
            jobId={jobId}
            changed={JOB_STATES.map((s) => queue.counts[s]).join(',')}
            onChanged={() => setReload((n) => n + 1)}
            onClose={() => setJobId(null)}
          />
        )}
      </div>
    </section>
  );
}
