import { useMemo, useSyncExternalStore } from 'react';
import { valueAt, type ChartData } from '../../lib/chart-data';
import { sumProcs, toColumns, type FieldSpec } from '../../lib/history-rows';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { useStores } from '../../stores';

/** Shown: the last five minutes (core keeps a managed process's series for the whole retention). */
const WINDOW_MS = 5 * 60_000;
const FIELDS: FieldSpec[] = [
  { key: 'cpu', series: 'proc.cpu' },
  { key: 'rssMb', series: 'proc.rss', scale: 1 / 1024 ** 2 },
  { key: 'threads', series: 'proc.threads' },
];
const CPU_SERIES: SeriesSpec[] = [
  { key: 'cpu', name: 'CPU %', color: 'var(--chart-blue)' },
  { key: 'threads', name: 'threads', color: 'var(--chart-yellow)' },
];
const MEM_SERIES: SeriesSpec[] = [{ key: 'rssMb', name: 'RSS MB', color: 'var(--chart-green)' }];
const fixed1 = (v: number): string => v.toFixed(1);

/**
 * CPU %, resident memory and threads of one managed process (its stages summed), read from
 * the stats history: core records series for every managed process and each tick names them.
 */
export function ManagedChart({ procKeys }: { procKeys: readonly string[] }) {
  const { stats } = useStores();
  const state = useSyncExternalStore(stats.subscribe, stats.get);
  const keys = procKeys.join(' ');
  const data = useMemo(
    () => {
      const ks = keys ? keys.split(' ') : [];
      return toColumns(sumProcs(state.history.window(WINDOW_MS, { procs: ks }), ks), FIELDS, WINDOW_MS);
    },
    // The history is mutated in place: `seq` says when it has a new tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.history, state.seq, keys],
  );
  const i = lastReading(data);
  const last =
    i < 0
      ? undefined
      : {
          cpu: valueAt(data, 'cpu', i),
          rssMb: valueAt(data, 'rssMb', i),
          threads: valueAt(data, 'threads', i),
        };
  const points = data.t.length;
  const windowSec = Math.max(60, -(data.t[0] ?? 0));
  return (
    <div
      className="sup-chart"
      role="img"
      aria-label={`CPU, memory and threads of the process; latest: CPU ${last?.cpu != null ? `${last.cpu.toFixed(1)} %` : 'no data'}, RSS ${last?.rssMb != null ? `${last.rssMb.toFixed(1)} MB` : 'no data'}, threads ${last?.threads ?? 'no data'}`}
      data-testid="sup-chart"
      data-points={points}
    >
      <div className="sup-chart-legend">
        <span className="sup-key sup-key-cpu">
          CPU {last?.cpu != null ? `${last.cpu.toFixed(1)} %` : '–'}
        </span>
        <span className="sup-key sup-key-mem">
          RSS {last?.rssMb != null ? `${last.rssMb.toFixed(1)} MB` : '–'}
        </span>
        <span className="sup-key sup-key-thr">threads {last?.threads ?? '–'}</span>
      </div>
      {points < 2 ? (
        <p className="muted">Charted from the sampler once the process has run for a couple of ticks.</p>
      ) : (
        <>
          <TimeChart
            label="CPU % and threads"
            data={data}
            series={CPU_SERIES}
            windowSec={windowSec}
            height={110}
            yExact={fixed1}
          />
          <TimeChart
            label="RSS MB"
            data={data}
            series={MEM_SERIES}
            windowSec={windowSec}
            height={90}
            yExact={fixed1}
          />
        </>
      )}
    </div>
  );
}

/** The newest point with a reading (a trailing gap has none), or -1. */
function lastReading(data: ChartData): number {
  for (let i = data.t.length - 1; i >= 0; i--) if (valueAt(data, 'cpu', i) !== null) return i;
  return -1;
}
