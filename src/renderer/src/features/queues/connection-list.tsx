import { useState } from 'react';
import type { QueueConnection, QueueStats } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { Controls } from '../../lib/controls';
import { ErrorLine, type CodedError } from './error-line';
import { backlog } from './queue-data';

/** What a connection's state reads as, with the reason when it is not up. */
function stateText(c: QueueConnection): string {
  if (c.state === 'reconnecting')
    return c.retryInMs !== null
      ? `reconnecting in ${Math.ceil(c.retryInMs / 1000)} s (attempt ${c.attempt})`
      : `reconnecting (attempt ${c.attempt})`;
  return c.state;
}

/** Each connection with its pushed state and the queues found on it; a queue button opens it. */
export function ConnectionList({
  client,
  connections,
  queues,
  picked,
  onPick,
}: {
  client: Client;
  connections: QueueConnection[];
  queues: QueueStats[];
  picked: string | null;
  onPick: (key: string) => void;
}) {
  const [error, setError] = useState<CodedError | null>(null);
  const disconnect = async (c: QueueConnection): Promise<void> => {
    const res = await client.api.request('queues.disconnect', { connectionId: c.id, forget: true });
    setError(res.ok ? null : res.error);
  };
  return (
    <section className="card" aria-label="Connections">
      <h2>Connections</h2>
      <ErrorLine error={error} />
      {connections.map((c) => {
        const mine = queues.filter((q) => q.connectionId === c.id);
        return (
          <div
            key={c.id}
            className={`queue-conn conn-${c.state}`}
            data-testid="queue-connection"
            data-state={c.state}
            data-id={c.id}
          >
            <div className="queue-conn-head">
              <b title={c.url}>{c.name}</b>
              <span className={`badge badge-${c.state}`} role="status">
                {stateText(c)}
              </span>
            </div>
            <p className="muted small">
              {c.url}
              {c.db ? ` · db ${c.db}` : ''} · prefix {c.prefix}
              {c.redisVersion ? ` · Redis ${c.redisVersion}` : ''}
              {c.managedId ? ' · local (managed)' : ''}
            </p>
            {c.error && c.state !== 'up' && (
              <p className="error small" data-testid="connection-error" data-code={c.error.code}>
                <code>{c.error.code}</code> {c.error.message}
              </p>
            )}
            <ul className="queue-names" aria-label={`Queues on ${c.name}`}>
              {c.state === 'up' && mine.length === 0 && <li className="muted small">no queues yet</li>}
              {mine.map((q) => (
                <li key={q.key}>
                  <button
                    className={`queue-chip ${q.key === picked ? 'active' : ''}`}
                    aria-pressed={q.key === picked}
                    onClick={() => onPick(q.key)}
                    data-testid="queue-chip"
                    data-queue={q.name}
                  >
                    <b>{q.name}</b>
                    {q.paused && <span className="badge badge-paused">paused</span>}
                    <span className="muted">
                      {backlog(q)} to do · {q.counts.completed} ✓
                      {q.counts.failed ? ` · ${q.counts.failed} ✗` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {c.omitted > 0 && <p className="muted small">{c.omitted} more queues not watched (limit)</p>}
            <Controls>
              <button className="small" onClick={() => void disconnect(c)}>
                Disconnect
              </button>
            </Controls>
          </div>
        );
      })}
    </section>
  );
}
