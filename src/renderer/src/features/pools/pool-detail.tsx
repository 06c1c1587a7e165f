import { useState } from 'react';
import { Controls as ControlGroup } from '../../lib/controls';
import type { HistoryWindow, PoolStats, ProcRow } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { BacklogChart, CoreLoadChart, LatencyChart } from './pool-charts';
import { fmtMs } from '../../lib/format';
import { LatencyTable } from '../../lib/latency-table';
import type { PoolsState } from './pools-store';
import { WorkerLanes } from './worker-lanes';

type Control = 'pause' | 'resume' | 'drain' | 'cancelQueued' | 'stopProducers' | 'terminate' | 'remove';

/** Resize, pause/resume, drain, cancel queued, stop producers, terminate. */
function Controls({ client, pool }: { client: Client; pool: PoolStats }) {
  const [size, setSize] = useState(String(pool.options.size));
  const [error, setError] = useState<string | null>(null);
  const done = pool.state === 'terminated';
  const call = async (m: Control): Promise<void> => {
    if (m === 'terminate' && !confirm(`Terminate ${pool.name}? Queued and running tasks are cancelled.`))
      return;
    const res = await client.api.request(`pools.${m}`, { poolId: pool.id });
    setError(res.ok ? null : res.error.message);
  };
  const resize = async (): Promise<void> => {
    const res = await client.api.request('pools.resize', { poolId: pool.id, size: Number(size) });
    setError(res.ok ? null : res.error.message);
  };
  return (
    <div className="pool-controls">
      <ControlGroup>
        <label>
          size
          <input
            type="number"
            min={1}
            max={16}
            value={size}
            onChange={(e) => setSize(e.target.value)}
            disabled={done}
          />
        </label>
        <button onClick={() => void resize()} disabled={done}>
          Resize
        </button>
        {pool.state === 'paused' || pool.state === 'draining' || pool.state === 'drained' ? (
          <button onClick={() => void call('resume')}>Resume</button>
        ) : (
          <button onClick={() => void call('pause')} disabled={done || pool.state === 'unhealthy'}>
            Pause
          </button>
        )}
        <button onClick={() => void call('drain')} disabled={done}>
          Drain
        </button>
        <button onClick={() => void call('cancelQueued')} disabled={done || pool.counts.queued === 0}>
          Cancel queued
        </button>
        <button onClick={() => void call('stopProducers')} disabled={done}>
          Stop producers
        </button>
        {done ? (
          <button onClick={() => void call('remove')}>Remove</button>
        ) : (
          <button className="danger" onClick={() => void call('terminate')}>
            Terminate
          </button>
        )}
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </ControlGroup>
    </div>
  );
}

const TILES = [
  'submitted',
  'queued',
  'active',
  'completed',
  'failed',
  'cancelled',
  'timedOut',
  'retried',
  'rejected',
] as const;

/** Everything about one pool: counts, backlog and cores, workers, latency, producers, recent tasks. */
export function PoolDetail({
  client,
  pool,
  state,
  procCpu,
  cpu,
}: {
  client: Client;
  pool: PoolStats;
  state: PoolsState;
  procCpu: (pid: number) => ProcRow | undefined;
  /** Stats history (per-core CPU) and how many cores. */
  cpu: { win: HistoryWindow | null; cores: number };
}) {
  const history = state.history[pool.id];
  const o = pool.options;
  return (
    <div className="pool-detail" data-testid="pool-detail" data-pool={pool.id}>
      <header className="card pool-head">
        <div>
          <h2>
            {pool.name} <span className={`pool-state pool-state-${pool.state}`}>{pool.state}</span>
          </h2>
          <p className="muted">
            {o.kind} × {o.size} · queue ≤ {o.maxQueue} (
            {o.fullPolicy === 'wait' ? 'producer waits' : 'rejects'})
            {o.taskTimeoutMs ? ` · timeout ${fmtMs(o.taskTimeoutMs)}` : ''}
            {o.idleTimeoutMs ? ` · idle ${fmtMs(o.idleTimeoutMs)}` : ''}
            {o.retries ? ` · ${o.retries} retries` : ''}
            {o.module ? ` · ${o.module}` : ''}
          </p>
          {pool.note && <p className={pool.state === 'unhealthy' ? 'error' : 'muted'}>{pool.note}</p>}
        </div>
        <Controls key={pool.id} client={client} pool={pool} />
      </header>
      <div className="tiles">
        {TILES.map((k) => (
          <div key={k} className={`tile tile-${k}`} data-testid={`count-${k}`} data-value={pool.counts[k]}>
            <span>{k === 'timedOut' ? 'timed out' : k}</span>
            <b>{pool.counts[k]}</b>
          </div>
        ))}
        <div className="tile">
          <span>throughput</span>
          <b>{pool.throughput}/s</b>
        </div>
        <div className="tile">
          <span>utilization</span>
          <b>{Math.round(pool.utilization * 100)}%</b>
        </div>
      </div>
      <div className="pool-charts">
        {history && <BacklogChart history={history} />}
        <CoreLoadChart win={cpu.win} cores={cpu.cores} history={history} />
      </div>
      <WorkerLanes pool={pool} lanes={state.lanes[pool.id] ?? {}} procCpu={procCpu} />
      <div className="pool-charts">
        <section className="card" aria-label="Latency">
          <h2>Latency · table since the pool started, chart p95 per second</h2>
          <LatencyTable wait={pool.wait} run={pool.run} countLabel="n" data-testid="latency" />
          {history && <LatencyChart history={history} />}
        </section>
        <section className="card" aria-label="Producers and recent tasks">
          <h2>Producers</h2>
          <table className="plain">
            <tbody>
              {pool.producers.map((p) => (
                <tr key={p.id}>
                  <td>#{p.id}</td>
                  <td>{p.rate ? `${p.rate}/s` : 'batch'}</td>
                  <td>
                    {p.submitted}/{p.total}
                  </td>
                  <td className={p.state === 'waiting' ? 'warn' : ''}>{p.state}</td>
                  <td className={p.rejected ? 'error' : ''} title={p.note ?? undefined}>
                    {p.rejected ? `${p.rejected} refused (EQUEUE_FULL)` : ''}
                  </td>
                  <td>{p.waitedMs ? `waited ${fmtMs(p.waitedMs)}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 className="recent-head">Recent tasks</h2>
          <ul className="recent">
            {pool.recent
              .slice()
              .reverse()
              .map((r) => (
                <li key={r.id} className={r.ok ? '' : 'error'}>
                  <span className="muted">
                    task #{r.id} · item {r.item}
                  </span>{' '}
                  {r.ok ? '✓' : '✗'} {r.text} <span className="muted">· ran {fmtMs(r.runMs)}</span>
                </li>
              ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
