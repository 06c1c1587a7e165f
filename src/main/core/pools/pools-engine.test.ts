import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../test-utils/until';
import { poolOptions, type PoolsTick } from '../../../shared/contract/pools';
import { poolSchema } from '../../../shared/snapshot/schema';
import { PoolsEngine } from './pools-engine';

const engines: PoolsEngine[] = [];
const make = (): { engine: PoolsEngine; ticks: PoolsTick[] } => {
  const ticks: PoolsTick[] = [];
  const engine = new PoolsEngine((t) => ticks.push(t), { tickMs: 100 });
  engines.push(engine);
  return { engine, ticks };
};
afterEach(() => {
  for (const e of engines.splice(0)) e.stop();
});

describe('PoolsEngine', () => {
  it('streams ticks whose backlog rises and drains to zero with every task completed', async () => {
    const { engine, ticks } = make();
    const { id } = engine.create(poolOptions.parse({ kind: 'threads', size: 2, maxQueue: 1000 }));
    engine.submit(id, { kind: 'sleep', ms: 10 }, 100, null, null);
    await until(() => ticks.at(-1)?.pools[0]?.counts.completed === 100);
    const queued = ticks.map((t) => t.pools[0]!.counts.queued);
    expect(Math.max(...queued)).toBeGreaterThan(0);
    expect(queued.at(-1)).toBe(0);
    const snap = engine.state();
    expect(snap.history[id]!.queued.length).toBeGreaterThan(2);
    expect(snap.pools[0]!.producers[0]).toMatchObject({ submitted: 100, state: 'done' });
    // What a usage snapshot stores passes the snapshot schema.
    const [row] = engine.snapshotRows();
    expect(poolSchema.parse(row).stats.completed).toBe(100);
    expect(row!.history.completed.at(-1)).toBe(100);
  });

  it('one code per refusal: draining, terminated, unknown pool or pipeline', async () => {
    const { engine } = make();
    const { id } = engine.create(poolOptions.parse({ kind: 'threads', size: 1 }));
    const codeOf = async (fn: () => unknown): Promise<string> => {
      try {
        await fn();
        return 'ok';
      } catch (err) {
        return (err as { code: string }).code;
      }
    };
    const submit = () => engine.submit(id, { kind: 'sleep', ms: 1 }, 1, null, null);
    engine.get(id).drain();
    expect(await codeOf(submit)).toBe('EPOOL_DRAINING');
    expect(await codeOf(() => engine.get(id).submit({ kind: 'sleep', ms: 1 }, 0))).toBe('EPOOL_DRAINING');
    engine.terminate(id);
    expect(await codeOf(submit)).toBe('EPOOL_CLOSED');
    expect(await codeOf(() => engine.get('pool-none'))).toBe('ENOT_FOUND');
    expect(await codeOf(() => engine.pipelineStop('pipeline-none'))).toBe('ENOT_FOUND');
  });

  it('counts rejections when a rate producer outruns a rejecting queue', async () => {
    const { engine, ticks } = make();
    const { id } = engine.create(
      poolOptions.parse({ kind: 'threads', size: 1, maxQueue: 5, fullPolicy: 'reject' }),
    );
    engine.submit(id, { kind: 'sleep', ms: 50 }, 40, 200, null);
    await until(() => ticks.at(-1)?.pools[0]?.producers[0]?.state === 'done');
    const p = ticks.at(-1)!.pools[0]!;
    expect(p.producers[0]!.rejected).toBeGreaterThan(0);
    expect(p.counts.rejected).toBe(p.producers[0]!.rejected);
    expect(p.producers[0]!.submitted + p.producers[0]!.rejected).toBe(40);
  });

  it('runs a command template per item on a process pool, without a shell', async () => {
    const { engine, ticks } = make();
    const { id } = engine.create(poolOptions.parse({ kind: 'processes', size: 2 }));
    await expect(
      engine.submit(
        engine.create(poolOptions.parse({ kind: 'threads', size: 1 })).id,
        { kind: 'command', argv: ['echo'] },
        1,
        null,
        null,
      ),
    ).rejects.toThrow(/process pools only/);
    engine.submit(id, { kind: 'command', argv: ['echo', 'item {};', 'out/{}'] }, 3, null, ['a', 'b', 'c']);
    await until(() => ticks.at(-1)?.pools.find((p) => p.id === id)?.counts.completed === 3);
    engine.submit(id, { kind: 'command', argv: ['false'] }, 1, null, null);
    await until(() => ticks.at(-1)?.pools.find((p) => p.id === id)?.counts.failed === 1);
    const recent = ticks.at(-1)!.pools.find((p) => p.id === id)!.recent;
    expect(recent.find((r) => !r.ok)?.text).toMatch(/false exited 1/);
    engine.submit(id, { kind: 'command', argv: ['no-such-command-xyz', '{}'] }, 1, null, null);
    await until(() => ticks.at(-1)?.pools.find((p) => p.id === id)?.counts.failed === 2);
    const gone = ticks
      .at(-1)!
      .pools.find((p) => p.id === id)!
      .recent.filter((r) => !r.ok);
    expect(gone.at(-1)?.text).toMatch(/no-such-command-xyz: .*ENOENT/);
  });

  it('a pipeline backs up behind its slowest stage and stalls the stage before it', async () => {
    const { engine, ticks } = make();
    engine.pipeline(
      [
        { name: 'download', kind: 'threads', size: 2, maxQueue: 4, workload: { kind: 'sleep', ms: 5 } },
        { name: 'resize', kind: 'threads', size: 1, maxQueue: 3, workload: { kind: 'sleep', ms: 40 } },
        { name: 'upload', kind: 'threads', size: 1, maxQueue: 4, workload: { kind: 'noop' } },
      ],
      30,
      null,
    );
    await until(() => ticks.at(-1)?.pipelines[0]?.state === 'done');
    const seen = ticks.map((t) => t.pipelines[0]!).filter(Boolean);
    expect(seen.at(-1)).toMatchObject({ done: 30, failed: 0 });
    expect(seen.some((p) => p.stages[0]!.stalled)).toBe(true);
    expect(seen.some((p) => p.stages[1]!.queued === 3)).toBe(true);
    expect(seen.at(-1)!.stages[0]!.stalledMs).toBeGreaterThan(100);
    expect(seen.every((p) => p.stages[1]!.queued <= 3)).toBe(true);
  });

  it('the lab times serial, threads and processes for 1..2 workers, median of the rounds', async () => {
    const { engine } = make();
    engine.lab({ maxWorkers: 2, repeat: 1, rounds: 3, kinds: ['threads', 'processes'] });
    // ~12 s on a quiet 2-core machine, ~57 s at load 20.
    await until(() => engine.state().lab?.state !== 'running', { timeout: 170_000 });
    const lab = engine.state().lab!;
    expect(lab.state).toBe('done');
    expect(lab.rows.map((r) => `${r.mode}${r.workers}`)).toEqual([
      'serial1',
      'threads1',
      'threads2',
      'processes1',
      'processes2',
    ]);
    for (const r of lab.rows) {
      expect(r.elapsedMs).toBeGreaterThan(0);
      expect(r.runs).toBe(3);
      // Every speed-up is the serial median over that row's median.
      expect(r.speedup).toBeCloseTo(lab.rows[0]!.elapsedMs / r.elapsedMs, 1);
    }
    expect(lab.rows[0]!.speedup).toBe(1);
  }, 180_000);

  it('stop() ends every worker process it started', async () => {
    const { engine } = make();
    const { id } = engine.create(poolOptions.parse({ kind: 'processes', size: 2 }));
    engine.submit(id, { kind: 'sleep', ms: 5000 }, 4, null, null);
    await until(() => engine.get(id).active === 2);
    const pids = engine
      .get(id)
      .view()
      .workers.map((w) => w.pid!);
    engine.stop();
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(() => pids.every((p) => !alive(p)), { timeout: 5000 });
    expect(engine.get(id).state).toBe('terminated');
  });
});
