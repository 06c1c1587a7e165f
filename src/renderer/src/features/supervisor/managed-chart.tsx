import { useMemo, useSyncExternalStore } from 'react';
import type { ChartRow } from '../../lib/chart-geometry';
import { sumProcs, toRows, type FieldSpec } from '../../lib/history-rows';
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
  const rows = useMemo(
    () => {
      const ks = keys ? keys.split(' ') : [];
      return toRows(sumProcs(state.history.window(WINDOW_MS, { procs: ks }), ks), FIELDS, WINDOW_MS);
    },
    // The history is mutated in place: `seq` says when it has a new tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.history, state.seq, keys],
  );
  const last = lastReading(rows);
  const windowSec = Math.max(60, -(rows[0]?.t ?? 0));
  return (
    <div
      className="sup-chart"
      role="img"
      aria-label={`CPU, memory and threads of the process; latest: CPU ${last?.cpu != null ? `${last.cpu.toFixed(1)} %` : 'no data'}, RSS ${last?.rssMb != null ? `${last.rssMb.toFixed(1)} MB` : 'no data'}, threads ${last?.threads ?? 'no data'}`}
      data-testid="sup-chart"
      data-points={rows.length}
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
      {rows.length < 2 ? (
        <p className="muted">Charted from the sampler once the process has run for a couple of ticks.</p>
      ) : (
        <>
          <TimeChart
            label="CPU % and threads"
            rows={rows}
            series={CPU_SERIES}
            windowSec={windowSec}
            height={110}
            yExact={fixed1}
          />
          <TimeChart
            label="RSS MB"
            rows={rows}
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

/** The newest row with a reading (a trailing gap row has none). */
function lastReading(rows: ChartRow[]): ChartRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.cpu != null) return rows[i];
  return undefined;
}
