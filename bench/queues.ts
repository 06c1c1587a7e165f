/**
 * Queues benchmark (issue #14, point 12), one run on a private Redis (the dashboard's half is
 * described in queues-dashboard.ts):
 * - throughput: jobs/s through two `spindle worker` processes (the build's out/main/cli.js,
 *   concurrency 8, the trivial `noop` job, host reports on) against two bare BullMQ Worker
 *   processes with the same settings (bench/queues-bare-worker.mjs), rounds alternating;
 *   `ratio` = spindle / bare (medians), target >= 0.9; the workers' CPU time per job; and
 *   `sideBySideRatio`, both groups at once on their own queues (load-robust, see sideBySide).
 * Writes bench/results/queues.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../src/test-utils/redis-server';
import { until } from '../src/test-utils/until';
import { countLatency, fillQueue, idleCost, loadedCost, streamReadCost } from './queues-dashboard';
import { writeResult } from './results';

const JOBS = 20_000;
const ROUNDS = Number(process.env.QB_ROUNDS ?? 3);
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on Linux). */
const CLK_TCK = 100;
const WORKERS = 2;
const CONCURRENCY = 8;

const CLI = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
const BARE = fileURLToPath(new URL('./queues-bare-worker.mjs', import.meta.url));

type Kind = 'spindle' | 'bare';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (v: number, digits = 0): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Start one worker process and wait for the line it prints once connected. */
async function startWorker(kind: Kind, url: string, queue: string, extra?: string[]): Promise<ChildProcess> {
  const args =
    kind === 'spindle'
      ? [
          CLI,
          'worker',
          '--redis',
          url,
          '--queue',
          queue,
          '--concurrency',
          String(CONCURRENCY),
          ...(extra ?? ['--workload', 'noop']),
        ]
      : [BARE, url, queue, String(CONCURRENCY)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`${kind} worker exited: ${out}`);
      return /^(ready|spindle worker \S+: queue)/m.test(out);
    },
    { timeout: 60_000, message: `${kind} worker ready` },
  );
  return child;
}

/** CPU time (user + system) a process has used so far, in ms; null when /proc cannot tell. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

/** A paused queue holding JOBS noop jobs, and WORKERS processes of one kind connected to it. */
async function prepare(
  kind: Kind,
  redis: TestRedis,
  client: Redis,
  name: string,
): Promise<{ q: Queue; workers: ChildProcess[] }> {
  const q = new Queue(name, { connection: client });
  await q.pause();
  for (let i = 0; i < JOBS; i += 1000)
    await q.addBulk(
      Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({ name: 'noop', data: { item: i + k } })),
    );
  const workers: ChildProcess[] = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(kind, redis.url, name));
  return { q, workers };
}

async function teardown(p: { q: Queue; workers: ChildProcess[] }): Promise<void> {
  await Promise.all(p.workers.map(stopWorker));
  await p.q.obliterate({ force: true });
  await p.q.close();
}

/**
 * Both kinds at once, each on its own queue, so both see the same machine and the same Redis
 * at every moment: the ratio of their completions when the first group is done does not move
 * with the load of the shared machine the way two runs one after another do.
 */
async function sideBySide(
  redis: TestRedis,
  client: Redis,
  round: number,
  kinds: [Kind, Kind] = ['spindle', 'bare'],
): Promise<number> {
  // Who is set up (and resumed) first alternates with the round.
  const swap = round % 2 === 1;
  const [first, second] = swap ? [kinds[1], kinds[0]] : kinds;
  const p1 = await prepare(first, redis, client, `sbs-${round}-a-${first}`);
  const p2 = await prepare(second, redis, client, `sbs-${round}-b-${second}`);
  const [s, b] = swap ? [p2, p1] : [p1, p2];
  try {
    await Promise.all([s.q.resume(), b.q.resume()]);
    const [cs, cb] = await until(
      async () => {
        const c = await Promise.all([s.q.getCompletedCount(), b.q.getCompletedCount()]);
        return Math.max(...c) >= JOBS ? c : null;
      },
      { timeout: 300_000, interval: 20, message: 'side by side: one group done' },
    );
    return cs / cb;
  } finally {
    await teardown(s);
    await teardown(b);
  }
}

/**
 * Jobs/s of WORKERS processes of one kind draining JOBS noop jobs. The queue is paused while the
 * jobs are added and the workers connect, so the clock covers only the drain with all of them up.
 */
async function throughput(
  kind: Kind,
  redis: TestRedis,
  client: Redis,
  name: string,
): Promise<{ rate: number; cpuMsPerJob: number | null }> {
  const p = await prepare(kind, redis, client, name);
  try {
    const cpu0 = p.workers.map((w) => cpuMs(w.pid));
    const t0 = performance.now();
    await p.q.resume();
    await until(async () => (await p.q.getCompletedCount()) >= JOBS, {
      timeout: 300_000,
      interval: 20,
      message: `${kind}: ${JOBS} completed`,
    });
    const rate = JOBS / ((performance.now() - t0) / 1000);
    const cpu1 = p.workers.map((w) => cpuMs(w.pid));
    const used = cpu1.map((c, i) => (c === null || cpu0[i] === null ? NaN : c - cpu0[i]!));
    const total = used.reduce((a, b) => a + b, 0);
    const c = await p.q.getJobCounts('completed', 'failed', 'active', 'waiting');
    if (c.completed !== JOBS || c.failed || c.active || c.waiting)
      throw new Error(`${kind}: counts ${JSON.stringify(c)}`);
    return { rate, cpuMsPerJob: Number.isFinite(total) ? total / JOBS : null };
  } finally {
    await teardown(p);
  }
}

