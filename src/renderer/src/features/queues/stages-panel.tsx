import { useMemo } from 'react';
import type { QueueHistory, QueueStats } from '../../../../shared/contract';
import type { ChartRow } from '../../lib/chart-geometry';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { spanSeconds } from '../../lib/chart-geometry';
import { dataOfRows, rowsOfData } from '../../lib/chart-data';
import { backlog, fmtRate, queueData } from './queue-data';

const WINDOW_MS = 300_000;
const TODO: { key: string; col: 'waiting' | 'active' | 'delayed' | 'prioritized' | 'paused' }[] = [
  { key: 'waiting', col: 'waiting' },
  { key: 'active', col: 'active' },
  { key: 'delayed', col: 'delayed' },
  { key: 'prioritized', col: 'prioritized' },
  { key: 'paused', col: 'paused' },
];

/** A row's time: `t`, and `at` where it has one (so the chart keeps what it drew). */
const time = (r: ChartRow): ChartRow => (r.at === undefined ? { t: r.t } : { t: r.t, at: r.at });

/** A stage's backlog over time (waiting + active + delayed + prioritized + paused), null at gaps. */
function backlogRows(h: QueueHistory, windowMs: number): ChartRow[] {
  const keys = TODO.map((f) => f.key);
  return rowsOfData(queueData(h, TODO, windowMs), keys).map((r) => {
    const parts = TODO.map((f) => r[f.key]);
    const v = parts.every((p) => p === null) ? null : parts.reduce<number>((a, p) => a + (p ?? 0), 0);
    return { ...time(r), backlog: v };
  });
}

/** Merge two stages' rows on their time (both queues are polled on the same tick). */
function merge(a: ChartRow[], b: ChartRow[]): ChartRow[] {
  const byT = new Map<number, ChartRow>();
  for (const r of a) byT.set(r.t, { ...time(r), wash: r.backlog ?? null, dry: null });
  for (const r of b)
    byT.set(r.t, { ...(byT.get(r.t) ?? { ...time(r), wash: null }), dry: r.backlog ?? null });
  return [...byT.values()].sort((x, y) => x.t - y.t);
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

const SERIES: SeriesSpec[] = [
  { key: 'wash', name: 'wash backlog', color: 'var(--chart-blue)' },
  { key: 'dry', name: 'dry backlog', color: 'var(--chart-orange)' },
];

/**
 * The washer/dryer stages side by side: each queue's backlog, workers and throughput, and
 * one chart of both backlogs, where the slower stage's backlog builds while the other drains.
 */
export function StagesPanel({
  wash,
  dry,
  history,
  t,
}: {
  wash: QueueStats;
  dry: QueueStats;
  history: Record<string, QueueHistory>;
  t: number;
}) {
  const hw = history[wash.key];
  const hd = history[dry.key];
  const span = spanSeconds(hw?.t ?? [], WINDOW_MS);
  const data = useMemo(
    () =>
      dataOfRows(
        merge(hw ? backlogRows(hw, span * 1000) : [], hd ? backlogRows(hd, span * 1000) : []),
        SERIES.map((s) => s.key),
      ),
    // The store appends to the history in place: `t` (the newest tick) marks a new point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [hw, hd, t, span],
  );
  const stages = [wash, dry];
  const slower = backlog(dry) > backlog(wash) ? 'dry' : backlog(wash) > backlog(dry) ? 'wash' : null;
  return (
    <section className="card" aria-label="Stages" data-testid="queue-stages" data-slower={slower ?? ''}>
      <h2>Stages · wash → dry</h2>
      <div className="stages-body">
        <div className="stages">
          {stages.map((q, i) => (
            <div key={q.key} className="stage-wrap">
              {i > 0 && (
                <span className="stage-arrow" aria-hidden="true">
                  →
                </span>
              )}
              <div
                className={`stage ${slower === q.name ? 'stalled' : ''}`}
                data-testid="stage"
                data-queue={q.name}
              >
                <b>{q.name}</b>
                <span>
                  {backlog(q)} to do · {q.counts.active} active
                </span>
                <span>{q.counts.completed} done</span>
                <span className="muted">
                  {plural(q.workers.filter((w) => w.state === 'reporting').length, 'worker')} ·{' '}
                  {fmtRate(q.completedPerSec)} done
                </span>
                {slower === q.name && <span className="warn">backlog builds here</span>}
              </div>
            </div>
          ))}
        </div>
        <TimeChart data={data} series={SERIES} windowSec={span} height={130} label="Backlog per stage" />
      </div>
    </section>
  );
}
