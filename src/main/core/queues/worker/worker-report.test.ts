/**
 * What a running `spindle worker` shows the engine: its host report under the agreed keys, joined
 * by id with BullMQ's own worker list, and the built-in workloads in every mode (in-process,
 * sandboxed processes and threads, a user's module).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../../test-utils/redis-server';
import { spawnWorker, type WorkerProcess } from '../../../../test-utils/spindle-worker';
import { until } from '../../../../test-utils/until';
import { reportKeys, type WorkerReport } from './host-reporter';

let redis: TestRedis;
let client: Redis;
let dir: string;
const spawned: WorkerProcess[] = [];
const closers: { close(): Promise<void> }[] = [];

const start = async (args: string[]): Promise<WorkerProcess> => {
  const w = await spawnWorker(['--redis', redis.url, ...args]);
  spawned.push(w);
  return w;
};
const queue = (name: string): Queue => {
  const q = new Queue(name, { connection: client });
  closers.push(q);
  return q;
};
const stop = async (w: WorkerProcess): Promise<void> => {
  w.child.kill('SIGTERM');
  expect(await w.exited).toBe(0);
};

beforeAll(async () => {
  redis = await startRedis({ password: 'sec ret' });
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  dir = mkdtempSync(join(tmpdir(), 'spindle-qw-'));
});
afterAll(async () => {
  for (const w of spawned)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  for (const c of closers) await c.close();
  await client.quit();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('spindle worker reports and workloads', () => {
  it('reports its host every second under the agreed keys, joined with BullMQ by id; never prints the password', async () => {
    const q = queue('rep');
    const w = await start(['--queue', 'rep', '--concurrency', '3', '--name', 'rep-1']);
    expect(w.id).toBe(`${(await import('node:os')).hostname()}:${w.child.pid}:rep-1`);
    expect(w.output()).toContain('redis://:***@127.0.0.1:');
    expect(w.output()).not.toContain('sec');
    const keys = reportKeys('bull', 'rep', w.id);
    await q.add('sleep', { ms: 5000 });
    const r = await until(
      async () => {
        const raw = await client.get(keys.key);
        const rep = raw ? (JSON.parse(raw) as WorkerReport) : null;
        return rep && rep.active.length === 1 && rep.cpuBusyPct !== null ? rep : null;
      },
      { message: 'a report with the active job and a CPU reading' },
    );
    expect(r).toMatchObject({
      v: 1,
      id: w.id,
      name: 'rep-1',
      pid: w.child.pid,
      concurrency: 3,
      processed: 0,
      failed: 0,
    });
    expect(r.active[0]).toMatchObject({ name: 'sleep' });
    expect(r.cores).toBeGreaterThan(0);
    expect(r.cpuBusyPct).toBeGreaterThanOrEqual(0);
    expect(r.load).toHaveLength(3);
    expect(r.memUsedBytes).toBeGreaterThan(0);
    expect(r.memTotalBytes).toBeGreaterThan(r.memUsedBytes!);
    expect(r.reportedAt).toBeGreaterThanOrEqual(r.startedAt);
    expect(await client.pttl(keys.key)).toBeGreaterThan(0);
    expect(Number(await client.zscore(keys.set, w.id))).toBeGreaterThan(0);
    // Reports keep coming: a later one has a later timestamp.
    await until(
      async () =>
        (JSON.parse((await client.get(keys.key)) ?? '{}') as WorkerReport).reportedAt > r.reportedAt,
    );
    // BullMQ lists the connection as `rawname` = `<its client name>:w:<worker name>`.
    const names = (await q.getWorkers()).map((x) => x.rawname?.split(':w:').slice(1).join(':w:'));
    expect(names).toContain(w.id);
    await stop(w);
  }, 60_000);

  for (const mode of ['in-process', 'processes', 'threads'] as const) {
    it(`runs the built-in workloads by job name (${mode}): gcd and noop complete, fail and crash fail`, async () => {
      const name = `wl-${mode}`;
      const q = queue(name);
      const events = new QueueEvents(name, { connection: { url: redis.url } });
      closers.push(events);
      await events.waitUntilReady();
      const sandbox = mode === 'in-process' ? [] : ['--sandboxed', mode];
      const w = await start(['--queue', name, '--concurrency', '2', ...sandbox]);
      const gcd = await q.add('gcd', { item: 3 });
      const noop = await q.add('noop', { item: 7 });
      const fail = await q.add('fail', {});
      const unknown = await q.add('nope', {});
      expect(await gcd.waitUntilFinished(events, 30_000)).toBe(1);
      expect(await noop.waitUntilFinished(events, 30_000)).toBe(7);
      await expect(fail.waitUntilFinished(events, 30_000)).rejects.toThrow('fail workload');
      await expect(unknown.waitUntilFinished(events, 30_000)).rejects.toThrow(/unknown workload "nope"/);
      if (mode !== 'in-process') {
        // Sandboxed, a crash ends only the child or thread: the job fails, the worker goes on.
        const crash = await q.add('crash', {});
        await expect(crash.waitUntilFinished(events, 30_000)).rejects.toThrow(/70/);
        expect(await (await q.add('noop', { item: 8 })).waitUntilFinished(events, 30_000)).toBe(8);
      }
      await stop(w);
    }, 60_000);
  }

  it('--workload forces one workload for every job; --module runs a user processor, sandboxed too', async () => {
    const mod = join(dir, 'double.mjs');
    writeFileSync(mod, 'export default async (job) => job.data.item * 2;\n');
    const q = queue('mod');
    const events = new QueueEvents('mod', { connection: { url: redis.url } });
    closers.push(events);
    await events.waitUntilReady();
    for (const sandbox of [[], ['--sandboxed', 'processes']]) {
      const w = await start(['--queue', 'mod', '--module', mod, ...sandbox]);
      expect(await (await q.add('anything', { item: 21 })).waitUntilFinished(events, 30_000)).toBe(42);
      await stop(w);
    }
    const f = await start(['--queue', 'mod', '--workload', 'noop']);
    expect(await (await q.add('fail', { item: 5 })).waitUntilFinished(events, 30_000)).toBe(5);
    await stop(f);
  }, 60_000);
});
