import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Queue, Worker } from 'bullmq';
import { startRedis, type TestRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';
import { EVENTS_PER_TICK, pollQueue, SAMPLE_PER_TICK, type PollArgs, type PollResult } from './poll-script';

let redis: TestRedis;
let client: Redis;
const commands = async (): Promise<number> => {
  const text = await client.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(text)![1]);
};

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const args = (queue: string, cursors = { completed: '', failed: '', events: '' }): PollArgs => ({
  prefix: 'bull',
  queue,
  cursors,
  trimBefore: 0,
  maxReports: 256,
});

/** The cursors a poll leaves for the next one. */
const next = (r: PollResult): PollArgs['cursors'] => ({
  completed: r.completed.cursor,
  failed: r.failed.cursor,
  events: r.eventsCursor,
});

describe('one poll of one queue', () => {
  it('counts by state, sees the pause, and samples the jobs finished since the cursor', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('pq', { connection });
    await q.addBulk(Array.from({ length: 30 }, (_, i) => ({ name: 'noop', data: { i } })));
    await q.add('later', {}, { delay: 60_000 });
    let first = await pollQueue(client, args('pq'));
    expect(first.counts).toMatchObject({ waiting: 30, delayed: 1, active: 0, completed: 0 });
    expect(first.completed.n).toBeNull();
    const w = new Worker(
      'pq',
      async (job) => {
        if (job.data.i % 10 === 0) throw new Error('boom');
        return 1;
      },
      { connection, concurrency: 4 },
    );
    await until(async () => (await q.getJobCounts('wait')).wait === 0 && (await q.getActiveCount()) === 0);
    await w.close();
    const second = await pollQueue(client, args('pq', next(first)));
    expect(second.counts).toMatchObject({ waiting: 0, completed: 27, failed: 3, delayed: 1 });
    expect(second.completed.n).toBe(27);
    expect(second.failed.n).toBe(3);
    expect(second.completed.run.length).toBe(27);
    expect(second.completed.wait.every((x) => x >= 0)).toBe(true);
    // Nothing new: the cursor moved to the newest.
    const third = await pollQueue(client, args('pq', next(second)));
    expect(third.completed.n).toBe(0);
    await q.pause();
    first = await pollQueue(client, args('pq'));
    expect(first.paused).toBe(true);
    await q.close();
  });

  it('counts jobs removed when they finish, and finished sets trimmed between two polls', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('gone', { connection });
    const first = await pollQueue(client, args('gone'));
    expect(first.completed.n).toBeNull();
    // 40 removed on completion, 40 kept 5 at a time, 6 failures removed, 4 failures kept.
    await q.addBulk([
      ...Array.from({ length: 40 }, (_, i) => ({
        name: 'gone',
        data: { i },
        opts: { removeOnComplete: true },
      })),
      ...Array.from({ length: 40 }, (_, i) => ({ name: 'kept', data: { i }, opts: { removeOnComplete: 5 } })),
      ...Array.from({ length: 6 }, (_, i) => ({ name: 'fail', data: { i }, opts: { removeOnFail: true } })),
      ...Array.from({ length: 4 }, (_, i) => ({ name: 'fail', data: { i } })),
    ]);
    const w = new Worker(
      'gone',
      async (job) => {
        if (job.name === 'fail') throw new Error('boom');
        return 1;
      },
      { connection, concurrency: 4 },
    );
    await until(async () => (await q.getWaitingCount()) === 0 && (await q.getActiveCount()) === 0, {
      message: 'queue drained',
    });
    await w.close();
    const second = await pollQueue(client, args('gone', next(first)));
    // What the engine keeps: 5 completed, 4 failed. What finished: 80 and 10.
    expect(second.counts).toMatchObject({ completed: 5, failed: 4 });
    expect(second.completed.n).toBe(80);
    expect(second.failed.n).toBe(10);
    // Latency is sampled from the jobs still kept only.
    expect(second.completed.run.length).toBeLessThanOrEqual(5);
    const third = await pollQueue(client, args('gone', next(second)));
    expect(third.completed.n).toBe(0);
    expect(third.failed.n).toBe(0);
    await q.close();
  });

  it('reads at most EVENTS_PER_TICK stream entries a poll, and the next poll reads on from there', async () => {
    const key = 'bull:busy:events';
    const pipe = client.pipeline();
    for (let i = 0; i < EVENTS_PER_TICK + 500; i++)
      pipe.xadd(key, '*', 'event', i % 2 ? 'completed' : 'failed', 'jobId', String(i), 'prev', 'active');
    await pipe.exec();
    const a = await pollQueue(client, args('busy', { completed: '0', failed: '0', events: '0-0' }));
    expect(a.completed.n! + a.failed.n!).toBe(EVENTS_PER_TICK);
    const b = await pollQueue(client, args('busy', next(a)));
    expect(b.completed.n! + b.failed.n!).toBe(500);
    expect(a.completed.n! + b.completed.n!).toBe((EVENTS_PER_TICK + 500) / 2);
    const c = await pollQueue(client, args('busy', next(b)));
    expect(c.completed.n).toBe(0);
  });

  it('costs the same for 100,000 waiting jobs as for an empty queue', async () => {
    const big = 'big';
    const pipe = client.pipeline();
    for (let i = 0; i < 100_000; i++) pipe.rpush(`bull:${big}:wait`, String(i));
    await pipe.exec();
    for (let i = 0; i < 1000; i++) await client.zadd(`bull:${big}:completed`, 1000 + i, `c${i}`);
    const c0 = await commands();
    const r = await pollQueue(client, args(big, { completed: '0', failed: '0', events: '0' }));
    const c1 = await commands();
    expect(r.counts.waiting).toBe(100_000);
    expect(r.completed.n).toBe(1000);
    expect(r.completed.cursor).toBe('1999');
    // The sample is bounded whatever finished; the script's commands are counted by INFO.
    expect(c1 - c0 - 1).toBeLessThanOrEqual(20);
    expect(SAMPLE_PER_TICK).toBeLessThanOrEqual(64);
  });
});
