import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';
import { Core } from '../core';
import { parseExposition, valueOf } from './fixtures/exposition';
import { Metrics } from './metrics';

let redis: TestRedis;
let dir: string;
let core: Core;
let metrics: Metrics;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'spindle-metrics-queues-'));
  core = new Core({ dataDir: dir, queuesIntervalMs: 200 });
  core.start();
  metrics = new Metrics(core);
});
afterAll(async () => {
  metrics.close();
  await core.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics of BullMQ queues the engine watches', () => {
  it('counts jobs by state and every completion and failure once, from the engine’s polls', async () => {
    const conn = await core.queues.connect({ url: redis.url, save: false });
    core.queues.watch(conn.id, 'mq');
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = { connection: conn.name, queue: 'mq' };
    const lines = async () => parseExposition(await metrics.scrape());
    // The watch's first poll starts its cursors; finishes after it are counted.
    await until(async () => valueOf(await lines(), 'spindle_queue_completed_total', q) === 0);
    const queue = new Queue('mq', { connection });
    await queue.addBulk([
      ...Array.from({ length: 30 }, (_, i) => ({ name: 'ok', data: { i } })),
      ...Array.from({ length: 5 }, (_, i) => ({ name: 'bad', data: { i } })),
    ]);
    const worker = new Worker(
      'mq',
      async (job) => {
        if (job.name === 'bad') throw new Error('no');
        return 1;
      },
      { connection, concurrency: 5 },
    );
    try {
      const l = await until(
        async () => {
          const l = await lines();
          return valueOf(l, 'spindle_queue_completed_total', q) === 30 &&
            valueOf(l, 'spindle_queue_failed_total', q) === 5
            ? l
            : null;
        },
        { message: '30 completions and 5 failures counted' },
      );
      expect(valueOf(l, 'spindle_queue_jobs', { ...q, state: 'completed' })).toBe(30);
      expect(valueOf(l, 'spindle_queue_jobs', { ...q, state: 'failed' })).toBe(5);
      expect(valueOf(l, 'spindle_queue_jobs', { ...q, state: 'waiting' })).toBe(0);
    } finally {
      await worker.close();
      await queue.close();
    }
    // Redis gone: the queue's series go (a gap), they do not repeat the last counts.
    await redis.stop();
    await until(
      async () => valueOf(await lines(), 'spindle_queue_jobs', { ...q, state: 'completed' }) === undefined,
    );
  });
});
