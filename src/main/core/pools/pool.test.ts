import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../test-utils/until';
import { poolOptions, type PoolOptions, type PoolStats } from '../../../shared/contract/pools';
import { SpindleError } from '../../../shared/result';
import { HelperClient } from '../supervisor/helper-client';
import { openWith } from './channel';
import { MAX_START_FAILURES, Pool } from './pool';

const fixtures = join(import.meta.dirname, 'fixtures');
const pools: Pool[] = [];
/** Worker processes started by a supervisor helper, as core starts them. */
const helper = new HelperClient({ cgroups: false });
type Via = 'forked here' | 'through the helper';
const make = (
  o: Partial<PoolOptions> & Pick<PoolOptions, 'kind' | 'size'>,
  via: Via = 'forked here',
): Pool => {
  const open = openWith(via === 'through the helper' ? helper.launcher : undefined);
  const p = new Pool(`p${pools.length}`, 'test', poolOptions.parse(o), open);
  pools.push(p);
  return p;
};
afterEach(() => {
  for (const p of pools.splice(0)) p.terminate();
});
afterAll(() => helper.close());

/** Parent pid of a process, from /proc. */
const ppidOf = (pid: number): number =>
  Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

const conserved = (s: PoolStats): void => {
  const c = s.counts;
  expect(c.submitted).toBe(c.queued + c.active + c.completed + c.failed + c.cancelled);
};

describe.each([
  { kind: 'threads', via: 'forked here' },
  { kind: 'processes', via: 'forked here' },
  { kind: 'processes', via: 'through the helper' },
] as const)('a $kind pool ($via)', ({ kind, via }) => {
  it('reports each worker’s CPU as the OS counts it: a spinning worker near one core, an idle one near 0', async () => {
    const p = make({ kind, size: 2 }, via);
    await p.whenReady();
    p.closeTick(); // first reading
    p.submit({ kind: 'spin', ms: 900 }, 0);
    await new Promise((r) => setTimeout(r, 50));
    p.closeTick(); // the spin has started: measure from here
    await new Promise((r) => setTimeout(r, 600));
    p.closeTick();
    const cpus = p
      .view()
      .workers.map((w) => w.cpu!)
      .sort((a, b) => b - a);
    // A loaded 2-core machine (load 20+) may give it a small share of a core: compare with the idle one.
    expect(cpus[0]).toBeGreaterThan(Math.max(5, cpus[1]! * 3));
    expect(cpus[0]).toBeLessThan(115);
    expect(cpus[1]).toBeLessThan(20);
    await p.whenIdle();
  });

  it('runs a batch on its workers and reports each worker', async () => {
    const p = make({ kind, size: 2 }, via);
    await p.whenReady(); // on a loaded machine one worker could otherwise do all 50 before the other starts
    for (let i = 0; i < 50; i++) p.submit({ kind: 'gcd' }, i % 3);
    await p.whenIdle();
    const s = p.view();
    expect(s.counts.completed).toBe(50);
    conserved(s);
    expect(s.workers.filter((w) => w.state === 'idle')).toHaveLength(2);
    expect(s.workers.reduce((n, w) => n + w.done, 0)).toBe(50);
    for (const w of s.workers) expect(w.pid).toBeGreaterThan(0);
    if (kind === 'threads') expect(s.workers[0]!.tid).toBeGreaterThan(0);
    else expect(s.workers[0]!.pid).not.toBe(process.pid);
    // Through the helper, fork's cost is paid there: the worker is the helper's child, not ours.
    if (kind === 'processes') {
      const parent = via === 'through the helper' ? helper.pid : process.pid;
      for (const w of s.workers) expect(ppidOf(w.pid!)).toBe(parent);
    }
    expect(s.run.n).toBe(50);
  });

  it('fails a throwing task with its message and keeps going', async () => {
    const p = make({ kind, size: 1 }, via);
    p.submit({ kind: 'throw' }, 7);
    p.submit({ kind: 'noop' }, 1);
    await p.whenIdle();
    const s = p.view();
    expect(s.counts).toMatchObject({ completed: 1, failed: 1 });
    expect(s.recent.find((r) => !r.ok)?.text).toBe('workload threw on item 7');
    expect(s.workers.filter((w) => w.state === 'dead')).toHaveLength(0);
  });

  it('replaces a worker that crashes mid-task, retrying the task per policy', async () => {
    const p = make({ kind, size: 1, retries: 1 }, via);
    p.submit({ kind: 'crash', code: 70 }, 0);
    for (let i = 0; i < 5; i++) p.submit({ kind: 'noop' }, i);
    await p.whenIdle();
    const s = p.view();
    conserved(s);
    expect(s.counts).toMatchObject({ completed: 5, failed: 1, retried: 1 });
    expect(s.recent.find((r) => !r.ok)?.text).toMatch(/ended \(exit 70\)/);
    expect(s.workers.filter((w) => w.state === 'dead')).toHaveLength(2);
    expect(s.workers.filter((w) => w.state !== 'dead')).toHaveLength(1);
  });

  it('times out a stuck task and replaces its worker', async () => {
    const p = make({ kind, size: 1, taskTimeoutMs: 200 }, via);
    p.submit({ kind: 'spin', ms: 5000 }, 0);
    p.submit({ kind: 'noop' }, 1);
    await p.whenIdle();
    const s = p.view();
    conserved(s);
    expect(s.counts).toMatchObject({ completed: 1, failed: 1, timedOut: 1 });
    expect(s.workers.find((w) => w.state === 'dead')?.reason).toMatch(/timeout/);
  });

  it('runs the user module named by the pool', async () => {
    const p = make({ kind, size: 1, module: join(fixtures, 'double.mjs') }, via);
    p.submit({ kind: 'module' }, '21');
    await p.whenIdle();
    expect(p.view().recent.length + p.stats.completed).toBeGreaterThan(0);
    expect(p.stats.completed).toBe(1);
  });

  it('gives up on a worker that cannot start after a few attempts', async () => {
    const p = make({ kind, size: 1, module: join(fixtures, 'broken.mjs') }, via);
    p.submit({ kind: 'module' }, 1);
    await until(() => p.state === 'unhealthy');
    const s = p.view();
    conserved(s);
    expect(s.counts.failed).toBe(1);
    expect(s.workers.filter((w) => w.state === 'dead')).toHaveLength(MAX_START_FAILURES);
    expect(s.note).toMatch(/broken module/);
    expect(() => p.submit({ kind: 'noop' }, 1)).toThrow(/unhealthy/);
  });
});

