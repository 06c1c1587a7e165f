/**
 * Spawn cost on the main loop: start 200 short processes (`true`) directly with
 * child_process.spawn from this thread, and through the supervisor helper, side by side,
 * with a small and a large heap in this process (fork's cost grows with the parent's
 * memory). Reports the main-loop stall p99 (perf_hooks.monitorEventLoopDelay) and spawns
 * per second. Writes bench/results/spawn.json; the headline figures are the helper's with
 * the large heap, which is Spindle's real situation. Each figure is the median of ROUNDS
 * interleaved runs; `load1` records how busy the machine was.
 *
 * The `pool-*` rows start pool worker processes (a Node child each, until it says ready) the
 * two ways core can: forked from this process, and started by the helper (what core does since
 * issue #13 point 7). Fewer of them (POOL_SPAWNS, POOL_WINDOW at once): each is a Node start-up.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { forkEntry, type ChildLauncher } from '../src/main/core/launcher';
import { openChannel } from '../src/main/core/pools/channel';
import { HelperClient } from '../src/main/core/supervisor/helper-client';
import { resolveSpawn, type SpawnSpec } from '../src/main/core/supervisor/validate';
import { definitionInput } from '../src/shared/contract';

const SPAWNS = 200;
/** Processes in flight at once, the same for both ways. */
const WINDOW = 16;
const MB = 1024 * 1024;
const BALLAST_MB = [0, 400];
/** Rounds per configuration, interleaved; the median is reported (the machine is shared). */
const ROUNDS = 3;
/** Pool worker processes started per run, and at once. */
const POOL_SPAWNS = 12;
const POOL_WINDOW = 4;

interface Row {
  /** 'idle' is the noise floor: the same loop-delay probe with no spawning at all. */
  way: 'idle' | 'direct' | 'helper' | 'pool-direct' | 'pool-helper';
  heapMb: number;
  spawns: number;
  stallP99Ms: number;
  stallMaxMs: number;
  spawnsPerSec: number;
  /** Pool rows: the longest time one start held this thread inside the launcher's fork call. */
  forkCallMaxMs?: number;
}

/** Run `one` SPAWNS times with WINDOW in flight; measure loop delay and rate. */
async function measure(
  one: () => Promise<void>,
  spawns = SPAWNS,
  window = WINDOW,
): Promise<Omit<Row, 'way' | 'heapMb'>> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < spawns) {
      started++;
      // Give the loop a turn between spawns, as an app serving a UI would.
      await new Promise((r) => setImmediate(r));
      await one();
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  const ms = performance.now() - t0;
  h.disable();
  // No sample at all means the loop never got to its timer: the whole run was one stall.
  const round = (ns: number): number => Math.round((h.count ? ns / 1e6 : ms) * 100) / 100;
  return {
    spawns,
    stallP99Ms: round(h.percentile(99)),
    stallMaxMs: round(h.max),
    spawnsPerSec: Math.round((spawns / (ms / 1000)) * 10) / 10,
  };
}

/** Per-field median over rounds. */
function median(rs: Omit<Row, 'way' | 'heapMb'>[]): Omit<Row, 'way' | 'heapMb'> {
  const mid = (f: (r: (typeof rs)[number]) => number): number =>
    rs.map(f).sort((a, b) => a - b)[rs.length >> 1]!;
  return {
    spawns: rs[0]!.spawns,
    stallP99Ms: mid((r) => r.stallP99Ms),
    stallMaxMs: mid((r) => r.stallMaxMs),
    spawnsPerSec: mid((r) => r.spawnsPerSec),
  };
}

const direct = (): Promise<void> =>
  new Promise((resolve, reject) => {
    const c = spawn('true', [], { stdio: 'ignore' });
    c.once('error', reject);
    c.once('exit', () => resolve());
  });

function viaHelper(helper: HelperClient, spec: SpawnSpec): () => Promise<void> {
  const limits = { maxLineBytes: 16 * 1024, maxPendingLines: 100 };
  return () =>
    new Promise((resolve, reject) => {
      helper.spawn(spec, limits, { lines: () => {}, bytes: () => {}, exit: () => resolve() }).catch(reject);
    });
}

