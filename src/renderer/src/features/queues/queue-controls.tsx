import { useState } from 'react';
import type { QueueStats } from '../../../../shared/contract';
import type { Result } from '../../../../shared/result';
import type { Client } from '../../api/client';
import { Controls } from '../../lib/controls';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorLine, type CodedError } from './error-line';

type Ask = { kind: 'drain' } | { kind: 'obliterate' } | { kind: 'clean'; state: 'completed' | 'failed' };

/**
 * The queue's controls: pause/resume, retry all failed, promote all delayed, clean finished
 * jobs older than T, drain, obliterate (typed confirmation). Every one is a control request:
 * audited, refused by a read-only server, and disabled here while read-only.
 */
export function QueueControls({ client, queue }: { client: Client; queue: QueueStats }) {
  const [error, setError] = useState<CodedError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [ask, setAsk] = useState<Ask | null>(null);
  const [olderSec, setOlderSec] = useState('3600');
  const on = { connectionId: queue.connectionId, queue: queue.name };
  const done = (res: Result<unknown>, what: string): void => {
    if (!res.ok) {
      setError(res.error);
      setNote(null);
      return;
    }
    setError(null);
    setNote(typeof res.value === 'number' ? `${what}: ${res.value}` : what);
  };
  const run = async (a: Ask): Promise<void> => {
    setAsk(null);
    if (a.kind === 'drain')
      done(await client.api.request('queues.drain', { ...on, delayed: false }), 'drained');
    else if (a.kind === 'obliterate')
      done(
        await client.api.request('queues.obliterate', { ...on, confirm: queue.name, force: true }),
        'obliterated',
      );
    else
      done(
        await client.api.request('queues.clean', {
          ...on,
          state: a.state,
          olderThanMs: Math.max(0, Math.round(Number(olderSec) * 1000)) || 0,
        }),
        `${a.state} removed`,
      );
  };
  const c = queue.counts;
  return (
    <div className="queue-controls" aria-label="Queue controls" role="group">
      <Controls>
        {queue.paused ? (
          <button onClick={async () => done(await client.api.request('queues.resume', on), 'resumed')}>
            Resume
          </button>
        ) : (
          <button onClick={async () => done(await client.api.request('queues.pause', on), 'paused')}>
            Pause
          </button>
        )}
        <button
          disabled={c.failed === 0}
          onClick={async () => done(await client.api.request('queues.retry', on), 'retried')}
        >
          Retry all failed
        </button>
        <button
          disabled={c.delayed === 0}
          onClick={async () => done(await client.api.request('queues.promote', on), 'promoted')}
        >
          Promote all delayed
        </button>
        <label className="inline">
          older than{' '}
          <input
            aria-label="Clean older than seconds"
            type="number"
            min={0}
            value={olderSec}
            onChange={(e) => setOlderSec(e.target.value)}
          />{' '}
          s
        </label>
        <button disabled={c.completed === 0} onClick={() => setAsk({ kind: 'clean', state: 'completed' })}>
          Clean completed
        </button>
        <button disabled={c.failed === 0} onClick={() => setAsk({ kind: 'clean', state: 'failed' })}>
          Clean failed
        </button>
        <button onClick={() => setAsk({ kind: 'drain' })}>Drain</button>
        <button className="danger" onClick={() => setAsk({ kind: 'obliterate' })}>
          Obliterate…
        </button>
      </Controls>
      {note && !error && (
        <span className="muted small" role="status">
          {note}
        </span>
      )}
      <ErrorLine error={error} />
      {ask && (
        <ConfirmDialog
          question={
            ask.kind === 'obliterate' ? (
              <>
                Obliterate queue <b>{queue.name}</b>? Every job in it (
                {Object.values(c).reduce((a, b) => a + b, 0)}), its settings and its history in Redis are
                removed, even jobs in progress.
              </>
            ) : ask.kind === 'drain' ? (
              <>
                Drain <b>{queue.name}</b>: remove its {c.waiting + c.prioritized + c.paused} waiting jobs?
                Active and delayed jobs stay.
              </>
            ) : (
              <>
                Remove the {ask.state} jobs of <b>{queue.name}</b> that finished more than {olderSec} s ago?
              </>
            )
          }
          action={ask.kind === 'obliterate' ? 'Obliterate' : ask.kind === 'drain' ? 'Drain' : 'Clean'}
          typed={ask.kind === 'obliterate' ? queue.name : undefined}
          onConfirm={() => void run(ask)}
          onClose={() => setAsk(null)}
        />
      )}
    </div>
  );
}
