import { useMemo } from 'react';
import type { QueueHistory } from '../../../../shared/contract';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { fmtMs } from '../../lib/format';
import { spanSeconds } from '../../lib/chart-geometry';
import { valueAt, type ChartData } from '../../lib/chart-data';
import { fmtRate, queueData, type QueueField } from './queue-data';

/** Longest window the queue charts show (the history keeps 10 min); shorter while the history is. */
const WINDOW_MS = 300_000;

/** Unfinished jobs by state, stacked (finished totals are the tiles: they only grow). */
const COUNT_SERIES: (SeriesSpec & QueueField)[] = [
  { key: 'active', col: 'active', name: 'active', color: 'var(--chart-blue)', kind: 'area', stack: 'n' },
  { key: 'waiting', col: 'waiting', name: 'waiting', color: 'var(--chart-orange)', kind: 'area', stack: 'n' },
  {
    key: 'prioritized',
    col: 'prioritized',
    name: 'prioritized',
    color: 'var(--chart-gold)',
    kind: 'area',
    stack: 'n',
  },
  { key: 'delayed', col: 'delayed', name: 'delayed', color: 'var(--chart-purple)', kind: 'area', stack: 'n' },
  {
    key: 'waitingChildren',
    col: 'waitingChildren',
    name: 'waiting-children',
    color: 'var(--chart-teal)',
    kind: 'area',
    stack: 'n',
  },
  { key: 'paused', col: 'paused', name: 'paused', color: 'var(--chart-sky)', kind: 'area', stack: 'n' },
];

const RATE_SERIES: (SeriesSpec & QueueField)[] = [
  { key: 'completedPerSec', col: 'completedPerSec', name: 'completed/s', color: 'var(--chart-green)' },
  { key: 'failedPerSec', col: 'failedPerSec', name: 'failed/s', color: 'var(--chart-red)' },
];

const LATENCY_SERIES: (SeriesSpec & QueueField)[] = [
  { key: 'waitP50', col: 'waitP50', name: 'wait p50', color: 'var(--chart-gold)' },
  { key: 'waitP95', col: 'waitP95', name: 'wait p95', color: 'var(--chart-orange)' },
  { key: 'waitP99', col: 'waitP99', name: 'wait p99', color: 'var(--chart-coral)' },
  { key: 'runP50', col: 'runP50', name: 'run p50', color: 'var(--chart-sky)' },
  { key: 'runP95', col: 'runP95', name: 'run p95', color: 'var(--chart-blue)' },
  { key: 'runP99', col: 'runP99', name: 'run p99', color: 'var(--chart-purple)' },
];

const count = (v: number): string => String(Math.round(v));
/** Unfinished jobs at point `i` (a state with no reading counts 0). */
const total = (data: ChartData, i: number): number =>
  COUNT_SERIES.reduce((a, f) => a + (valueAt(data, f.key, i) ?? 0), 0);
const rate = (v: number): string => fmtRate(v);

/**
 * The queue's three charts over the same window: unfinished jobs by state, completions and
 * failures per second, wait and run percentiles. Breaks where the connection was down.
 * `history` is mutated in place by the store, so `t` (the newest tick) keys the memos.
 */
export function QueueCharts({ history, t }: { history: QueueHistory; t: number }) {
  const span = spanSeconds(history.t, WINDOW_MS);
  const counts = useMemo(() => queueData(history, COUNT_SERIES, span * 1000), [history, t, span]); // eslint-disable-line react-hooks/exhaustive-deps
  const rates = useMemo(() => queueData(history, RATE_SERIES, span * 1000), [history, t, span]); // eslint-disable-line react-hooks/exhaustive-deps
  const latency = useMemo(() => queueData(history, LATENCY_SERIES, span * 1000), [history, t, span]); // eslint-disable-line react-hooks/exhaustive-deps
  const points = counts.t.length;
  const last = points - 1;
  let gaps = 0;
  let maxBacklog = 0;
  for (let i = 0; i < points; i++) {
    if (valueAt(counts, 'active', i) === null) gaps++;
    maxBacklog = Math.max(maxBacklog, total(counts, i));
  }
  return (
    <div className="queue-charts">
      <section
        className="card"
        aria-label="Jobs by state"
        data-testid="queue-counts-chart"
        data-points={points}
        data-gaps={gaps}
        data-last-waiting={valueAt(counts, 'waiting', last) ?? ''}
        data-last-active={valueAt(counts, 'active', last) ?? ''}
        data-max-backlog={maxBacklog}
        data-last-backlog={last >= 0 ? total(counts, last) : ''}
      >
        <h2>Jobs by state · unfinished, stacked</h2>
        <TimeChart
          data={counts}
          series={COUNT_SERIES}
          windowSec={span}
          yTick={count}
          yExact={count}
          label="Jobs by state"
        />
      </section>
      <section className="card" aria-label="Completions and failures" data-testid="queue-rates-chart">
        <h2>Completed and failed per second</h2>
        <TimeChart
          data={rates}
          series={RATE_SERIES}
          windowSec={span}
          yTick={rate}
          yExact={rate}
          label="Completions and failures per second"
        />
      </section>
      <section className="card" aria-label="Latency" data-testid="queue-latency-chart">
        <h2>Wait and run time · p50 / p95 / p99 of recent jobs</h2>
        <TimeChart
          data={latency}
          series={LATENCY_SERIES}
          windowSec={span}
          yTick={fmtMs}
          yExact={fmtMs}
          label="Wait and run time percentiles"
        />
      </section>
    </div>
  );
}
