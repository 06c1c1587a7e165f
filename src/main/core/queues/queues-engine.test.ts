import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../test-utils/redis-server';
import { until } from '../../../test-utils/until';
import { QueuesEngine } from './queues-engine';
import type { QueuesTick } from '../../../shared/contract';

let redis: TestRedis;
let engine: QueuesEngine;
let last: QueuesTick | null = null;
const ticks: QueuesTick[] = [];
/** Every tick the shared engine sent (ticks itself keeps only the last 200). */
let tickCount = 0;

beforeAll(async () => {
  redis = await startRedis();
  engine = new QueuesEngine({
    dataDir: null,
    intervalMs: 200,
    onTick: (t) => {
      last = t;
      tickCount++;
      ticks.push(t);
      if (ticks.length > 200) ticks.shift();
    },
  });
  await engine.start();
});
afterAll(async () => {
  await engine.stop();
  await redis.stop();
});

const queueStats = (name: string) => last?.queues.find((q) => q.name === name);

describe('the queues engine', () => {
  it('finds a queue it did not create and charts it as jobs run', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('found', { connection });
    await q.addBulk(Array.from({ length: 50 }, (_, i) => ({ name: 'noop', data: { i } })));
    const c = await engine.connect({ url: redis.url, save: false });
    expect(c.state).toBe('up');
    await until(() => queueStats('found')?.counts.waiting === 50, { message: '50 waiting seen' });
    const w = new Worker('found', async () => 1, { connection, concurrency: 5, name: 'host-a:1:w1' });
    await until(() => queueStats('found')?.counts.completed === 50, { message: 'all 50 completed' });
    const s = queueStats('found')!;
    expect(s.ok).toBe(true);
    expect(s.run?.n).toBeGreaterThan(0);
    expect(s.wait?.p95).toBeGreaterThanOrEqual(0);
    // Every completion counted once over the ticks (rate × interval summed).
    await until(
      () => queueStats('found')?.workers.some((x) => x.id === 'host-a:1:w1' && x.state === 'bullmq'),
      {
        message: 'BullMQ worker listed',
      },
    );
    await w.close();
    await q.close();
    const h = engine.snapshot(false).history[s.key]!;
    expect(h.t.length).toBe(h.completed.length);
    expect(h.completed.at(-1)).toBe(50);
    // Each completion counted once: the rates times the tick lengths add up to the jobs.
    let sum = 0;
    for (let i = 1; i < h.t.length; i++)
      sum += ((h.completedPerSec[i] ?? 0) * (h.t[i]! - h.t[i - 1]!)) / 1000;
    expect(Math.round(sum)).toBe(50);
  });

  it('counts jobs removed when they complete in its rate (they never stay in the completed set)', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('vanish', { connection });
    // One job makes the queue discoverable; the watch's first poll starts its cursors.
    await q.add('first', {}, { removeOnComplete: true });
    await until(() => queueStats('vanish')?.ok, { message: 'queue found', timeout: 30_000 });
    const key = queueStats('vanish')!.key;
    const from = engine.snapshot(false).history[key]!.t.length;
    await until(() => engine.snapshot(false).history[key]!.t.length > from, { message: 'cursors started' });
    const start = engine.snapshot(false).history[key]!.t.length - 1;
    await q.addBulk(
      Array.from({ length: 40 }, (_, i) => ({ name: 'n', data: { i }, opts: { removeOnComplete: true } })),
    );
    const w = new Worker('vanish', async () => 1, { connection, concurrency: 4 });
    const counted = (): number => {
      const h = engine.snapshot(false).history[key]!;
      let sum = 0;
      for (let i = start + 1; i < h.t.length; i++)
        sum += ((h.completedPerSec[i] ?? 0) * (h.t[i]! - h.t[i - 1]!)) / 1000;
      return Math.round(sum);
    };
    try {
      // The first job may have finished before or after the cursors started: 40 or 41.
      await until(() => counted() >= 40, { message: 'the 40 removed jobs counted' });
      expect(counted()).toBeLessThanOrEqual(41);
      expect(queueStats('vanish')!.counts.completed).toBe(0);
    } finally {
      await w.close();
      await q.close();
    }
  });

  it('shows Redis stopped as down with the error and a gap, and reconnects by itself', async () => {
    const key = queueStats('found')!.key;
    await redis.stop({ keepDir: true });
    await until(() => last?.connections[0]?.state !== 'up' && last?.connections[0]?.error, {
      message: 'connection down',
    });
    expect(last!.connections[0]!.error!.code).toBe('EREDIS_UNREACHABLE');
    await until(() => queueStats('found')?.ok === false, { message: 'queue not ok' });
    const n = engine.snapshot(false).history[key]!.t.length;
    await until(() => engine.snapshot(false).history[key]!.t.length > n + 1, { message: 'gap rows added' });
    await redis.restart();
    // The test server keeps nothing: give the queue a job again so discovery keeps it.
    const q = new Queue('found', { connection: { host: '127.0.0.1', port: redis.port } });
    await q.add('noop', {});
    await q.close();
    await until(() => last?.connections[0]?.state === 'up', { message: 'reconnected', timeout: 30_000 });
    await until(() => queueStats('found')?.ok === true, { message: 'polling again' });
    const h = engine.snapshot(false).history[key]!;
    expect(h.waiting.some((v) => v === null)).toBe(true);
  });

  it('shows a server that stops answering (SIGSTOP) as down, and up again after SIGCONT', async () => {
    const pid = redis.child.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      await until(() => last?.connections[0]?.state !== 'up' && last?.connections[0]?.error, {
        message: 'down while stopped',
      });
      expect(last!.connections[0]!.error!.message).toMatch(/stopped answering|timed out|closed/);
      await until(() => queueStats('found')?.ok === false, { message: 'queue not ok' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await until(() => last?.connections[0]?.state === 'up', { message: 'up after SIGCONT', timeout: 30_000 });
    await until(() => queueStats('found')?.ok === true, { message: 'polling again' });
  });

  it('joins host reports with BullMQ workers, marks a silent one lost, and forgets it after 10 min', async () => {
    const r = new Redis(redis.port, '127.0.0.1');
    const connection = { host: '127.0.0.1', port: redis.port };
    const id = 'host-b:42:w';
    const w = new Worker('found', async () => 1, { connection, name: id });
    const report = {
      v: 1,
      id,
      name: 'w',
      host: 'host-b',
      pid: 42,
      cores: 8,
      cpuBusyPct: 12.5,
      load: [1, 2, 3],
      memTotalBytes: 1e9,
      memUsedBytes: 5e8,
      concurrency: 4,
      active: [{ jobId: '7', name: 'sleep', elapsedMs: 120 }],
      processed: 10,
      failed: 1,
      startedAt: Date.now() - 5000,
      reportedAt: Date.now(),
      version: 'test',
    };
    await r.set(`bull:found:spindle:w:${id}`, JSON.stringify(report), 'PX', 3000);
    await r.zadd('bull:found:spindle:workers', Date.now(), id);
    const worker = () => queueStats('found')?.workers.find((x) => x.id === id);
    await until(() => worker()?.state === 'reporting' && worker()?.addr, { message: 'reporting, joined' });
    expect(worker()!.report).toMatchObject({
      host: 'host-b',
      cores: 8,
      active: [{ jobId: '7', elapsedMs: 120 }],
    });
    await r.del(`bull:found:spindle:w:${id}`); // what the 3 s TTL does when the worker stops reporting
    await until(() => worker()?.state === 'lost', { message: 'lost' });
    expect(worker()!.report?.host).toBe('host-b'); // the last report is still shown
    await w.close();
    await r.zadd('bull:found:spindle:workers', Date.now() - 11 * 60_000, id);
    await until(() => queueStats('found') && !worker(), { message: 'forgotten after the trim' });
    r.disconnect();
  });

  it('keeps the event bounded: 64 workers per queue, 512 per event, the rest counted', async () => {
    const r = new Redis(redis.port, '127.0.0.1');
    const now = Date.now();
    const p = r.pipeline();
    for (let q = 0; q < 9; q++) {
      p.hset(`bull:many${q}:meta`, 'opts.maxLenEvents', 10000);
      for (let i = 0; i < (q === 0 ? 100 : 64); i++) {
        const id = `h:${q}:${i}`;
        p.set(`bull:many${q}:spindle:w:${id}`, JSON.stringify({ v: 1, id, host: 'h' }), 'PX', 60_000);
        p.zadd(`bull:many${q}:spindle:workers`, now, id);
      }
    }
    await p.exec();
    const many = () => last?.queues.filter((x) => x.name.startsWith('many')) ?? [];
    await until(() => many().length === 9 && many().every((x) => x.workers.length + x.workersOmitted >= 64), {
      message: 'all 9 queues with their workers',
      timeout: 30_000,
    });
    const first = many().find((x) => x.name === 'many0')!;
    expect(first.workers.length + first.workersOmitted).toBe(100);
    expect(first.workers.length).toBeLessThanOrEqual(64);
    const listed = last!.queues.reduce((n, x) => n + x.workers.length, 0);
    expect(listed).toBeLessThanOrEqual(512);
    expect(many().reduce((n, x) => n + x.workersOmitted, 0)).toBeGreaterThanOrEqual(100 + 64 * 8 - 512);
    // 128 queues (a connection's bound; more are not watched): the subscribe reply sends fewer points each.
    const id = last!.connections[0]!.id;
    for (let i = 0; i < 300; i++) engine.watch(id, `extra${i}`);
    const snap = engine.snapshot(false);
    expect(snap.queues.length).toBe(128);
    const points = Math.max(...Object.values(snap.history).map((h) => h.t.length));
    expect(points).toBeLessThanOrEqual(Math.floor(400_000 / (128 * 19)));
    expect(JSON.stringify(snap).length).toBeLessThan(8 * 1024 * 1024);
    for (let i = 0; i < 300; i++) engine.unwatch(id, `extra${i}`);
    r.disconnect();
  });

  it('watches a read-only replica without gaps (the workers-set trim is left to the primary)', async () => {
    const replica = await startRedis();
    const r = new Redis(replica.port, '127.0.0.1');
    try {
      await r.call('REPLICAOF', '127.0.0.1', String(redis.port));
      await until(async () => /master_link_status:up/.test(await r.info('replication')), {
        message: 'replica in sync',
      });
      const c = await engine.connect({ url: replica.url, save: false });
      const onReplica = () => last?.queues.find((x) => x.connectionId === c.id && x.name === 'found');
      await until(() => onReplica()?.ok, { message: 'replica polled' });
      const key = onReplica()!.key;
      // A job finished on the primary is sampled on the replica (SORT_RO: SORT is refused there).
      const connection = { host: '127.0.0.1', port: redis.port };
      const before = onReplica()!.counts.completed;
      const q = new Queue('found', { connection });
      await q.add('noop', {});
      const w = new Worker('found', async () => 1, { connection });
      await until(() => onReplica()!.counts.completed === before + 1 && onReplica()!.ok, {
        message: 'completion seen on the replica',
      });
      await w.close();
      await q.close();
      // Past a trim tick (every 10th): still no gap.
      const n0 = engine.snapshot(false).history[key]!.t.length;
      await until(() => engine.snapshot(false).history[key]!.t.length >= n0 + 12, {
        message: '12 more ticks',
      });
      expect(engine.snapshot(false).history[key]!.waiting.every((v) => v !== null)).toBe(true);
      await engine.disconnect(c.id, true);
    } finally {
      r.disconnect();
      await replica.stop();
    }
  });

  it('sends no tick while it watches nothing (an empty tick woke every window each second)', async () => {
    const seen: QueuesTick[] = [];
    const idle = new QueuesEngine({ dataDir: null, intervalMs: 100, onTick: (t) => void seen.push(t) });
    await idle.start();
    try {
      // The shared engine (200 ms, connected) ticks 4 times: the idle one would have ticked ~8.
      const n0 = tickCount;
      await until(() => tickCount >= n0 + 4, { message: '4 ticks of the watching engine' });
      expect(seen.filter((t) => t.reason === 'tick')).toEqual([]);
      // Watching a connection it ticks; the last one gone, a change says so and the ticks stop.
      const c = await idle.connect({ url: redis.url, save: false });
      await until(() => seen.filter((t) => t.reason === 'tick').length >= 2, {
        message: 'ticks while connected',
      });
      await idle.disconnect(c.id, false);
      await until(() => seen.at(-1)?.reason === 'change' && seen.at(-1)?.connections.length === 0, {
        message: 'change with no connections',
      });
      const after = seen.length;
      const m0 = tickCount;
      await until(() => tickCount >= m0 + 4, {
        message: '4 more ticks of the watching engine',
      });
      expect(seen.slice(after).filter((t) => t.reason === 'tick')).toEqual([]);
    } finally {
      await idle.stop();
    }
  });
});
