import { useState, type FormEvent } from 'react';
import type { PoolKind, PoolStats, ProducerInfo, WorkloadSpec } from '../../../../shared/contract';
import type { Result } from '../../../../shared/result';
import type { Client } from '../../api/client';
import { splitArgv } from './pool-data';

/** Workloads offered in the submit form; `ms` applies to the timed ones. */
const WORKLOADS = ['sleep', 'spin', 'gcd', 'mixed', 'noop', 'throw', 'crash', 'module', 'command'] as const;
type WorkloadKind = (typeof WORKLOADS)[number];
const TIMED = new Set<WorkloadKind>(['sleep', 'spin', 'mixed']);

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

/** Create a pool: kind, size, queue bound and what happens when it is full, timeouts, retries. */
export function CreatePoolForm({ client, onCreated }: { client: Client; onCreated: (id: string) => void }) {
  const [kind, setKind] = useState<PoolKind>('threads');
  const [size, setSize] = useState('2');
  const [maxQueue, setMaxQueue] = useState('1000');
  const [fullPolicy, setFullPolicy] = useState<'wait' | 'reject'>('wait');
  const [timeout, setTimeoutMs] = useState('');
  const [idle, setIdle] = useState('');
  const [retries, setRetries] = useState('0');
  const [module, setModule] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const res = await client.api.request('pools.create', {
      kind,
      size: Number(size),
      maxQueue: Number(maxQueue),
      fullPolicy,
      taskTimeoutMs: num(timeout),
      idleTimeoutMs: num(idle),
      retries: Number(retries),
      module: module.trim() || undefined,
    });
    if (!res.ok) return setError(res.error.message);
    setError(null);
    onCreated(res.value.id);
  };

  return (
    <form className="card pool-form" onSubmit={(e) => void submit(e)} aria-label="New pool">
      <h2>New pool</h2>
      <label>
        Kind
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as PoolKind)}>
          <option value="threads">threads</option>
          <option value="processes">processes</option>
        </select>
      </label>
      <label>
        Workers
        <input
          name="size"
          type="number"
          min={1}
          max={16}
          value={size}
          onChange={(e) => setSize(e.target.value)}
        />
      </label>
      <label>
        Max queue
        <input
          name="maxQueue"
          type="number"
          min={1}
          value={maxQueue}
          onChange={(e) => setMaxQueue(e.target.value)}
        />
      </label>
      <label>
        When full
        <select
          name="fullPolicy"
          value={fullPolicy}
          onChange={(e) => setFullPolicy(e.target.value as 'wait' | 'reject')}
        >
          <option value="wait">producer waits</option>
          <option value="reject">reject (EQUEUE_FULL)</option>
        </select>
      </label>
      <label>
        Task timeout ms
        <input
          name="taskTimeoutMs"
          type="number"
          min={10}
          placeholder="none"
          value={timeout}
          onChange={(e) => setTimeoutMs(e.target.value)}
        />
      </label>
      <label>
        Idle timeout ms
        <input
          name="idleTimeoutMs"
          type="number"
          min={100}
          placeholder="none"
          value={idle}
          onChange={(e) => setIdle(e.target.value)}
        />
      </label>
      <label>
        Retries on crash
        <input
          name="retries"
          type="number"
          min={0}
          max={5}
          value={retries}
          onChange={(e) => setRetries(e.target.value)}
        />
      </label>
      <label className="wide">
        JS module (optional)
        <input
          name="module"
          placeholder="/abs/path/fn.mjs exporting default"
          value={module}
          onChange={(e) => setModule(e.target.value)}
        />
      </label>
      <button type="submit" className="primary">
        Create pool
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** What the submitter is told: refusals by a full queue are errors, with the queue's state. */
function submitMessage(res: Result<ProducerInfo>): { ok: boolean; text: string } {
  if (!res.ok) return { ok: false, text: `${res.error.code}: ${res.error.message}` };
  const p = res.value;
  if (p.rejected)
    return { ok: false, text: `${p.submitted} accepted, ${p.rejected} refused (${p.note ?? 'queue full'})` };
  if (p.rate === null && p.state === 'done') return { ok: true, text: `${p.submitted} accepted` };
  return { ok: true, text: `producer #${p.id} started` };
}

/** Submit work to a pool: a batch of K, or a steady producer at R per second. */
export function SubmitForm({ client, pool }: { client: Client; pool: PoolStats }) {
  const [kind, setKind] = useState<WorkloadKind>('sleep');
  const [ms, setMs] = useState('50');
  const [count, setCount] = useState('200');
  const [rate, setRate] = useState('');
  const [command, setCommand] = useState('echo {}');
  const [items, setItems] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const spec = (): WorkloadSpec => {
    if (TIMED.has(kind)) return { kind: kind as 'sleep', ms: Number(ms) };
    if (kind === 'command') return { kind, argv: splitArgv(command) };
    if (kind === 'crash') return { kind, code: 70 };
    return { kind } as WorkloadSpec;
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const list = items
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const res = await client.api.request('pools.submit', {
      poolId: pool.id,
      workload: spec(),
      count: Number(count),
      rate: num(rate),
      items: list.length ? list : undefined,
    });
    setMsg(submitMessage(res));
  };

  return (
    <form className="card pool-form" onSubmit={(e) => void submit(e)} aria-label="Submit work">
      <h2>Submit work · {pool.name}</h2>
      <label>
        Workload
        <select name="workload" value={kind} onChange={(e) => setKind(e.target.value as WorkloadKind)}>
          {WORKLOADS.map((w) => (
            <option key={w} value={w} disabled={w === 'command' && pool.options.kind !== 'processes'}>
              {w}
            </option>
          ))}
        </select>
      </label>
      {TIMED.has(kind) && (
        <label>
          ms per task
          <input name="ms" type="number" min={0} value={ms} onChange={(e) => setMs(e.target.value)} />
        </label>
      )}
      <label>
        Items (K)
        <input name="count" type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} />
      </label>
      <label>
        Rate /s
        <input
          name="rate"
          type="number"
          min={0}
          placeholder="all at once"
          value={rate}
          onChange={(e) => setRate(e.target.value)}
        />
      </label>
      {kind === 'command' && (
        <label className="wide">
          Command ({'{}'} = item)
          <input name="command" value={command} onChange={(e) => setCommand(e.target.value)} />
        </label>
      )}
      {(kind === 'command' || kind === 'module') && (
        <label className="wide">
          Items, comma-separated (default 0..K-1)
          <input name="items" value={items} onChange={(e) => setItems(e.target.value)} />
        </label>
      )}
      <button type="submit" className="primary">
        Submit
      </button>
      {msg && (
        <p className={msg.ok ? 'muted' : 'error'} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </p>
      )}
    </form>
  );
}
