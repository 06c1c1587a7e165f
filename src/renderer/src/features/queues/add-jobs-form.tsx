import { useEffect, useState, type FormEvent } from 'react';
import {
  QUEUE_LIMITS,
  QUEUE_WORKLOADS,
  type QueueConnection,
  type QueueProducer,
  type QueueWorkload,
} from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { Controls } from '../../lib/controls';
import { ErrorLine, type CodedError } from './error-line';
import { parsePayload } from './queue-data';

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

/**
 * Add jobs to a queue: a batch of K at once, or a steady R per second; the job's name is a
 * built-in workload (what Spindle's workers run), with an optional JSON payload up to
 * QUEUE_LIMITS.payloadBytes (checked here first, and by the server regardless).
 */
export function AddJobsForm({
  client,
  connections,
  queueNames,
  initial,
  producers,
}: {
  client: Client;
  connections: QueueConnection[];
  /** Known queue names, offered as suggestions (any new name creates a queue). */
  queueNames: string[];
  /** The queue picked in the view, if any. */
  initial: { connectionId: string; queue: string } | null;
  producers: QueueProducer[];
}) {
  const [connectionId, setConnectionId] = useState(initial?.connectionId ?? connections[0]?.id ?? '');
  const [queueName, setQueueName] = useState(initial?.queue ?? 'jobs');
  // Picking another queue in the view retargets the form (the last outcome stays shown).
  const pickedConn = initial?.connectionId;
  const pickedQueue = initial?.queue;
  useEffect(() => {
    if (pickedConn === undefined || pickedQueue === undefined) return;
    setConnectionId(pickedConn);
    setQueueName(pickedQueue);
  }, [pickedConn, pickedQueue]);
  const [workload, setWorkload] = useState<QueueWorkload>('sleep');
  const [ms, setMs] = useState('50');
  const [count, setCount] = useState('200');
  const [rate, setRate] = useState('');
  const [attempts, setAttempts] = useState('');
  const [payload, setPayload] = useState('');
  const [error, setError] = useState<CodedError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // The picked queue's connection may be down (not offered): then the first one that is up.
  const target = connections.some((c) => c.id === connectionId) ? connectionId : (connections[0]?.id ?? '');
  const on = { connectionId: target, queue: queueName.trim() };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = parsePayload(payload);
    if (!p.ok) return setError(p.error);
    const res = await client.api.request('queues.add', {
      ...on,
      workload,
      ms: workload === 'sleep' ? Number(ms) : undefined,
      payload: p.value,
      count: Number(count),
      rate: num(rate),
      attempts: num(attempts),
    });
    if (!res.ok) {
      setNote(null);
      return setError(res.error);
    }
    setError(null);
    setNote(res.value.producer ? `adding ${res.value.producer.rate}/s` : `${res.value.added} added`);
  };
  const mine = producers.filter(
    (p) => p.connectionId === on.connectionId && p.queue === on.queue && p.state === 'running',
  );

  return (
    <form className="card queue-form" aria-label="Add jobs" onSubmit={(e) => void submit(e)}>
      <h2>Add jobs</h2>
      <Controls>
        <div className="queue-form-grid">
          {connections.length > 1 && (
            <label className="wide">
              Connection
              <select name="connection" value={target} onChange={(e) => setConnectionId(e.target.value)}>
                {connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="wide">
            Queue
            <input
              name="queue"
              list="queue-names"
              required
              maxLength={256}
              value={queueName}
              onChange={(e) => setQueueName(e.target.value)}
            />
            <datalist id="queue-names">
              {queueNames.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </label>
          <label>
            Workload
            <select
              name="workload"
              value={workload}
              onChange={(e) => setWorkload(e.target.value as QueueWorkload)}
            >
              {QUEUE_WORKLOADS.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </label>
          {workload === 'sleep' && (
            <label>
              ms per job
              <input
                name="ms"
                type="number"
                min={0}
                max={QUEUE_LIMITS.workloadMs.max}
                value={ms}
                onChange={(e) => setMs(e.target.value)}
              />
            </label>
          )}
          <label>
            Jobs (K)
            <input
              name="count"
              type="number"
              min={1}
              max={QUEUE_LIMITS.batch.max}
              value={count}
              onChange={(e) => setCount(e.target.value)}
            />
          </label>
          <label>
            Rate /s
            <input
              name="rate"
              type="number"
              min={0}
              max={QUEUE_LIMITS.rate.max}
              placeholder="all at once"
              value={rate}
              onChange={(e) => setRate(e.target.value)}
            />
          </label>
          <label>
            Attempts
            <input
              name="attempts"
              type="number"
              min={1}
              max={100}
              placeholder="1"
              value={attempts}
              onChange={(e) => setAttempts(e.target.value)}
            />
          </label>
          <label className="wide">
            JSON payload (optional, ≤ {QUEUE_LIMITS.payloadBytes / 1024} KiB)
            <textarea
              name="payload"
              rows={2}
              spellCheck={false}
              placeholder='{"item": 3}'
              value={payload}
              onChange={(e) => setPayload(e.target.value)}
            />
          </label>
          <button type="submit" className="primary">
            Add
          </button>
          {mine.map((p) => (
            <p key={p.id} className="muted small wide">
              producer {p.id}: {p.added}/{p.total} at {p.rate}/s
            </p>
          ))}
          {mine.length > 0 && (
            <button type="button" onClick={() => void client.api.request('queues.stopAdding', on)}>
              Stop adding
            </button>
          )}
        </div>
      </Controls>
      {note && !error && (
        <p className="muted small" role="status">
          {note}
        </p>
      )}
      <ErrorLine error={error} />
    </form>
  );
}
