/**
 * The dashboard's side of the queues benchmark, driving the engine's poller (QueuesEngine, no
 * Core) against a private Redis:
 * - `dashboardCommandsPerQueuePerSec`: Redis commands the engine adds per watched queue per
 *   second at a 1 s tick, from INFO commandstats deltas (which count commands run inside scripts;
 *   the INFO calls themselves are left out). Idle cases: 10 s with nothing else on the server.
 *   Under load (~2,000 jobs/s through two `spindle worker` processes), workers and producer are
 *   frozen (SIGSTOP, producer paused) right before one tick, so the delta over that tick is the
 *   dashboard's alone while the queue holds what a second of load left (the finished jobs the
 *   latency sample reads); the per-tick CLIENT LIST and the 5-s SCAN are in the idle figures.
 * - `streamRead`: the poll script's time (Redis's own `usec` from INFO commandstats) with 10,000
 *   unread entries on the queue's events stream, as after a busy second, against the same poll
 *   with none unread, rounds alternating; the stream read is the part of a poll that grows with
 *   throughput (it counts jobs removed on completion).
 * - `countLatencyP95Ms`: from a job's `finishedOn` to the first tick (what a subscribed client is
 *   pushed) whose completed count includes it.
 */
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueuesTick } from '../src/shared/contract';
import { QueuesEngine } from '../src/main/core/queues/queues-engine';
import { pollQueue } from '../src/main/core/queues/poll-script';
import type { TestRedis } from '../src/test-utils/redis-server';
import { until } from '../src/test-utils/until';

/** Sum of `calls` over INFO commandstats, without INFO itself. */
export async function commandCalls(client: Redis): Promise<number> {
  const text = await client.info('commandstats');
  let n = 0;
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') n += Number(m[2]);
  return n;
}

/** Redis's own time (µs) in scripts so far, from INFO commandstats. */
async function scriptUsec(client: Redis): Promise<number> {
  const text = await client.info('commandstats');
  let n = 0;
  for (const m of text.matchAll(/^cmdstat_(evalsha|eval):calls=\d+,usec=(\d+)/gm)) n += Number(m[2]);
  return n;
}