describe('a bounded queue', () => {
  it('rejects with EQUEUE_FULL, naming the queue state', async () => {
    const p = make({ kind: 'threads', size: 1, maxQueue: 2, fullPolicy: 'reject' });
    p.submit({ kind: 'sleep', ms: 50 }, 0);
    p.submit({ kind: 'sleep', ms: 50 }, 1);
    let err: unknown;
    try {
      p.submit({ kind: 'sleep', ms: 50 }, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpindleError);
    expect((err as SpindleError).code).toBe('EQUEUE_FULL');
    expect((err as SpindleError).message).toMatch(/queue full: 2 queued, \d+ active, max 2/);
    await p.whenIdle();
  });

  it('makes a waiting producer wait for room', async () => {
    const p = make({ kind: 'threads', size: 1, maxQueue: 1 });
    await p.whenReady();
    const order: string[] = [];
    // The first task's result is taken before the pool dispatches the next and wakes waiters for room.
    p.submit({ kind: 'sleep', ms: 80 }, 0, () => void order.push('still waiting')); // dispatched soon
    await until(() => p.queued === 0);
    p.submit({ kind: 'sleep', ms: 80 }, 1); // fills the queue
    const put = p.submitWait({ kind: 'noop' }, 2).then(() => order.push('put'));
    await put;
    expect(order).toEqual(['still waiting', 'put']);
    await p.whenIdle();
    expect(p.stats.completed).toBe(3);
  });
});

describe('conservation', () => {
  it('holds under random submits, cancels, pauses, resizes and faults', async () => {
    const p = make({
      kind: 'threads',
      size: 2,
      maxQueue: 30,
      fullPolicy: 'reject',
      taskTimeoutMs: 300,
      retries: 1,
    });
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const specs = [
      { kind: 'noop' },
      { kind: 'sleep', ms: 5 },
      { kind: 'throw' },
      { kind: 'crash', code: 3 },
      { kind: 'spin', ms: 500 },
    ] as const;
    for (let step = 0; step < 150; step++) {
      const r = rnd();
      try {
        if (r < 0.6) p.submit(specs[Math.floor(rnd() * (rnd() < 0.9 ? 2 : 5))]!, step);
        else if (r < 0.67) p.cancelQueued();
        else if (r < 0.72) p.pause();
        else if (r < 0.8) p.resume();
        else if (r < 0.85) p.resize(1 + Math.floor(rnd() * 3));
      } catch (e) {
        expect((e as SpindleError).code).toBe('EQUEUE_FULL');
      }
      conserved(p.view());
      if (rnd() < 0.3) await new Promise((res) => setTimeout(res, 5));
    }
    p.resume();
    await p.whenIdle();
    const s = p.view();
    conserved(s);
    expect(s.counts.queued + s.counts.active).toBe(0);
    p.terminate();
    conserved(p.view());
  });
});
