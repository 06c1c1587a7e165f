/**
 * Issue #14 point 9 (worker half), with a real Redis and real `spindle worker` processes: a
 * worker killed with SIGKILL mid-jobs loses nothing (another worker recovers its jobs as stalled),
 * and SIGTERM lets active jobs finish before the process exits 0.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../../test-utils/redis-server';
import { spawnWorker, type WorkerProcess } from '../../../../test-utils/spindle-worker';
import { until } from '../../../../test-utils/until';
import { reportKeys } from './host-reporter';

// Short lock and stalled-check timings, so a dead worker's jobs come back in seconds, not minutes.
const FAST = ['--lock-duration', '2s', '--stalled-interval', '1s'];

let redis: TestRedis;
let client: Redis;
const spawned: WorkerProcess[] = [];
const queues: Queue[] = [];

const start = async (args: string[]): Promise<WorkerProcess> => {
  const w = await spawnWorker(['--redis', redis.url, ...args]);
  spawned.push(w);
  return w;
};
const queue = (name: string): Queue => {
  const q = new Queue(name, { connection: client });
  queues.push(q);
  return q;
};

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  for (const w of spawned)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  for (const q of queues) await q.close();
  await client.quit();
  await redis.stop();
});

describe('spindle worker faults', () => {
  it('SIGKILL mid-jobs: another worker recovers them as stalled; added = completed + failed, none active', async () => {
    const q = queue('kill');
    const added = 40;
    await q.addBulk(
      Array.from({ length: added }, (_, i) => ({
        name: i % 10 === 9 ? 'fail' : 'sleep',
        data: { ms: 400, item: i },
      })),
    );
    const a = await start(['--queue', 'kill', '--concurrency', '8', '--name', 'a', ...FAST]);
    const held = await until(
      async () => {
        const jobs = await q.getActive();
        return jobs.length >= 4 ? jobs.map((j) => j.id!) : null;
      },
      { message: 'worker a holds jobs' },
    );
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    // a's report lapses (TTL) while its member stays in the set: the engine shows it as lost.
    const keys = reportKeys('bull', 'kill', a.id);
    await until(async () => (await client.exists(keys.key)) === 0, { message: "a's report key expires" });
    expect(await client.zscore(keys.set, a.id)).not.toBeNull();

    const b = await start(['--queue', 'kill', '--concurrency', '8', '--name', 'b', ...FAST]);
    const counts = await until(
      async () => {
        const c = await q.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
        return (c.completed ?? 0) + (c.failed ?? 0) === added ? c : null;
      },
      { timeout: 60_000, message: 'every job finished' },
    );
    expect(counts.active).toBe(0);
    expect((counts.waiting ?? 0) + (counts.delayed ?? 0)).toBe(0);
    expect(counts.failed).toBe(4); // exactly the `fail` jobs: nothing failed for being stalled
    // Every job a held when it died finished after a stall, on b.
    for (const id of held) {
      const job = (await q.getJob(id))!;
      expect(job.stalledCounter, `job ${id}`).toBeGreaterThanOrEqual(1);
      expect(job.finishedOn).toBeGreaterThan(0);
      expect(job.processedBy).toBe(b.id);
    }
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 120_000);

  it('SIGTERM: active jobs finish, no new ones start, exit code 0, the report leaves', async () => {
    const q = queue('term');
    await q.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'sleep', data: { ms: 1500, item: i } })));
    const w = await start(['--queue', 'term', '--concurrency', '4', ...FAST]);
    await until(async () => (await q.getActiveCount()) === 4, { message: '4 active' });
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const c = await q.getJobCounts('completed', 'failed', 'active', 'waiting');
    expect(c).toEqual({ completed: 4, failed: 0, active: 0, waiting: 6 });
    const keys = reportKeys('bull', 'term', w.id);
    expect(await client.exists(keys.key)).toBe(0);
    expect(await client.zscore(keys.set, w.id)).toBeNull();
    expect(w.output()).toMatch(/stopped \(4 completed, 0 failed\)/);
  }, 60_000);

  it('SIGTERM with a grace shorter than the jobs: exits 1 and names the jobs left to the stalled check', async () => {
    const q = queue('grace');
    await q.add('sleep', { ms: 60_000 });
    const w = await start(['--queue', 'grace', '--grace', '300ms', ...FAST]);
    await until(async () => (await q.getActiveCount()) === 1, { message: '1 active' });
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(1);
    expect(w.output()).toMatch(/grace ran out; 1 jobs left to the stalled check/);
  }, 60_000);
});