/**
 * Start one pool worker process through `launcher`, wait for its ready, end it and wait for its
 * exit. `calls` gets the ms this thread spent inside the start call (fork happens there when
 * it is done here).
 */
function poolWorker(launcher: ChildLauncher, calls: number[]): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const ch = openChannel('processes', {}, launcher);
      calls.push(performance.now() - t0);
      ch.onMessage((m) => {
        if (m.t === 'ready') ch.kill();
        else if (m.t === 'startFail') reject(new Error(m.error));
      });
      ch.onExit(() => resolve());
    });
}

export async function run(): Promise<void> {
  const def = { ...definitionInput.parse({ name: 'bench', stages: [{ command: 'true' }] }), id: 'bench' };
  const spec = await resolveSpawn(def);
  const helper = new HelperClient();
  const rows: Row[] = [];
  try {
    await viaHelper(helper, spec)(); // start and warm the helper
    for (const heapMb of BALLAST_MB) {
      // Touched memory, like a long-running Spindle's heap and history.
      const ballast = heapMb ? Buffer.alloc(heapMb * MB, 1) : null;
      const runs: Record<Row['way'], Omit<Row, 'way' | 'heapMb'>[]> = {
        idle: [],
        direct: [],
        helper: [],
        'pool-direct': [],
        'pool-helper': [],
      };
      const calls = { 'pool-direct': [] as number[], 'pool-helper': [] as number[] };
      for (let i = 0; i < ROUNDS; i++) {
        runs.idle.push(await measure(() => new Promise((r) => setTimeout(r, 40))));
        runs.direct.push(await measure(direct));
        runs.helper.push(await measure(viaHelper(helper, spec)));
        runs['pool-direct'].push(
          await measure(poolWorker({ fork: forkEntry }, calls['pool-direct']), POOL_SPAWNS, POOL_WINDOW),
        );
        runs['pool-helper'].push(
          await measure(poolWorker(helper.launcher, calls['pool-helper']), POOL_SPAWNS, POOL_WINDOW),
        );
      }
      for (const way of ['idle', 'direct', 'helper', 'pool-direct', 'pool-helper'] as const) {
        const m = median(runs[way]);
        const call = way === 'pool-direct' || way === 'pool-helper' ? calls[way] : null;
        rows.push({
          way,
          heapMb,
          ...m,
          ...(way === 'idle' ? { spawns: 0, spawnsPerSec: 0 } : {}),
          ...(call ? { forkCallMaxMs: Math.round(Math.max(...call) * 100) / 100 } : {}),
        });
      }
      if (ballast) ballast[0] = 2;
    }
  } finally {
    await helper.close();
  }
  console.table(rows);
  const head = rows.find((r) => r.way === 'helper' && r.heapMb === Math.max(...BALLAST_MB))!;
  const pick = ({ stallP99Ms, stallMaxMs, forkCallMaxMs }: Row): Partial<Row> => ({
    stallP99Ms,
    stallMaxMs,
    forkCallMaxMs,
  });
  const poolAt = (way: Row['way']): Row =>
    rows.find((r) => r.way === way && r.heapMb === Math.max(...BALLAST_MB))!;
  const out = {
    spawns: head.spawns,
    stallP99Ms: head.stallP99Ms,
    spawnsPerSec: head.spawnsPerSec,
    targets: { stallP99Ms: 5, spawnsPerSec: 150 },
    /** Pool worker processes with the large heap: forked here (before point 7) and through the helper (now). */
    poolWorkers: {
      before: pick(poolAt('pool-direct')),
      after: pick(poolAt('pool-helper')),
    },
    window: WINDOW,
    rounds: ROUNDS,
    load1: Math.round(loadavg()[0]! * 100) / 100,
    rows,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/spawn.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
  console.log(
    `spawn: via helper with ${head.heapMb} MB heap: stall p99 ${head.stallP99Ms} ms, ${head.spawnsPerSec} spawns/s`,
  );
  console.log(
    `spawn: pool workers with ${head.heapMb} MB heap: forked here stall max ${poolAt('pool-direct').stallMaxMs} ms (fork call max ${poolAt('pool-direct').forkCallMaxMs} ms), through the helper ${poolAt('pool-helper').stallMaxMs} ms (${poolAt('pool-helper').forkCallMaxMs} ms)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run();
