/**
 * Pools benchmark, side by side in one run:
 * - dispatch: trivial tasks through Spindle's pool (stats on) against piscina for threads
 *   (and bare worker_threads echoing, 16 messages in flight per thread) and a bare
 *   child_process IPC loop for processes (same messages in flight per child), 2 workers each;
 * - speed-up: the gcd batch on 2 workers against the same batch serially.
 * Writes bench/results/pools.json.
 */
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { poolOptions, type PoolKind } from '../src/shared/contract/pools';
import { openWith } from '../src/main/core/pools/channel';
import { Pool } from '../src/main/core/pools/pool';
import { HelperClient } from '../src/main/core/supervisor/helper-client';
import { timePool, timeSerial } from '../src/main/core/pools/speedup-lab';

const TASKS = 100_000;
const ROUNDS = 3;
const IN_FLIGHT = 16;

interface Row {
  kind: PoolKind;
  library: string;
  rawTasksPerSec: number;
  spindleTasksPerSec: number;
  ratio: number;
  speedup2Workers: number;
  /** Threads: bare worker_threads echoing messages, IN_FLIGHT per thread (the mechanism Spindle's thread pool sits on). */
  bareTasksPerSec?: number;
  bareRatio?: number;
}

/** Worker processes start through a supervisor helper and talk over a socket, as in the app. */
let helper: HelperClient | null = null;

async function spindleRate(kind: PoolKind, n: number): Promise<number> {
  const pool = new Pool(
    'bench',
    'bench',
    poolOptions.parse({ kind, size: 2, maxQueue: n }),
    openWith(helper?.launcher),
  );
  await pool.whenReady();
  try {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) pool.submit({ kind: 'noop' }, i);
    await pool.whenIdle();
    const ms = performance.now() - t0;
    pool.closeTick(); // stats are on: close a tick as the engine would
    if (pool.stats.completed !== n) throw new Error(`only ${pool.stats.completed}/${n} completed`);
    return n / (ms / 1000);
  } finally {
    pool.terminate();
  }
}

async function piscinaRate(dir: string, n: number): Promise<number> {
  const file = join(dir, 'noop.mjs');
  writeFileSync(file, 'export default (x) => x;\n');
  const pool = new Piscina({ filename: pathToFileURL(file).href, minThreads: 2, maxThreads: 2 });
  try {
    await Promise.all([pool.run(0), pool.run(1)]);
    const t0 = performance.now();
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) all.push(pool.run(i));
    await Promise.all(all);
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await pool.destroy();
  }
}

/** An echo peer: something to post a message to and hear its replies from. */
interface Echo {
  post(m: unknown): void;
  onReply(fn: () => void): void;
}

/** Messages per second through `peers`, IN_FLIGHT outstanding per peer, n in all. */
async function echoRate(peers: Echo[], n: number): Promise<number> {
  const t0 = performance.now();
  let sent = 0;
  await Promise.all(
    peers.map(
      (peer) =>
        new Promise<void>((resolve) => {
          let outstanding = 0;
          const pump = (): void => {
            while (outstanding < IN_FLIGHT && sent < n) {
              peer.post({ id: sent++, s: { kind: 'noop' }, i: sent });
              outstanding++;
            }
            if (outstanding === 0) resolve();
          };
          peer.onReply(() => {
            outstanding--;
            pump();
          });
          pump();
        }),
    ),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** Two bare children echoing messages: the floor under Spindle's process pool. */
async function rawIpcRate(dir: string, n: number): Promise<number> {
  const file = join(dir, 'echo.mjs');
  writeFileSync(
    file,
    "process.on('message', (m) => process.send(m));\nprocess.on('disconnect', () => process.exit(0));\n",
  );
  const kids = [fork(file), fork(file)];
  try {
    await Promise.all(kids.map((k) => new Promise<void>((r) => k.once('spawn', () => r()))));
    return await echoRate(
      kids.map((k) => ({ post: (m) => k.send(m as object), onReply: (fn) => k.on('message', fn) })),
      n,
    );
  } finally {
    for (const k of kids) k.kill();
  }
}

/** Two bare worker threads echoing messages: the floor under Spindle's thread pool. */
async function rawThreadsRate(n: number): Promise<number> {
  const code =
    "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));";
  const workers = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  try {
    await Promise.all(workers.map((w) => new Promise<void>((r) => w.once('online', () => r()))));
    return await echoRate(
      workers.map((w) => ({ post: (m) => w.postMessage(m), onReply: (fn) => w.on('message', fn) })),
      n,
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Serial then 2 workers, back to back, a few times; the median of the paired ratios, so a
 * burst of background load skews one pair rather than the figure.
 */
async function pairedSpeedup(kind: PoolKind): Promise<number> {
  const ratios: number[] = [];
  // 10 rounds of the 10 pairs (~1 s serially): long enough that start-up jitter and the
  // machine's noise do not swamp the figure.
  for (let i = 0; i < 7; i++) {
    const serial = await timeSerial(10);
    ratios.push(serial / (await timePool(kind, 2, 10, undefined, helper?.launcher)));
  }
  return ratios.sort((a, b) => a - b)[3]!;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spindle-bench-pools-'));
  const rows: Row[] = [];
  helper = new HelperClient({ cgroups: false });
  try {
    for (const kind of ['threads', 'processes'] as const) {
      const n = kind === 'threads' ? TASKS : TASKS / 2;
      // Interleave raw and Spindle rounds so background load hits both alike; best of each.
      let raw = 0;
      let spindle = 0;
      let bare = 0;
      for (let r = 0; r < ROUNDS; r++) {
        raw = Math.max(raw, kind === 'threads' ? await piscinaRate(dir, n) : await rawIpcRate(dir, n));
        if (kind === 'threads') bare = Math.max(bare, await rawThreadsRate(n));
        spindle = Math.max(spindle, await spindleRate(kind, n));
      }
      const speedup = await pairedSpeedup(kind);
      rows.push({
        kind,
        library:
          kind === 'threads'
            ? 'piscina 5 (2 threads)'
            : `child_process IPC (2 children, ${IN_FLIGHT} in flight each)`,
        rawTasksPerSec: Math.round(raw),
        spindleTasksPerSec: Math.round(spindle),
        ratio: Math.round((spindle / raw) * 100) / 100,
        speedup2Workers: Math.round(speedup * 100) / 100,
        ...(bare
          ? { bareTasksPerSec: Math.round(bare), bareRatio: Math.round((spindle / bare) * 100) / 100 }
          : {}),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await helper.close();
    helper = null;
  }
  console.log('\npools: trivial-task dispatch (2 workers) and gcd batch speed-up (2 workers vs serial)');
  console.table(rows);
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'pools.json'), JSON.stringify(rows, null, 2) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run();
