/** The washer/dryer demonstration (issue #14 point 8) against a real Redis: every washed job is dried. */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../test-utils/redis-server';
import { spawnWorker } from '../../../test-utils/spindle-worker';
import { until } from '../../../test-utils/until';
import { startStagesDemo, washJobs } from './stages-demo';

let redis: TestRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await client.quit();
  await redis.stop();
});

const sorted = (ids: (string | undefined)[]): string[] => ids.map(String).sort();

describe('stages demo', () => {
  it('hands every washed job to dry once; the backlog builds at the slower dry stage', async () => {
    const wash = new Queue('wash', { connection: client });
    const dry = new Queue('dry', { connection: client });
    let maxDryWaiting = 0;
    const demo = await startStagesDemo(redis.url, { washers: 2, dryers: 1, jobs: 30, washMs: 5, dryMs: 40 });
    try {
      await until(
        async () => {
          const d = await dry.getJobCounts('waiting', 'completed');
          maxDryWaiting = Math.max(maxDryWaiting, d.waiting ?? 0);
          return d.completed === 30;
        },
        { timeout: 60_000, message: '30 jobs dried' },
      );
      expect(await wash.getJobCounts('completed', 'failed', 'active')).toEqual({
        completed: 30,
        failed: 0,
        active: 0,
      });
      const washed = await wash.getJobs(['completed'], 0, -1);
      const dried = await dry.getJobs(['completed'], 0, -1);
      expect(sorted(dried.map((j) => j.id))).toEqual(sorted(washed.map((j) => `wash-${j.id}`)));
      expect(dried.every((j) => j.data.ms === 40)).toBe(true);
      expect(maxDryWaiting).toBeGreaterThan(0);
    } finally {
      await demo.stop();
      await wash.obliterate({ force: true });
      await dry.obliterate({ force: true });
      await wash.close();
      await dry.close();
    }
  }, 90_000);

  it('runs as `spindle worker --stage wash|dry` processes too', async () => {
    const wash = new Queue('wash', { connection: client });
    const dry = new Queue('dry', { connection: client });
    const washer = await spawnWorker(['--redis', redis.url, '--stage', 'wash', '--concurrency', '4']);
    const dryer = await spawnWorker(['--redis', redis.url, '--stage', 'dry', '--concurrency', '4']);
    try {
      expect(washer.output()).toContain('hands off to dry');
      await wash.addBulk(washJobs(12, 5, 20));
      await until(async () => (await dry.getCompletedCount()) === 12, {
        timeout: 60_000,
        message: '12 dried',
      });
      expect(await wash.getCompletedCount()).toBe(12);
    } finally {
      washer.child.kill('SIGTERM');
      dryer.child.kill('SIGTERM');
      expect(await washer.exited).toBe(0);
      expect(await dryer.exited).toBe(0);
      await wash.close();
      await dry.close();
    }
  }, 90_000);
});
