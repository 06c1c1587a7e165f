import { useMemo, useState, useSyncExternalStore } from 'react';
import type { Client } from '../../api/client';
import { SubscribeError } from '../../lib/subscribe-error';
import { useStores } from '../../stores';
import { HostInfo } from '../system/host-info';
import { CoreCharts } from './core-charts';
import { CPU_COLORS, TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { cpuFields, CPU_PARTS, selfCpuPct, toColumns, type FieldSpec } from '../../lib/history-rows';
import { niceMax } from '../../lib/chart-geometry';
import { formatBytes, formatCount } from '../../lib/format';
import { isWindowMinutes, usePref, WINDOW_MINUTES } from '../../lib/prefs';
import { frameOf, useStatsFrame, type StatsFrame } from '../stats/stats-frame';
import { overviewSeries } from './overview-columns';
import './overview.css';

const GIB = 1024 ** 3;
const MAX_WINDOW_MS = Math.max(...WINDOW_MINUTES) * 60_000;
const pct = (v: number): string => `${v.toFixed(1)}%`;
const gib = (v: number): string => `${v.toFixed(2)} GiB`;

const CPU_TOTAL: SeriesSpec[] = CPU_PARTS.map((p) => ({
  key: p,
  name: p,
  color: CPU_COLORS[p],
  kind: 'area',
  stack: 'cpu',
}));
const LOAD_FIELDS: FieldSpec[] = [
  { key: 'one', series: 'load.one' },
  { key: 'five', series: 'load.five' },
  { key: 'fifteen', series: 'load.fifteen' },
];
const LOAD_SERIES: SeriesSpec[] = [
  { key: 'one', name: '1 min', color: 'var(--chart-blue)' },
  { key: 'five', name: '5 min', color: 'var(--chart-green)' },
  { key: 'fifteen', name: '15 min', color: 'var(--chart-purple)' },
];
const MEM_FIELDS: FieldSpec[] = [
  { key: 'used', series: 'mem.used', scale: 1 / GIB },
  { key: 'cached', series: 'mem.cached', scale: 1 / GIB },
  { key: 'swap', series: 'mem.swapUsed', scale: 1 / GIB },
];
const MEM_SERIES: SeriesSpec[] = [
  { key: 'used', name: 'used', color: 'var(--chart-blue)', kind: 'area', stack: 'mem' },
  { key: 'cached', name: 'cache', color: 'var(--chart-sky)', kind: 'area', stack: 'mem' },
  { key: 'swap', name: 'swap used', color: 'var(--chart-red)' },
];
const TASK_FIELDS: FieldSpec[] = [
  { key: 'processes', series: 'tasks.processes' },
  { key: 'threads', series: 'tasks.threads' },
];
const TASK_SERIES: SeriesSpec[] = [
  { key: 'processes', name: 'processes', color: 'var(--chart-green)' },
  { key: 'threads', name: 'threads', color: 'var(--chart-yellow)' },
];
const CTXT_FIELDS: FieldSpec[] = [
  { key: 'ctxt', series: 'tasks.ctxtPerSec' },
  { key: 'forks', series: 'tasks.forksPerSec' },
];
const CTXT_SERIES: SeriesSpec[] = [
  { key: 'ctxt', name: 'context switches/s', color: 'var(--chart-teal)' },
  { key: 'forks', name: 'forks/s', color: 'var(--chart-pink)' },
];

const pickColumns = (cores: number) => ({ series: overviewSeries(cores) });

/** The machine at a glance: CPU (total and per core), load, memory, tasks, Spindle's own cost. */
export function OverviewView({ client }: { client: Client }) {
  const { stats } = useStores();
  const [minutes, setMinutes] = usePref('overview.windowMinutes', 5, isWindowMinutes);
  const windowMs = minutes * 60_000;
  const live = useStatsFrame(stats, windowMs, pickColumns);
  const error = useSyncExternalStore(stats.subscribe, () => stats.get().error);
  // Pause keeps a cloned frame: sampling and the store go on, this view reads the copy.
  const [frozen, setFrozen] = useState<StatsFrame | null>(null);
  const frame = frozen ?? live;
  return (
    <div className="overview">
      <div className="toolbar" role="toolbar" aria-label="Overview controls">
        <span className="seg" role="group" aria-label="History window">
          {WINDOW_MINUTES.map((m) => (
            <button
              key={m}
              aria-pressed={m === minutes}
              className={m === minutes ? 'on' : ''}
              onClick={() => setMinutes(m)}
            >
              {m} min
            </button>
          ))}
        </span>
        <button
          data-testid="pause"
          aria-pressed={frozen !== null}
          onClick={() =>
            // The longest window is cut on pause so the window selector still works while paused.
            setFrozen(frozen ? null : frameOf(stats.get(), MAX_WINDOW_MS, pickColumns))
          }
        >
          {frozen ? '▶ Resume' : '❚❚ Pause'}
        </button>
        {frozen?.latest && (
          <span className="paused-note" role="status">
            paused at {new Date(frozen.latest.t).toLocaleTimeString()} — sampling continues
          </span>
        )}
      </div>
      <SubscribeError what="system statistics" error={error} />
      <OverviewGrid client={client} frame={frame} windowMs={windowMs} />
    </div>
  );
}

function OverviewGrid({ client, frame, windowMs }: { client: Client; frame: StatsFrame; windowMs: number }) {
  const { history, latest } = frame;
  const windowSec = windowMs / 1000;
  const cpuData = useMemo(() => toColumns(history, cpuFields(null), windowMs), [history, windowMs]);
  const loadData = useMemo(() => toColumns(history, LOAD_FIELDS, windowMs), [history, windowMs]);
  const memData = useMemo(() => toColumns(history, MEM_FIELDS, windowMs), [history, windowMs]);
  const taskData = useMemo(() => toColumns(history, TASK_FIELDS, windowMs), [history, windowMs]);
  const ctxtData = useMemo(() => toColumns(history, CTXT_FIELDS, windowMs), [history, windowMs]);
  const cores = latest?.cpu.cores.length ?? 0;
  const mem = latest?.mem;
  const self = latest?.self;
  return (
    <div className="overview-grid">
      <HostInfo client={client} />
      <section className="card" aria-label="Total CPU">
        <h2>
          CPU total <b className="figure">{latest ? pct(latest.cpu.total.busy) : '—'}</b>
        </h2>
        <TimeChart
          label="CPU total"
          data={cpuData}
          series={CPU_TOTAL}
          windowSec={windowSec}
          yMax={100}
          yTick={(v) => `${v}%`}
          yExact={pct}
        />
      </section>
      <section className="card" aria-label="Spindle itself" data-testid="self">
        <h2>Spindle itself</h2>
        <dl className="facts">
          <dt>CPU</dt>
          <dd>{self && latest ? pct(selfCpuPct(self.processCpuMs, latest.intervalMs)) : '—'} of a core</dd>
          <dt>memory (RSS)</dt>
          <dd>{formatBytes(self?.rssBytes)}</dd>
          <dt>sampler</dt>
          <dd>
            {self ? `${self.cpuMs.toFixed(1)} ms/tick (${self.cpuSource})` : '—'} · heap{' '}
            {formatBytes(self?.heapBytes)}
          </dd>
          <dt>pid</dt>
          <dd>{self?.pid ?? '—'}</dd>
        </dl>
      </section>
      <CoreCharts history={history} latest={latest} windowMs={windowMs} />
      <section className="card" aria-label="Load average">
        <h2>
          Load{' '}
          <b className="figure">
            {latest?.load
              ? `${latest.load.one.toFixed(2)} ${latest.load.five.toFixed(2)} ${latest.load.fifteen.toFixed(2)}`
              : '—'}
          </b>
        </h2>
        <TimeChart
          label="Load average"
          data={loadData}
          series={LOAD_SERIES}
          windowSec={windowSec}
          yMax={(max) => niceMax(Math.max(max, cores) * 1.1)}
          yTick={(v) => v.toFixed(1)}
          yExact={(v) => v.toFixed(2)}
          reference={cores ? { y: cores, label: `${cores} cores` } : undefined}
        />
      </section>
      <section className="card" aria-label="Memory and swap">
        <h2>
          Memory{' '}
          <b className="figure">{mem ? `${formatBytes(mem.used)} / ${formatBytes(mem.total)}` : '—'}</b>
          {mem && mem.swapTotal > 0 && (
            <span className="sub">
              {' '}
              swap {formatBytes(mem.swapUsed)} / {formatBytes(mem.swapTotal)}
            </span>
          )}
        </h2>
        <TimeChart
          label="Memory in GiB"
          data={memData}
          series={MEM_SERIES}
          windowSec={windowSec}
          yMax={mem ? mem.total / GIB : undefined}
          yTick={(v) => `${v.toFixed(0)}G`}
          yExact={gib}
        />
      </section>
      <section className="card" aria-label="Processes and threads">
        <h2>
          Tasks{' '}
          <b className="figure">
            {formatCount(latest?.tasks.processes)} processes · {formatCount(latest?.tasks.threads)} threads
          </b>
        </h2>
        <TimeChart
          label="Tasks"
          data={taskData}
          series={TASK_SERIES}
          windowSec={windowSec}
          yTick={formatCount}
          yExact={(v) => v.toFixed(0)}
        />
      </section>
      <section className="card" aria-label="Context switches">
        <h2>
          Context switches <b className="figure">{formatCount(latest?.tasks.ctxtPerSec)}/s</b>
        </h2>
        <TimeChart
          label="Context switches"
          data={ctxtData}
          series={CTXT_SERIES}
          windowSec={windowSec}
          yTick={formatCount}
          yExact={(v) => `${v.toFixed(0)}/s`}
        />
      </section>
    </div>
  );
}
