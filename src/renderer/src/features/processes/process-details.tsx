import { useEffect, useMemo, useState } from 'react';
import type { ProcDetails, ProcRow } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { formatBytes } from '../../lib/format';
import type { ControlAction } from './control-actions';
import { DEFAULT_END_TIMEOUT_MS } from './control-actions';
import { useReadOnly } from '../../lib/read-only';
import type { ChartData } from '../../lib/chart-data';
import { sumProcs, toColumns, type FieldSpec } from '../../lib/history-rows';
import type { ProcTable } from '../stats/stats-frame';

/** Details are read again this often while the panel is open (threads, files and children change). */
const REFRESH_MS = 3000;
const SERIES: SeriesSpec[] = [
  { key: 'cpu', name: 'CPU %', color: 'var(--chart-blue)' },
  { key: 'rss', name: 'memory MiB', color: 'var(--chart-green)' },
];
const FIELDS: FieldSpec[] = [
  { key: 'cpu', series: 'proc.cpu' },
  { key: 'rss', series: 'proc.rss', scale: 1 / 1024 ** 2 },
];
/** History shown: the store's retention at most. */
const WINDOW_MS = 10 * 60_000;

interface Props {
  client: Client;
  selectedKey: string;
  /** The selected row now, or null once it has exited (the panel keeps its last readings). */
  row: ProcRow | null;
  table: ProcTable;
  onAction: (a: ControlAction, row: ProcRow) => void;
  onMenu: (row: ProcRow) => void;
  onSelect: (key: string) => void;
  onSelectPid: (pid: number) => void;
  onClose: () => void;
}

/** The selected process in full: command line, exe, cwd, threads, files, children, CPU and memory history. */
export function ProcessDetails({
  client,
  selectedKey,
  row,
  table,
  onAction,
  onMenu,
  onSelect,
  onSelectPid,
  onClose,
}: Props) {
  const [details, setDetails] = useState<ProcDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Its series from the store's history: core tracks it from the `stats.interest` below
  // (earlier too if it was among the busiest), and each tick names it, so the store records it.
  const { history, seq } = table;
  const liveData = useMemo(
    () =>
      toColumns(
        sumProcs(history.window(WINDOW_MS, { procs: [selectedKey] }), [selectedKey]),
        FIELDS,
        WINDOW_MS,
      ),
    // `history` is mutated in place: `seq` says when it has a new tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [history, seq, selectedKey],
  );
  // Once it exits (its series leave the history with its row) the panel keeps the last
  // readings; the parent keys this component by selection.
  const [last, setLast] = useState<{ row: ProcRow | null; data: ChartData }>({ row, data: liveData });
  if (row && (row !== last.row || liveData !== last.data)) setLast({ row, data: liveData });
  const shown = row ?? last.row;
  const data = row ? liveData : last.data;
  const readOnly = useReadOnly();

  useEffect(() => {
    void client.api.request('stats.interest', { keys: [selectedKey] });
    return () => void client.api.request('stats.interest', { keys: [] });
  }, [client, selectedKey]);

  useEffect(() => {
    let live = true;
    setDetails(null);
    setError(null);
    const load = async (): Promise<void> => {
      const r = await client.api.request('processes.details', { key: selectedKey });
      if (!live) return;
      if (r.ok) setDetails(r.value);
      else setError(r.error.message);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, selectedKey]);

  if (!shown) return null;
  const gone = row === null;
  return (
    <aside className="card details" aria-label={`Details of ${shown.name}`} data-testid="process-details">
      <header className="details-head">
        <h2>
          {shown.name} <span className="sub">PID {shown.pid}</span>
          {gone && <span className="gone-badge">exited</span>}
        </h2>
        <button className="icon" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </header>
      <fieldset
        className="details-actions"
        disabled={readOnly !== null}
        title={readOnly ? `Controls are off: ${readOnly}` : undefined}
      >
        <button
          className="danger"
          onClick={() => onAction({ kind: 'end', timeoutMs: DEFAULT_END_TIMEOUT_MS }, shown)}
          title="End (Delete or k)"
        >
          End
        </button>
        <button onClick={() => onAction({ kind: 'kill' }, shown)}>Kill</button>
        <button
          onClick={() =>
            onAction({ kind: 'end-tree', timeoutMs: DEFAULT_END_TIMEOUT_MS, total: null }, shown)
          }
        >
          End tree
        </button>
        <button onClick={() => onMenu(shown)} title="Signal menu (s)">
          Signal…
        </button>
        <button onClick={() => onAction({ kind: 'renice', nice: Math.min(19, shown.nice + 5) }, shown)}>
          Renice…
        </button>
      </fieldset>
      <TimeChart
        label={`${shown.name} CPU % and memory MiB`}
        data={data}
        series={SERIES}
        windowSec={Math.max(60, -(data.t[0] ?? 0))}
        yExact={(v) => v.toFixed(1)}
        height={120}
      />
      {error && <p className="outcome bad">{error}</p>}
      <dl className="facts">
        <dt>command</dt>
        <dd className="mono wrap" data-testid="details-cmd">
          {details ? details.argv.join(' ') || `[${shown.name}] (kernel thread)` : shown.cmd}
        </dd>
        <dt>executable</dt>
        <dd className="mono">{details?.exe ?? <i>not readable</i>}</dd>
        <dt>working dir</dt>
        <dd className="mono">{details?.cwd ?? <i>not readable</i>}</dd>
        <dt>user · state</dt>
        <dd>
          {shown.user ?? '?'} · {shown.state} · nice {shown.nice}
        </dd>
        <dt>started</dt>
        <dd>{new Date(shown.startTime).toLocaleString()}</dd>
        <dt>CPU · memory</dt>
        <dd>
          {shown.cpu.toFixed(1)}% · {formatBytes(shown.rss)} (virtual {formatBytes(shown.vsize)})
        </dd>
        <dt>open files</dt>
        <dd>{details?.openFiles ?? shown.fds ?? '—'}</dd>
        <dt>threads</dt>
        <dd>
          {details?.threadCount ?? shown.threads ?? '—'}
          {details && details.threads.length > 0 && (
            <span className="sub"> ({summarize(details.threads.map((t) => t.name))})</span>
          )}
        </dd>
        <dt>parent</dt>
        <dd>
          <button className="link" onClick={() => onSelectPid(shown.ppid)}>
            {shown.ppid}
          </button>
        </dd>
        <dt>children</dt>
        <dd>
          {details ? (
            details.children.length === 0 ? (
              'none'
            ) : (
              <>
                {details.children.map((c) => (
                  <button key={c.key} className="link" onClick={() => onSelect(c.key)}>
                    {c.name} {c.pid}
                  </button>
                ))}
                {details.descendants > details.children.length && (
                  <span className="sub"> · {details.descendants} descendants</span>
                )}
              </>
            )
          ) : (
            '…'
          )}
        </dd>
      </dl>
    </aside>
  );
}

/** "node ×4, libuv-worker ×4" — thread names grouped, most common first. */
function summarize(names: string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([n, c]) => (c > 1 ? `${n} ×${c}` : n))
    .join(', ');
}