/** The poll script's time with 10,000 unread events-stream entries against none, `rounds` each, medians (µs). */
export async function streamReadCost(
  client: Redis,
  rounds = 15,
): Promise<{ unread10kUs: number; noneUnreadUs: number; ratio: number }> {
  const q = 'd-stream';
  const key = `bull:${q}:events`;
  const pipe = client.pipeline();
  for (let i = 0; i < 10_000; i++)
    pipe.xadd(key, '*', 'event', i % 2 ? 'completed' : 'active', 'jobId', String(i), 'prev', 'waiting');
  await pipe.exec();
  const newest = ((await client.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]![0];
  const cursors = (events: string) => ({ completed: '0', failed: '0', events });
  const poll = async (events: string): Promise<number> => {
    const a = await scriptUsec(client);
    const r = await pollQueue(client, {
      prefix: 'bull',
      queue: q,
      cursors: cursors(events),
      trimBefore: 0,
      maxReports: 256,
    });
    const b = await scriptUsec(client);
    if (events === '0-0' && r.completed.n !== 5000) throw new Error(`counted ${r.completed.n} of 5000`);
    return b - a;
  };
  await poll(newest); // loads the script
  const unread: number[] = [];
  const none: number[] = [];
  for (let i = 0; i < rounds; i++) {
    unread.push(await poll('0-0'));
    none.push(await poll(newest));
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const u = median(unread);
  const n = median(none);
  return { unread10kUs: u, noneUnreadUs: n, ratio: Math.round((u / n) * 10) / 10 };
}

/** An engine polling `url` every second, with a way to wait for its next tick. */
export async function startEngine(url: string): Promise<{
  engine: QueuesEngine;
  connectionId: string;
  nextTick(): Promise<QueuesTick>;
  last(): QueuesTick | null;
  stop(): Promise<void>;
}> {
  let last: QueuesTick | null = null;
  const waiters: ((t: QueuesTick) => void)[] = [];
  const engine = new QueuesEngine({
    dataDir: null,
    intervalMs: 1000,
    onTick: (tick) => {
      if (tick.reason !== 'tick') return;
      last = tick;
      for (const w of waiters.splice(0)) w(tick);
    },
  });
  await engine.start();
  const conn = await engine.connect({ url, save: false });
  return {
    engine,
    connectionId: conn.id,
    nextTick: () => new Promise((r) => waiters.push(r)),
    last: () => last,
    stop: () => engine.stop(),
  };
}

/** Commands per second per queue over `ticks` ticks of an engine watching `queues` queues, nothing else running. */
export async function idleCost(url: string, client: Redis, queues: string[], ticks = 10): Promise<number> {
  const e = await startEngine(url);
  try {
    for (const q of queues) e.engine.watch(e.connectionId, q);
    // Let discovery and the first polls settle, then count over whole ticks.
    await until(() => e.last()?.queues.length === queues.length, { timeout: 60_000 });
    await e.nextTick();
    const a = await commandCalls(client);
    const t0 = performance.now();
    for (let i = 0; i < ticks; i++) await e.nextTick();
    const b = await commandCalls(client);
    return (b - a) / ((performance.now() - t0) / 1000) / queues.length;
  } finally {
    await e.stop();
  }
}

/** A producer adding `rate` noop jobs per second in batches every 100 ms; stop() waits for the batch in flight. */
export function startProducer(q: Queue, rate: number): { stop(): Promise<void>; start(): void } {
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  const batch = Math.max(1, Math.round(rate / 10));
  const loop = (): void => {
    if (!running) return;
    const t = performance.now();
    inFlight = q.addBulk(Array.from({ length: batch }, () => ({ name: 'noop', data: {} }))).finally(() => {
      if (running) timer = setTimeout(loop, Math.max(0, 100 - (performance.now() - t)));
    });
  };
  return {
    start: () => {
      running = true;
      loop();
    },
    stop: async () => {
      running = false;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}

/** Dashboard commands per queue for one tick taken with load frozen right before it; `rounds` ticks, median. */
export async function loadedCost(
  url: string,
  client: Redis,
  queue: string,
  workers: ChildProcess[],
  rounds = 5,
): Promise<{ perQueuePerSec: number; jobsPerSec: number; samples: number[] }> {
  const q = new Queue(queue, { connection: client });
  const producer = startProducer(q, 2000);
  const e = await startEngine(url);
  const samples: number[] = [];
  const rates: number[] = [];
  try {
    e.engine.watch(e.connectionId, queue);
    producer.start();
    for (let r = 0; r < rounds; r++) {
      // A second and a half of load, with the engine ticking through it as it would.
      const c0 = await q.getCompletedCount();
      const t0 = performance.now();
      await e.nextTick();
      await new Promise((res) => setTimeout(res, 500));
      rates.push(((await q.getCompletedCount()) - c0) / ((performance.now() - t0) / 1000));
      // Freeze everything but the dashboard, then count exactly one tick of it.
      await producer.stop();
      for (const w of workers) w.kill('SIGSTOP');
      await new Promise((res) => setTimeout(res, 50)); // replies already on the wire land
      const a = await commandCalls(client);
      const t1 = performance.now();
      await e.nextTick();
      const b = await commandCalls(client);
      samples.push((b - a) / Math.max(1, (performance.now() - t1) / 1000));
      for (const w of workers) w.kill('SIGCONT');
      producer.start();
    }
  } finally {
    await producer.stop();
    for (const w of workers) w.kill('SIGCONT');
    await e.stop();
    await q.close();
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { perQueuePerSec: median(samples), jobsPerSec: median(rates), samples };
}

/**
 * Adds `n` waiting noop jobs in BullMQ's key layout with a server-side script, 50,000 per call:
 * BullMQ's addBulk takes ~150 s for a million on this machine, this a few seconds. Each job is a
 * hash like BullMQ's own (name, data, opts, timestamp, delay, priority, atm) and its id goes on
 * the wait list, so workers take these jobs as they take any other.
 */
const FILL = `
local base, n, now = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local first = redis.call('INCRBY', base .. 'id', n) - n
for i = first + 1, first + n do
  redis.call('HSET', base .. i, 'name', 'noop', 'data', '{}', 'opts', '{"attempts":0}', 'timestamp', now,
    'delay', '0', 'priority', '0', 'atm', '0')
  redis.call('LPUSH', base .. 'wait', i)
end
return first + n`;

/** `n` waiting noop jobs in queue `name` (prefix bull); the queue is paused first when `paused`. */
export async function fillQueue(client: Redis, name: string, n: number, paused = true): Promise<Queue> {
  const q = new Queue(name, { connection: client });
  await q.waitUntilReady();
  if (paused) await q.pause();
  else await q.resume(); // writes the meta key, so discovery finds the queue
  const CHUNK = 50_000;
  for (let i = 0; i < n; i += CHUNK)
    await client.eval(FILL, 0, `bull:${name}:`, String(Math.min(CHUNK, n - i)), String(Date.now()));
  return q;
}

/** p95 of finishedOn -> first tick whose completed count includes the job, over `samples` jobs. */
export async function countLatency(
  redis: TestRedis,
  client: Redis,
  queue: string,
  samples = 30,
): Promise<{ p50: number; p95: number; max: number; n: number }> {
  const q = new Queue(queue, { connection: client });
  const e = await startEngine(redis.url);
  const lat: number[] = [];
  try {
    e.engine.watch(e.connectionId, queue);
    const key = `${e.connectionId}/${queue}`;
    const completedIn = (t: QueuesTick): number =>
      t.queues.find((s) => s.key === key)?.counts.completed ?? -1;
    await until(() => e.last() && completedIn(e.last()!) >= 0, { timeout: 30_000 });
    for (let i = 0; i < samples; i++) {
      // A job finishing at a moment unrelated to the tick: a sleep of 0..999 ms.
      const job = await q.add('sleep', { ms: Math.floor(Math.random() * 1000) });
      const target = i + 1;
      let seenAt = 0;
      await until(
        async () => {
          const t = await e.nextTick();
          if (completedIn(t) >= target) seenAt = Date.now();
          return seenAt;
        },
        { timeout: 30_000, interval: 0 },
      );
      const finishedOn = (await q.getJob(job.id!))?.finishedOn ?? NaN;
      lat.push(seenAt - finishedOn);
    }
  } finally {
    await e.stop();
    await q.close();
  }
  const s = [...lat].sort((a, b) => a - b);
  const pct = (p: number): number => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { p50: pct(50), p95: pct(95), max: s[s.length - 1]!, n: s.length };
}
