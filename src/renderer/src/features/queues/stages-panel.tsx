import { useMemo } from 'react';
import type { QueueHistory, QueueStats } from '../../../../shared/contract';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { spanSeconds } from '../../lib/chart-geometry';
import { backlogData } from '../../lib/queue-backlog';
import { backlog, fmtRate } from './queue-data';

const WINDOW_MS = 300_000;
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
      backlogData(
        [
          { key: 'wash', h: hw },
          { key: 'dry', h: hd },
        ],
        span * 1000,
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
