/**
 * The pools requests as a client sees them: through rpc dispatch with the real handlers,
 * events pushed to the session only if it subscribed, real worker threads behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, PoolStats, PoolsTick, ProducerInfo } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { dispatch, type Handlers, type HandlerContext } from '../rpc';
import { poolsHandlers } from './handlers';
import { PoolsEngine } from './pools-engine';

const engines: PoolsEngine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.stop();
});

/** One client session over a pools engine whose stats tick is far off: every event seen is a push. */
function session(tickMs = 600_000) {
  const topics = new Set<EventName>();
  const events: PoolsTick[] = [];
  const waiters: { pred: (t: PoolsTick) => boolean; from: number; resolve: (t: PoolsTick) => void }[] = [];
  const engine = new PoolsEngine(
    (tick) => {
      if (!topics.has('pools')) return;
      events.push(tick);
      for (const w of waiters.splice(0)) {
        const hit = events.slice(w.from).find(w.pred);
        if (hit) w.resolve(hit);
        else waiters.push(w);
      }
    },
    { tickMs },
  );
  engines.push(engine);
  const handlers = poolsHandlers(engine) as unknown as Handlers;
  const ctx: HandlerContext = {
    client: { transport: 'web', readOnly: false, label: 'test' },
    subscribe: (e) => topics.add(e),
    unsubscribe: (e) => topics.delete(e),
  };
  const request = <T>(method: string, params?: unknown): Promise<Result<T>> =>
    dispatch(handlers, { method, params }, ctx, { record: () => {} }) as Promise<Result<T>>;
  const value = async <T>(method: string, params?: unknown): Promise<T> => {
    const r = await request<T>(method, params);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  /** The first event, from now on, that satisfies pred (no time limit but the test's). */
  const next = (pred: (t: PoolsTick) => boolean): Promise<PoolsTick> =>
    new Promise((resolve) => waiters.push({ pred, from: events.length, resolve }));
  return { request, value, next, events };
}

const poolIn = (t: PoolsTick, id: string): PoolStats | undefined => t.pools.find((p) => p.id === id);

describe('pools.submit on a full queue with the reject policy', () => {
  it('answers EQUEUE_FULL with the queue state to each submit that cannot be queued', async () => {
    const s = session();
    const { id } = await s.value<PoolStats>('pools.create', {
      kind: 'threads',
      size: 2,
      maxQueue: 10,
      fullPolicy: 'reject',
    });
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () =>
        s.request<ProducerInfo>('pools.submit', {
          poolId: id,
          workload: { kind: 'sleep', ms: 300 },
          count: 1,
        }),
      ),
    );
    const accepted = answers.filter((a) => a.ok);
    const refused = answers.filter((a) => !a.ok);
    expect(accepted.length + refused.length).toBe(1000);
    expect(accepted.length).toBeGreaterThanOrEqual(10);
    expect(refused.length).toBeGreaterThan(900);
    for (const r of refused) {
      if (r.ok) continue;
      expect(r.error.code).toBe('EQUEUE_FULL');
      expect(r.error.message).toMatch(/^queue full: 10 queued, \d+ active, max 10$/);
    }
    const counts = (await s.value<{ pools: PoolStats[] }>('pools.subscribe')).pools[0]!.counts;
    expect(counts.submitted).toBe(accepted.length);
    expect(counts.rejected).toBe(refused.length);
  }, 60_000);

  it('a batch says how many were accepted and refused; a batch with no room is refused whole', async () => {
    const s = session();
    const { id } = await s.value<PoolStats>('pools.create', {
      kind: 'threads',
      size: 1,
      maxQueue: 10,
      fullPolicy: 'reject',
    });
    await s.value('pools.pause', { poolId: id }); // nothing leaves the queue
    const batch = await s.value<ProducerInfo>('pools.submit', {
      poolId: id,
      workload: { kind: 'noop' },
      count: 1000,
    });
    expect(batch).toMatchObject({
      state: 'done',
      submitted: 10,
      rejected: 990,
      note: 'queue full: 10 queued, 0 active, max 10',
    });
    for (const rate of [undefined, 50]) {
      const none = await s.request('pools.submit', {
        poolId: id,
        workload: { kind: 'noop' },
        count: 5,
        rate,
      });
      expect(none).toEqual({
        ok: false,
        error: { code: 'EQUEUE_FULL', message: 'queue full: 10 queued, 0 active, max 10' },
      });
    }
    const pool = (await s.value<{ pools: PoolStats[] }>('pools.subscribe')).pools[0]!;
    // 990 of the batch, 5 of the second batch, and the rate producer's first item (it stops there).
    expect(pool.counts).toMatchObject({ submitted: 10, queued: 10, rejected: 996 });
    expect(pool.producers.map((p) => p.id)).toEqual([batch.id]);
  });
});

