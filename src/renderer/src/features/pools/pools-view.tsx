import { useMemo, useState, useSyncExternalStore } from 'react';
import { Controls } from '../../lib/controls';
import type { ProcRow } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { coreBusySeries } from '../../lib/history-rows';
import { SubscribeError } from '../../lib/subscribe-error';
import { useStores } from '../../stores';
import { LabPanel } from './lab-panel';
import { PipelinePanel } from './pipeline-panel';
import { PoolDetail } from './pool-detail';
import { CreatePoolForm, SubmitForm } from './pool-forms';
import './pools.css';

/** The Pools view: create pools, submit work, watch backlog, workers and cores; pipelines; the lab. */
export function PoolsView({ client }: { client: Client }) {
  const { pools: store, stats } = useStores();
  const state = useSyncExternalStore(store.subscribe, store.get);
  const statsState = useSyncExternalStore(stats.subscribe, stats.get);
  const [picked, setPicked] = useState<string | null>(null);
  const pool =
    state.pools.find((p) => p.id === picked) ??
    state.pools.findLast((p) => p.state !== 'terminated') ??
    state.pools.at(-1);
  // Worker processes are rows of the process table: show their CPU beside the lanes.
  const procCpu = useMemo(() => {
    const byPid = new Map<number, ProcRow>();
    for (const r of statsState.procs?.values() ?? []) byPid.set(r.pid, r);
    return (pid: number) => byPid.get(pid);
  }, [statsState.procs]);
  // Per-core busy % over the charts' window: only those columns of the stats history (at 64
  // cores the whole history is ~700 columns), once per stats tick.
  const cpu = useMemo(() => {
    const cores = statsState.latest?.cpu.cores.length ?? state.cores;
    return { win: statsState.history.window(120_000, { series: coreBusySeries(cores) }), cores };
  }, [statsState, state.cores]);

  return (
    <div className="pools-view" data-testid="pools-view" data-ready={state.ready}>
      <div className="pools-side">
        <Controls>
          <CreatePoolForm client={client} onCreated={setPicked} />
          {pool && pool.state !== 'terminated' && <SubmitForm key={pool.id} client={client} pool={pool} />}
        </Controls>
      </div>
      <div className="pools-main">
        <SubscribeError what="pools" error={state.error} />
        <nav className="pool-list" aria-label="Pools">
          {state.pools.length === 0 && !state.error && (
            <p className="muted">No pools yet: create one on the left.</p>
          )}
          {state.pools.map((p) => (
            <button
              key={p.id}
              className={`pool-chip ${p.id === pool?.id ? 'active' : ''}`}
              aria-pressed={p.id === pool?.id}
              onClick={() => setPicked(p.id)}
              data-testid="pool-chip"
            >
              <b>{p.name}</b>
              <span className={`pool-state pool-state-${p.state}`}>{p.state}</span>
              <span className="muted">
                {p.counts.queued} q · {p.counts.active} a · {p.counts.completed} ✓
                {p.counts.failed ? ` · ${p.counts.failed} ✗` : ''}
              </span>
            </button>
          ))}
        </nav>
        {pool && <PoolDetail client={client} pool={pool} state={state} procCpu={procCpu} cpu={cpu} />}
        <PipelinePanel client={client} pipelines={state.pipelines} />
        <LabPanel client={client} lab={state.lab} cores={state.cores} />
      </div>
    </div>
  );
}
