/**
 * "Add local worker": a `spindle worker` for a queue of a connection the Queues view has, run
 * here as a managed process. Core writes the connection's password to a 0600 file for it; the
 * window only names the connection.
 */
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { QUEUE_WORKLOADS, type QueueWorkload } from '../../../../shared/contract/queues';
import type { Client } from '../../api/client';
import { useReadOnly } from '../../lib/read-only';
import { useStores } from '../../stores';

export function AddWorker({ client, onLaunched }: { client: Client; onLaunched: (id: string) => void }) {
  const { queues } = useStores();
  const state = useSyncExternalStore(queues.subscribe, queues.get);
  const readOnly = useReadOnly();
  const up = state.connections.filter((c) => c.state === 'up');
  const [connectionId, setConnectionId] = useState('');
  const [queue, setQueue] = useState('');
  const [concurrency, setConcurrency] = useState(4);
  const [workload, setWorkload] = useState<'' | QueueWorkload>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const conn = up.find((c) => c.id === connectionId) ?? up[0];
  const known = state.queues.filter((q) => q.connectionId === conn?.id).map((q) => q.name);
  if (up.length === 0) {
    return (
      <section className="card sup-add-worker" aria-label="Add local worker">
        <h2>Add local worker</h2>
        <p className="muted">
          Connect to a Redis in the Queues view first; workers take jobs from its queues.
        </p>
      </section>
    );
  }
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!conn) return;
    setBusy(true);
    const res = await client.api.request('queues.launchWorker', {
      connectionId: conn.id,
      queue,
      concurrency,
      ...(workload ? { workload } : {}),
    });
    setBusy(false);
    if (!res.ok) return setError(`${res.error.code}: ${res.error.message}`);
    setError(null);
    onLaunched(res.value.id);
  };
  return (
    <form className="card sup-add-worker" aria-label="Add local worker" onSubmit={(e) => void submit(e)}>
      <h2>Add local worker</h2>
      <label>
        Connection
        <select value={conn?.id ?? ''} onChange={(e) => setConnectionId(e.target.value)}>
          {up.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Queue
        <input
          value={queue}
          onChange={(e) => setQueue(e.target.value)}
          list="sup-add-worker-queues"
          required
          maxLength={200}
        />
        <datalist id="sup-add-worker-queues">
          {known.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </label>
      <label>
        Concurrency
        <input
          type="number"
          min={1}
          max={64}
          value={concurrency}
          onChange={(e) => setConcurrency(Math.max(1, Math.min(64, Number(e.target.value) || 1)))}
        />
      </label>
      <label>
        Workload
        <select value={workload} onChange={(e) => setWorkload(e.target.value as '' | QueueWorkload)}>
          <option value="">by job name</option>
          {QUEUE_WORKLOADS.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy || readOnly !== null || !queue} title={readOnly ?? undefined}>
        Add local worker
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
