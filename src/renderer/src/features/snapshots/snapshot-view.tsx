import { useMemo } from 'react';
import {
  QUEUE_HISTORY_COLUMNS,
  type QueueHistory,
  type QueueHistoryColumn,
} from '../../../../shared/contract';
import type { Snapshot, SnapshotQueue } from '../../../../shared/snapshot/schema';
import { backlogData } from '../../lib/queue-backlog';
import { spanSeconds } from '../../lib/chart-geometry';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { auditUpTo, lastAtOrBefore, managedAt, poolAt } from './at-time';
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
const ms = (v: number | null): string => (v === null ? '—' : `${num(v)} ms`);

/** A queue's figures as the table shows them: at the end (its stats), or at a point of its history. */
interface QueueRow {
  /** False before the queue's first point: it was not watched yet. */
  watched: boolean;
  paused: boolean;
  waiting: number | null;
  active: number | null;
  delayed: number | null;
  completed: number | null;
  failed: number | null;
  completedPerSec: number | null;
  failedPerSec: number | null;
  waitP95: number | null;
  runP95: number | null;
  workers: number | null;
}

/** `h` cut to its points at or before `at`: what was known of the queue at that moment. */
function historyUpTo(h: QueueHistory, at: number): QueueHistory {
  const n = lastAtOrBefore(h.t, at) + 1;
  if (n === h.t.length) return h;
  const cut = { t: h.t.slice(0, n) } as QueueHistory;
  for (const c of QUEUE_HISTORY_COLUMNS) cut[c] = h[c].slice(0, n);
  return cut;
}

/**
 * The queue's row at `at`, or at the end when `at` is null or at or past its last point (then
 * from its stats, which also hold what history does not: exact counts of every state).
 */
function rowAt(q: SnapshotQueue, at: number | null): QueueRow {
  const h = q.history;
  const i = at === null ? h.t.length - 1 : lastAtOrBefore(h.t, at);
  if (at === null || i >= h.t.length - 1) {
    const c = q.stats.counts;
    return {
      watched: true,
      paused: q.stats.paused,
      waiting: c.waiting ?? 0,
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
      completedPerSec: q.stats.completedPerSec,
      failedPerSec: q.stats.failedPerSec,
      waitP95: q.stats.wait?.p95 ?? null,
      runP95: q.stats.run?.p95 ?? null,
      workers: q.workers.length,
    };
  }
  const v = (c: QueueHistoryColumn): number | null => (i < 0 ? null : (h[c][i] ?? null));
  return {
    watched: i >= 0,
    paused: v('isPaused') === 1,
    waiting: v('waiting'),
    active: v('active'),
    delayed: v('delayed'),
    completed: v('completed'),
    failed: v('failed'),
    completedPerSec: v('completedPerSec'),
    failedPerSec: v('failedPerSec'),
    waitP95: v('waitP95'),
    runP95: v('runP95'),
    workers: v('workers'),
  };
}

/**
 * The watched BullMQ queues a snapshot holds: their backlogs over time, and each one's figures,
 * both as they were at `at` (the scrubber's time), or at the end when `at` is null.
 */
