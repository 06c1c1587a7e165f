import { useState } from 'react';
import { Controls } from '../../lib/controls';
import type { PipelineStats, PoolKind } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { fmtMs } from '../../lib/format';

interface StageForm {
  name: string;
  kind: PoolKind;
  size: number;
  maxQueue: number;
  ms: number;
}

/** download → resize → upload: resize is the slow stage, so its queue fills and download stalls. */
const PRESET: StageForm[] = [
  { name: 'download', kind: 'threads', size: 2, maxQueue: 10, ms: 20 },
  { name: 'resize', kind: 'processes', size: 1, maxQueue: 5, ms: 60 },
  { name: 'upload', kind: 'threads', size: 2, maxQueue: 10, ms: 10 },
];

/** Build a pipeline of pools and watch where the backlog builds and who stalls. */
export function PipelinePanel({ client, pipelines }: { client: Client; pipelines: PipelineStats[] }) {
  const [stages, setStages] = useState(PRESET);
  const [count, setCount] = useState('100');
  const [error, setError] = useState<string | null>(null);
  const edit = (i: number, patch: Partial<StageForm>): void =>
    setStages((s) => s.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  const start = async (): Promise<void> => {
    const res = await client.api.request('pools.pipeline', {
      count: Number(count),
      stages: stages.map((s) => ({
        name: s.name,
        kind: s.kind,
        size: s.size,
        maxQueue: s.maxQueue,
        workload: { kind: 'sleep' as const, ms: s.ms },
      })),
    });
    setError(res.ok ? null : res.error.message);
  };
  const running = pipelines.filter((p) => p.state === 'running');
  return (
    <section className="card" aria-label="Pipeline">
      <h2>Pipeline of stages · each stage a pool, bounded queues between</h2>
      <div className="stage-forms">
        <Controls>
          {stages.map((s, i) => (
            <fieldset key={i} className="stage-form">
              <legend>{s.name}</legend>
              <select
                aria-label={`${s.name} kind`}
                value={s.kind}
                onChange={(e) => edit(i, { kind: e.target.value as PoolKind })}
              >
                <option value="threads">threads</option>
                <option value="processes">processes</option>
              </select>
              <label>
                workers{' '}
                <input
                  type="number"
                  min={1}
                  max={16}
                  value={s.size}
                  onChange={(e) => edit(i, { size: Number(e.target.value) })}
                />
              </label>
              <label>
                queue ≤{' '}
                <input
                  type="number"
                  min={1}
                  value={s.maxQueue}
                  onChange={(e) => edit(i, { maxQueue: Number(e.target.value) })}
                />
              </label>
              <label>
                ms/item{' '}
                <input
                  type="number"
                  min={0}
                  value={s.ms}
                  onChange={(e) => edit(i, { ms: Number(e.target.value) })}
                />
              </label>
            </fieldset>
          ))}
          <div className="stage-go">
            <Controls>
              <label>
                items <input type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} />
              </label>
              <button className="primary" onClick={() => void start()}>
                Run pipeline
              </button>
              {running.map((p) => (
                <button
                  key={p.id}
                  onClick={() => void client.api.request('pools.pipelineStop', { id: p.id })}
                >
                  Stop {p.id}
                </button>
              ))}
              {error && <p className="error">{error}</p>}
            </Controls>
          </div>
        </Controls>
      </div>
      {pipelines
        .slice()
        .reverse()
        .map((p) => (
          <div key={p.id} className="pipeline" data-testid="pipeline" data-state={p.state}>
            <p className="muted">
              {p.id} · {p.state} · {p.done}/{p.items} done{p.failed ? `, ${p.failed} failed` : ''} ·{' '}
              {fmtMs(p.elapsedMs)}
            </p>
            <div className="stages">
              {p.stages.map((s, i) => (
                <div key={s.poolId} className="stage-wrap">
                  {i > 0 && (
                    <div className="queue-bar" title={`${s.queued} of ${s.maxQueue} queued`}>
                      <div
                        className="queue-fill"
                        style={{ width: `${Math.min(100, (100 * s.queued) / s.maxQueue)}%` }}
                      />
                      <span>
                        {s.queued}/{s.maxQueue}
                      </span>
                    </div>
                  )}
                  <div className={`stage ${s.stalled ? 'stalled' : ''}`}>
                    <b>{s.name}</b>
                    <span>{s.active} active</span>
                    <span>{s.completed} done</span>
                    <span className={s.stalled ? 'warn' : 'muted'}>
                      {s.stalled
                        ? 'stalled: next queue full'
                        : s.stalledMs
                          ? `stalled ${fmtMs(s.stalledMs)} total`
                          : 'flowing'}
                    </span>
                  </div>
                </div>
              ))}
            </div>
          </div>
        ))}
    </section>
  );
}
