import { useState } from 'react';
import { Controls } from '../../lib/controls';
import { showProcess } from '../../lib/navigate';
import type { ManagedStatus, OutputLine } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { ManagedChart } from './managed-chart';
import { commandText } from './managed-list';
import { OutputViewer } from './output-viewer';
import { failedStartsText } from './failed-starts';
import { stateText } from './supervisor-store';

const clock = (t: number): string => new Date(t).toLocaleTimeString([], { hour12: false });
const exitText = (e: { code: number | null; signal: string | null } | null): string =>
  e ? (e.signal ? `signal ${e.signal}` : `code ${e.code}`) : 'running';

/** One managed process: controls, state, stages, timeline, chart and output. */
export function ManagedDetail({
  client,
  m,
  live,
  dropped,
  onEdit,
}: {
  client: Client;
  m: ManagedStatus;
  live: OutputLine[];
  dropped: number;
  onEdit?: () => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (what: 'start' | 'stop' | 'restart' | 'remove'): Promise<void> => {
    if (what === 'remove' && !confirm(`Stop and forget “${m.definition.name}”?`)) return;
    setBusy(what);
    const res = await client.api.request(`supervisor.${what}`, { id: m.id });
    setBusy(null);
    setError(res.ok ? null : `${res.error.code}: ${res.error.message}`);
  };
  const live_ = m.state === 'running' || m.state === 'starting' || m.state === 'backoff';
  return (
    <section
      className="card sup-detail"
      aria-label={`Managed process ${m.definition.name}`}
      data-testid="sup-detail"
    >
      <header className="sup-detail-head">
        <h2>{m.definition.name}</h2>
        <span className={`sup-state sup-state-${m.state}`} data-testid="sup-detail-state">
          {stateText(m)}
        </span>
        <span className="muted">since {clock(m.since)}</span>
        <span className="sup-actions">
          <Controls>
            <button disabled={!!busy || live_ || m.state === 'stopping'} onClick={() => void act('start')}>
              Start
            </button>
            <button disabled={!!busy || m.state === 'stopping'} onClick={() => void act('restart')}>
              Restart
            </button>
            <button
              disabled={!!busy || !live_}
              onClick={() => void act('stop')}
              data-testid="sup-stop"
              className="danger"
            >
              {busy === 'stop' || m.state === 'stopping' ? 'Stopping…' : 'Stop'}
            </button>
            <button
              disabled={!!busy || m.state === 'stopping'}
              onClick={onEdit}
              data-testid="sup-edit"
              title="Change the command, directory, environment or restart policy"
            >
              Edit
            </button>
            <button disabled={!!busy} onClick={() => void act('remove')}>
              Remove
            </button>
          </Controls>
        </span>
      </header>
      {error && <div className="sup-bad">{error}</div>}
      {m.error && (
        <div className="sup-bad" data-testid="sup-error">
          {m.error.code}: {m.error.message}
        </div>
      )}
      <dl className="sup-facts">
        <dt>Command</dt>
        <dd>
          <code>{commandText(m)}</code>
          {m.definition.shell && <span className="sup-warn-inline"> shell</span>}
        </dd>
        {m.stages.some((s) => s.pid !== null && s.exit === null) && (
          <>
            <dt>PID</dt>
            <dd>
              {m.stages
                .filter((s) => s.pid !== null && s.exit === null)
                .map((s) => (
                  <button
                    key={s.pid}
                    className="link"
                    data-testid="sup-pid"
                    title="Show in the process table"
                    onClick={() => showProcess(s.pid!)}
                  >
                    {s.pid}
                  </button>
                ))}
            </dd>
          </>
        )}
        <dt>Last exit</dt>
        <dd data-testid="sup-last-exit">
          {m.lastExit ? `${exitText(m.lastExit)} at ${clock(m.lastExit.at)}` : '–'}
        </dd>
        <dt>Restarts</dt>
        <dd data-testid="sup-restarts">
          {m.restarts} · policy {m.definition.restart}
          {failedStartsText(m) && ` · ${failedStartsText(m)}`}
        </dd>
        {m.stages.length > 1 && (
          <>
            <dt>Stages</dt>
            <dd>
              {m.stages.map((s, i) => (
                <span key={i} className="sup-stage-fact">
                  {i + 1}: pid {s.pid ?? '–'}, {exitText(s.exit)}
                  {i < m.stages.length - 1 ? `, ${s.bytesOut.toLocaleString()} B →` : ''}
                </span>
              ))}
            </dd>
          </>
        )}
        {m.survivors.length > 0 && (
          <>
            <dt>Survivors</dt>
            <dd className="sup-bad">{m.survivors.map((x) => `${x.name} (${x.pid})`).join(', ')}</dd>
          </>
        )}
      </dl>
      <ManagedChart procKeys={m.procKeys} />
      <OutputViewer client={client} id={m.id} live={live} dropped={dropped} />
      <details className="sup-timeline">
        <summary>Timeline ({m.timeline.length})</summary>
        <ol>
          {m.timeline
            .slice(-50)
            .reverse()
            .map((e, i) => (
              <li key={i} className={`sup-tl-${e.kind}`}>
                <time>{clock(e.t)}</time> <b>{e.kind}</b> {e.text}
              </li>
            ))}
        </ol>
      </details>
    </section>
  );
}