function SnapshotQueues({ queues, at }: { queues: SnapshotQueue[]; at: number | null }) {
  const charted = useMemo(
    () => [...queues].sort((a, b) => backlogOf(b) - backlogOf(a)).slice(0, CHARTED),
    [queues],
  );
  const series = useMemo<SeriesSpec[]>(
    () => charted.map((q, i) => ({ key: queueKey(q), name: queueName(q), color: PALETTE[i]! })),
    [charted],
  );
  const cut = useMemo(
    () => charted.map((q) => ({ key: queueKey(q), h: at === null ? q.history : historyUpTo(q.history, at) })),
    [charted, at],
  );
  const longest = cut.reduce<number[]>((t, q) => (q.h.t.length > t.length ? q.h.t : t), []);
  const span = spanSeconds(longest, Infinity);
  const data = useMemo(() => backlogData(cut, span * 1000), [cut, span]);
  const rows = useMemo(() => queues.map((q) => ({ q, row: rowAt(q, at) })), [queues, at]);
  return (
    <section className="card" data-testid="snapshot-queues">
      <h2>
        Queues ({queues.length}){at !== null && <span className="sub"> at {when(at)}</span>}
      </h2>
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
              {rows.map(({ q, row }) => (
                <tr key={queueKey(q)} data-queue={q.name} className={row.watched ? undefined : 'muted'}>
                  <td>{q.connection.name}</td>
                  <td>
                    {q.name}
                    {!row.watched ? ' (not watched yet)' : row.paused ? ' (paused)' : ''}
                  </td>
                  <td>{num(row.waiting)}</td>
                  <td>{num(row.active)}</td>
                  <td>{num(row.delayed)}</td>
                  <td>{num(row.completed)}</td>
                  <td>{num(row.failed)}</td>
                  <td>{perSec(row.completedPerSec)}</td>
                  <td>{perSec(row.failedPerSec)}</td>
                  <td>{ms(row.waitP95)}</td>
                  <td>{ms(row.runP95)}</td>
                  <td>{num(row.workers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/**
 * What a snapshot held besides the charts and the table: managed processes, pools, queues and
 * the audit log, as they were at `at` (the scrubber's time; null or the last sample: the end).
 */
export function SnapshotView({ snap, at: scrubbed }: { snap: Snapshot; at: number | null }) {
  // At or past the last sample is the end: the figures at the end, which hold more than history.
  const at = scrubbed === null || scrubbed >= (snap.series.t.at(-1) ?? scrubbed) ? null : scrubbed;
  const managed = useMemo(() => snap.managed.map((m) => ({ m, row: managedAt(m, at) })), [snap, at]);
  const pools = useMemo(() => snap.pools.map((p) => ({ p, row: poolAt(p, at) })), [snap, at]);
  const audit = useMemo(() => auditUpTo(snap.audit, at), [snap, at]);
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
      <section className="card" data-testid="snapshot-managed">
        <h2>
          Managed processes ({snap.managed.length})
          {at !== null && <span className="sub"> at {when(at)}</span>}
        </h2>
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
                <th>Last start</th>
                <th>Last output</th>
              </tr>
            </thead>
            <tbody>
              {managed.map(({ m, row }) => (
                <tr key={m.id} data-managed={m.name} className={row.state === null ? 'muted' : undefined}>
                  <td>{m.name}</td>
                  <td className="mono">{[m.command, ...m.args].join(' ')}</td>
                  <td>{row.state ?? '— (before its last start)'}</td>
                  <td>{row.pid ?? '—'}</td>
                  <td>{row.exit ?? '—'}</td>
                  <td>{at === null ? m.restarts : '—'}</td>
                  <td>{when(m.startedAt)}</td>
                  <td className="mono">{row.lastLine}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" data-testid="snapshot-pools">
        <h2>
          Pools ({snap.pools.length}){at !== null && <span className="sub"> at {when(at)}</span>}
        </h2>
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
              {pools.map(({ p, row }) => (
                <tr key={p.id} data-pool={p.name} className={row.recorded ? undefined : 'muted'}>
                  <td>
                    {p.name}
                    {!row.recorded && ' (no record yet)'}
                  </td>
                  <td>{p.kind}</td>
                  <td>{at === null ? p.size : '—'}</td>
                  <td>{num(row.submitted)}</td>
                  <td>{num(row.queued)}</td>
                  <td>{num(row.active)}</td>
                  <td>{num(row.completed)}</td>
                  <td>{num(row.failed)}</td>
                  <td>{num(row.cancelled)}</td>
                  <td>{row.run ? `${num(row.run.p50)} / ${num(row.run.p95)} / ${num(row.run.p99)}` : '—'}</td>
                  <td>{num(row.throughput, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <SnapshotQueues queues={snap.queues} at={at} />
      <section className="card" data-testid="snapshot-audit">
        <h2>
          Control actions ({at === null ? snap.audit.length : `${audit.length} of ${snap.audit.length}`})
          {at !== null && <span className="sub"> by {when(at)}</span>}
        </h2>
        {audit.length === 0 ? (
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
              {audit.slice(-500).map((a) => (
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