/** The engine's cost per watched queue in each case, and the completion-to-count latency. */
async function dashboardFigures(
  redis: TestRedis,
  client: Redis,
): Promise<{ commands: Record<string, unknown>; latency: Awaited<ReturnType<typeof countLatency>> }> {
  const url = redis.url;
  const commands: Record<string, unknown> = {};
  const fresh = async (): Promise<void> => void (await client.flushall());
  const log = (k: string): void => console.log(`  dashboard ${k}: ${JSON.stringify(commands[k])}`);

  await fresh();
  await (await fillQueue(client, 'd-idle', 10)).close();
  commands.idle1Queue10Waiting = round(await idleCost(url, client, ['d-idle']), 2);
  log('idle1Queue10Waiting');

  await fresh();
  await (await fillQueue(client, 'd-idle', 1_000_000)).close();
  commands.idle1Queue1MWaiting = round(await idleCost(url, client, ['d-idle']), 2);
  log('idle1Queue1MWaiting');

  await fresh();
  const names = Array.from({ length: 100 }, (_, i) => `d-idle-${i}`);
  for (const n of names) await (await fillQueue(client, n, 10)).close();
  commands.idle100Queues10Waiting = round(await idleCost(url, client, names), 2);
  log('idle100Queues10Waiting');

  for (const [key, waiting] of [
    ['load2000PerSec10Waiting', 10],
    ['load2000PerSec1MWaiting', 1_000_000],
  ] as const) {
    await fresh();
    await (await fillQueue(client, 'd-load', waiting, false)).close();
    const workers = [
      await startWorker('spindle', url, 'd-load'),
      await startWorker('spindle', url, 'd-load'),
    ];
    try {
      const r = await loadedCost(url, client, 'd-load', workers);
      commands[key] = {
        perQueuePerSec: round(r.perQueuePerSec, 2),
        jobsPerSecMeasured: round(r.jobsPerSec),
        samples: r.samples.map((v) => round(v, 2)),
      };
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
    log(key);
  }

  await fresh();
  commands.streamRead = await streamReadCost(client);
  log('streamRead');

  await fresh();
  const worker = await startWorker('spindle', url, 'd-lat', ['--workload', 'sleep']);
  try {
    const latency = await countLatency(redis, client, 'd-lat');
    console.log(`  countLatency: ${JSON.stringify(latency)}`);
    return { commands, latency };
  } finally {
    await stopWorker(worker);
  }
}

/** Run the benchmark and write bench/results/queues.json. */
export async function run(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  try {
    const rates: Record<Kind, number[]> = { spindle: [], bare: [] };
    const cpu: Record<Kind, number[]> = { spindle: [], bare: [] };
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate who goes first, so a slow spell of the shared machine does not favour one kind.
      const order: Kind[] = r % 2 ? ['bare', 'spindle'] : ['spindle', 'bare'];
      for (const kind of order) {
        const m = await throughput(kind, redis, client, `tp-${kind}-${r}`);
        rates[kind].push(m.rate);
        if (m.cpuMsPerJob !== null) cpu[kind].push(m.cpuMsPerJob);
        console.log(
          `  ${kind} round ${r + 1}: ${round(m.rate)} jobs/s, ${round(m.cpuMsPerJob ?? NaN, 4)} worker CPU ms/job`,
        );
      }
    }
    const sbs: number[] = [];
    const calib: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      sbs.push(await sideBySide(redis, client, r));
      console.log(`  side by side round ${r + 1}: spindle/bare completions ${round(sbs[r]!, 3)}`);
      calib.push(await sideBySide(redis, client, r, ['bare', 'bare']));
      console.log(`  calibration round ${r + 1}: bare/bare completions ${round(calib[r]!, 3)}`);
    }
    const spindle = median(rates.spindle);
    const bare = median(rates.bare);
    const throughputResult = {
      jobs: JOBS,
      workers: WORKERS,
      concurrency: CONCURRENCY,
      workload: 'noop',
      rounds: ROUNDS,
      spindleJobsPerSec: round(spindle),
      bareJobsPerSec: round(bare),
      /** Median of one-after-another rounds: spindle jobs/s over bare jobs/s. */
      ratio: round(spindle / bare, 3),
      target: 0.9,
      /** Both groups running at once on their own queues: spindle completions / bare completions when one is done (median). */
      sideBySideRatio: round(median(sbs), 3),
      sideBySideRounds: sbs.map((v) => round(v, 3)),
      /** The same method with bare against bare: how far from 1 the method itself strays on this machine now. */
      calibrationBareVsBare: calib.map((v) => round(v, 3)),
      /** Worker processes' CPU time per job (user + system, both processes): what the machine's load does not skew. */
      spindleCpuMsPerJob: cpu.spindle.length ? round(median(cpu.spindle), 4) : null,
      bareCpuMsPerJob: cpu.bare.length ? round(median(cpu.bare), 4) : null,
      allRounds: { spindle: rates.spindle.map((v) => round(v)), bare: rates.bare.map((v) => round(v)) },
    };
    console.log(
      `  throughput: spindle ${round(spindle)} jobs/s, bare ${round(bare)} jobs/s, ratio ${throughputResult.ratio}`,
    );
    const dashboard = await dashboardFigures(redis, client);
    writeResult('queues', {
      when: new Date().toISOString(),
      throughput: throughputResult,
      dashboardCommandsPerQueuePerSec: dashboard.commands,
      dashboardTarget: 20,
      countLatencyP95Ms: dashboard.latency.p95,
      countLatency: dashboard.latency,
    });
  } finally {
    await client.quit();
    await redis.stop();
  }
}