describe('pools events', () => {
  it('push create, resize, pause, resume, drain and terminate as they happen; subscribe answers the state now', async () => {
    const s = session();
    expect((await s.value<PoolsTick>('pools.subscribe')).pools).toEqual([]);

    const created = s.next((t) => t.pools.length === 1);
    const { id } = await s.value<PoolStats>('pools.create', { kind: 'threads', size: 1 });
    expect(poolIn(await created, id)).toMatchObject({ state: 'running', options: { size: 1 } });
    expect((await created).reason).toBe('change');
    // A new subscriber sees the pool at once, not at the next tick.
    expect(poolIn(await s.value<PoolsTick>('pools.subscribe'), id)?.state).toBe('running');

    const live = (t: PoolsTick): number => poolIn(t, id)!.workers.filter((w) => w.state !== 'dead').length;
    const grown = s.next((t) => poolIn(t, id)?.options.size === 3);
    await s.value('pools.resize', { poolId: id, size: 3 });
    expect(live(await grown)).toBe(3);

    for (const [method, state] of [
      ['pools.pause', 'paused'],
      ['pools.resume', 'running'],
    ] as const) {
      const seen = s.next((t) => poolIn(t, id)?.state === state);
      await s.value(method, { poolId: id });
      await seen;
    }

    // Drain: 'draining' at once, then 'drained' when the last task finishes.
    await s.value('pools.submit', { poolId: id, workload: { kind: 'sleep', ms: 200 }, count: 3 });
    const draining = s.next((t) => poolIn(t, id)?.state === 'draining');
    const drained = s.next((t) => poolIn(t, id)?.state === 'drained');
    await s.value('pools.drain', { poolId: id });
    expect(poolIn(await draining, id)!.counts.completed).toBeLessThan(3);
    expect(poolIn(await drained, id)!.counts).toMatchObject({ completed: 3, queued: 0, active: 0 });

    const ended = s.next((t) => poolIn(t, id)?.state === 'terminated');
    await s.value('pools.terminate', { poolId: id });
    expect(live(await ended)).toBe(0);
    expect(poolIn(await s.value<PoolsTick>('pools.subscribe'), id)?.state).toBe('terminated');

    const removed = s.next((t) => t.pools.length === 0);
    await s.value('pools.remove', { poolId: id });
    await removed;
    // No stats tick came in all this time: every event above was pushed by the change itself.
    expect(s.events.every((e) => e.reason === 'change')).toBe(true);
  }, 60_000);

  it('change events add no history point; ticks do', async () => {
    const s = session(100);
    await s.value('pools.subscribe');
    const { id } = await s.value<PoolStats>('pools.create', { kind: 'threads', size: 1 });
    await s.next((t) => t.reason === 'tick' && !!poolIn(t, id));
    const before = (await s.value<{ history: Record<string, { t: number[] }> }>('pools.subscribe')).history[
      id
    ]!.t.length;
    for (let i = 0; i < 20; i++) await s.value(i % 2 ? 'pools.resume' : 'pools.pause', { poolId: id });
    const after = (await s.value<{ history: Record<string, { t: number[] }> }>('pools.subscribe')).history[
      id
    ]!.t.length;
    // At most the ticks that happened meanwhile, not one per change.
    expect(after - before).toBeLessThan(10);
  });
});
