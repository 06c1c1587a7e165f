import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../../shared/contract';
import type { Client } from '../../api/client';

/** Entries shown; core keeps more (bounded too). */
const SHOWN = 200;

/** The audit log of control actions, newest first, live. */
export function AuditPanel({ client }: { client: Client }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  useEffect(() => {
    const off = client.api.on('audit', (e) =>
      setEntries((prev) => [e, ...prev.filter((p) => p.seq !== e.seq)].slice(0, SHOWN)),
    );
    const load = async (): Promise<void> => {
      const r = await client.api.request('audit.list', { subscribe: true });
      if (r.ok) setEntries(r.value.slice(-SHOWN).reverse());
    };
    void load();
    const offReconnect = client.onReconnect(() => void load());
    return () => {
      off();
      offReconnect();
    };
  }, [client]);
  return (
    <section className="card audit" aria-label="Audit log" data-testid="audit-log">
      <h2>Audit log</h2>
      {entries.length === 0 ? (
        <p className="sub">No control actions yet.</p>
      ) : (
        <ol>
          {entries.map((e) => (
            <li key={e.seq} className={e.outcome === 'ok' ? 'ok' : 'bad'}>
              <time dateTime={new Date(e.t).toISOString()}>{new Date(e.t).toLocaleTimeString()}</time>{' '}
              <b>{e.action}</b> {e.target.name || e.target.id || '?'}
              {e.target.pid !== undefined && <span className="sub"> ({e.target.pid})</span>} →{' '}
              <span className="outcome-code">{e.outcome}</span> <span className="sub">{e.detail}</span>{' '}
              <span className="client">{e.client}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
