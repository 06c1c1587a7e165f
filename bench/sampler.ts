/**
 * Sampler benchmark, side by side in one run, with the natural process count, with 500 and
 * 2,000 extra idle processes (`sleep 600`), and with a realistic mix of 2,000 extra processes
 * (the sleeps gone): 1,000 with 8 sleeping threads besides main, 100 with 3 threads of which
 * one spins 200 µs every 100 ms (0.2 % duty), 900 single-threaded sleepers — a small C
 * program compiled at bench time (`c-fixture.ts`). Every extra process is killed by PID
 * afterwards, always. Per mix:
 * - CPU ms per full sample: Spindle's tick (procfs reading + delta) vs si.processes() +
 *   si.currentLoad() (including the CPU of the programs si forks) vs a naive readFileSync reader;
 *   Spindle's again with a fork before every tick (it lists /proc only after a fork);
 * - the longest main-loop stall while the real sampler (worker thread) runs at 4 Hz;
 * - bytes per tick on the wire (JSON of the event: delta + rolling resync), mean and max (bound:
 *   30 KB, tick-delta.ts), vs the full table.
 * Writes bench/results/sampler.json. Run alone: `npx tsx bench/sampler.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import si from 'systeminformation';
import { RESYNC_EVERY, type StatsTick } from '../src/shared/contract';
import { cFixture } from '../src/main/core/sampler/c-fixture';
import type { Collector } from '../src/main/core/sampler/collector';
import { LinuxCollector } from '../src/main/core/sampler/linux-collector';
import { Sampler } from '../src/main/core/sampler/sampler';
import { SamplerLoop } from '../src/main/core/sampler/sampler-loop';

/** What runs beside the machine's own processes: [count, argv] groups. */
interface Mix {
  name: 'sleep' | 'realistic';
  groups: (fixture: string) => [number, string, string[]][];
}
const MIXES: Mix[] = [
  { name: 'sleep', groups: () => [] },
  { name: 'sleep', groups: () => [[500, 'sleep', ['600']]] },
  { name: 'sleep', groups: () => [[2000, 'sleep', ['600']]] },
  {
    name: 'realistic',
    groups: (f) => [
      [1000, f, ['mix', '9', '0', '0']],
      [100, f, ['mix', '3', '200', '100']],
      [900, f, ['mix', '1', '0', '0']],
    ],
  },
];
/** Sampler and idle spans measured in turn this many times for the loop-delay figures. */
const ROUNDS = 3;

interface Row {
  mix: Mix['name'];
  processes: number;
  /** Threads on the machine during the run (all processes). */
  threads: number;
  extraProcesses: number;
  spindleCpuMsPerSample: number;
  /** The same with a fork before every tick (every tick lists /proc), and si's figure over it. */
  spindleCpuMsForkEveryTick: number;
  ratioForkEveryTick: number;
  /** Share of the ticks of spindleCpuMsPerSample that listed /proc (forks elsewhere on the machine). */
  listedTicks: number;
  /** Spindle's and each SPINDLE_BENCH_COMPARE collector's figures, measured tick for tick in turn. */
  compare: Record<string, { cpuMsPerSample: number; ratio: number; bytesPerTick10Hz: number }>;
  siCpuMsPerSample: number;
  ratio: number;
  naiveCpuMsPerSample: number;
  /** Median over ROUNDS runs of the longest main-loop delay while sampling. */
  maxStallMs: number;
  stallMaxesMs: number[];
  /** 99.9th percentile of the loop delay while sampling (median over rounds). */
  stallP999Ms: number;
  /** 99th percentile of the main-loop delay while sampling (the max is at the mercy of the VM's noise). */
  stallP99Ms: number;
  /** Longest loop delay over an equal span with no sampler: the machine's own noise (median over rounds). */
  baselineStallMs: number;
  baselineMaxesMs: number[];
  baselineP999Ms: number;
  /** Most main-thread CPU for one tick (apply, history, JSON of the event): the stall we cause. */
  maxMainWorkMs: number;
  loadAvg1: number;
  siMaxStallMs: number;
  deltaBytesPerTick: number;
  maxDeltaBytes: number;
  fullBytesPerTick: number;
  ownCpuPctAt1Hz: number;
  siSamples: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const r2 = (v: number) => Math.round(v * 100) / 100;

/** CPU ms of reaped children so far (cutime + cstime of /proc/self/stat, in 10 ms ticks). */
function childrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

/** CPU ms of `fn` in this process plus the children it forked and reaped. */
async function withChildren(fn: () => Promise<unknown>): Promise<number> {
  const u = process.cpuUsage();
  const c = childrenCpuMs();
  await fn();
  return cpuMs(process.cpuUsage(u)) + childrenCpuMs() - c;
}

const kids = new Set<ChildProcess>();
function killAll(): void {
  for (const k of kids) {
    try {
      process.kill(k.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

async function spawnMany(n: number, cmd: string, args: string[]): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () => {
      const k = spawn(cmd, args, { stdio: 'ignore', detached: false });
      kids.add(k);
      k.once('exit', () => kids.delete(k));
      return once(k, 'spawn');
    });
    await Promise.all(batch);
  }
}

async function reapAll(): Promise<void> {
  const waits = [...kids].map((k) => once(k, 'exit'));
  killAll();
  await Promise.all(waits);
}

/** A naive reader: readFileSync of stat, status, cmdline, io and a readdir of fd per process. */
function naiveSample(): number {
  let n = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      readFileSync(`/proc/${p}/stat`, 'utf8').split(' ');
      readFileSync(`/proc/${p}/status`, 'utf8').split('\n');
      readFileSync(`/proc/${p}/cmdline`, 'utf8');
      try {
        readFileSync(`/proc/${p}/io`, 'utf8');
        readdirSync(`/proc/${p}/fd`);
      } catch {
        /* not permitted */
      }
      n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

/**
 * Other collectors measured side by side with Spindle's in the same run, tick for tick (e.g.
 * an older commit's, to put a change's cost beside its baseline on a shared machine):
 * SPINDLE_BENCH_COMPARE="before=/path/to/old/src/main/core/sampler/linux-collector.ts,…".
 * Each collector keeps files open up to half the fd limit: more than one beside Spindle's
 * needs a soft limit above 20,000 (EMFILE otherwise).
 */
const COMPARE = (process.env.SPINDLE_BENCH_COMPARE ?? '')
  .split(',')
  .filter(Boolean)
  .map((s) => ({ name: s.slice(0, s.indexOf('=')), path: s.slice(s.indexOf('=') + 1) }));

interface CpuFigures {
  ms: number;
  /** Mean JSON bytes of a tick's event at this loop's 10 Hz (the live run's 4 Hz is the headline). */
  bytes: number;
}

/**
 * CPU per tick of Spindle's collector and each COMPARE one, their ticks interleaved. `fork`:
 * Spindle's alone, with a process started and reaped before each tick (outside the measured
 * span), so every tick lists /proc again as on a machine that forks all the time.
 */
async function spindleCpu(
  samples: number,
  fork = false,
): Promise<{
  ms: number;
  processes: number;
  threads: number;
  /** Share of Spindle's ticks that listed /proc (a fork anywhere on the machine since the last). */
  listed: number;
  compare: Record<string, CpuFigures>;
}> {
  const kinds = [{ name: 'spindle', Collector: LinuxCollector as new () => Collector & { close(): void } }];
  for (const c of fork ? [] : COMPARE) {
    const mod = (await import(pathToFileURL(c.path).href)) as {
      LinuxCollector: (typeof kinds)[0]['Collector'];
    };
    kinds.push({ name: c.name, Collector: mod.LinuxCollector });
  }
  const runs = kinds.map((k) => {
    const collector = new k.Collector();
    const loop = new SamplerLoop(collector, { intervalMs: 1000, topN: 20, resyncEvery: RESYNC_EVERY });
    return { name: k.name, collector, loop, xs: [] as number[], bytes: [] as number[] };
  });
  for (const r of runs) await r.loop.prime();
  const mine = runs[0]!.collector as LinuxCollector;
  const listings0 = mine.listings;
  let processes = 0;
  let threads = 0;
  for (let i = 0; i < samples; i++) {
    for (const r of runs) {
      await sleep(100);
      if (fork) await once(spawn('true', { stdio: 'ignore' }), 'exit');
      const u = process.cpuUsage();
      const t = await r.loop.tick();
      r.xs.push(cpuMs(process.cpuUsage(u)));
      r.bytes.push(JSON.stringify({ event: 'stats', payload: t }).length);
      processes = t.sample.tasks.processes;
      threads = t.sample.tasks.threads ?? 0;
    }
  }
  for (const r of runs) r.collector.close();
  const compare: Record<string, CpuFigures> = {};
  for (const r of runs) compare[r.name] = { ms: mean(r.xs), bytes: Math.round(mean(r.bytes)) };
  const listed = (mine.listings - listings0) / samples;
  return { ms: compare.spindle!.ms, processes, threads, listed, compare };
}

async function siCpu(samples: number): Promise<{ ms: number; stall: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const xs: number[] = [];
  h.enable();
  for (let i = 0; i < samples; i++) {
    await sleep(100);
    xs.push(await withChildren(() => Promise.all([si.processes(), si.currentLoad()])));
  }
  h.disable();
  return { ms: mean(xs), stall: h.max / 1e6 };
}

/** The real sampler (worker thread) at 4 Hz with a subscriber serializing every event. */
async function liveRun(
  ticks: number,
): Promise<
  Pick<
    Row,
    | 'maxStallMs'
    | 'stallP99Ms'
    | 'stallP999Ms'
    | 'maxMainWorkMs'
    | 'deltaBytesPerTick'
    | 'maxDeltaBytes'
    | 'fullBytesPerTick'
    | 'ownCpuPctAt1Hz'
  >
> {
  const sampler = new Sampler({ intervalMs: 250, resyncEvery: RESYNC_EVERY });
  const delta: number[] = [];
  const h = monitorEventLoopDelay({ resolution: 1 });
  let u0: NodeJS.CpuUsage | null = null;
  let n = 0;
  let mainMs = 0;
  const done = new Promise<NodeJS.CpuUsage>((resolve) => {
    sampler.onSample((t: StatsTick) => {
      // Every tick, the first too (the table came whole with the first reading, like a subscribe).
      delta.push(JSON.stringify({ event: 'stats', payload: t }).length);
      if (n > 1) mainMs = Math.max(mainMs, sampler.lastTickMainMs); // the previous tick's, listener included
      if (++n === 2) {
        u0 = process.cpuUsage(); // from the second tick: priming and thread start-up excluded
        h.enable();
      }
      if (n === ticks + 2) resolve(process.cpuUsage(u0!));
    });
  });
  sampler.start();
  const used = await done;
  h.disable();
  // What a whole-table event would weigh (the subscribe snapshot carries this much table).
  const f = JSON.stringify({ event: 'stats', payload: { procs: [...sampler.table().values()] } }).length;
  sampler.stop();
  await sleep(300);
  return {
    maxStallMs: r2(h.max / 1e6),
    stallP99Ms: r2(h.percentile(99) / 1e6),
    stallP999Ms: r2(h.percentile(99.9) / 1e6),
    maxMainWorkMs: r2(mainMs),
    deltaBytesPerTick: Math.round(mean(delta)),
    maxDeltaBytes: Math.max(...delta),
    fullBytesPerTick: f,
    // Whole process (worker + main + serialization) per tick; at 1 Hz, ms per tick / 10 = % of a core.
    ownCpuPctAt1Hz: r2(cpuMs(used) / ticks / 10),
  };
}

export async function run(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('sampler bench: Linux only (procfs fast path)');
    return;
  }
  const onExit = (): void => killAll();
  process.on('exit', onExit);
  const rows: Row[] = [];
  try {
    await si.currentLoad(); // si primes its own counters on the first call
    const fixture = cFixture();
    for (const mix of MIXES) {
      if (mix.name === 'realistic' && !fixture) {
        console.log('  realistic mix skipped: no C compiler (cc)');
        continue;
      }
      await reapAll(); // each mix alone beside the machine's own processes
      const groups = mix.groups(fixture ?? '');
      for (const [n, cmd, args] of groups) await spawnMany(n, cmd, args);
      const extra = groups.reduce((sum, [n]) => sum + n, 0);
      await sleep(1000);
      const sp = await spindleCpu(20);
      const forking = await spindleCpu(10, true);
      const naive: number[] = [];
      for (let i = 0; i < 5; i++) {
        const u = process.cpuUsage();
        naiveSample();
        naive.push(cpuMs(process.cpuUsage(u)));
      }
      const siSamples = extra >= 2000 ? 3 : 4;
      const s = await siCpu(siSamples);
      // The longest loop delay is one extreme sample and this VM's own noise reaches it too:
      // measure the sampler and an equal idle span (no sampler) in turn, ROUNDS times, and
      // report the median of each side's maxima.
      const lives: Awaited<ReturnType<typeof liveRun>>[] = [];
      const bases: { max: number; p999: number }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const base = monitorEventLoopDelay({ resolution: 1 });
        base.enable();
        await sleep(34 * 250);
        base.disable();
        bases.push({ max: base.max / 1e6, p999: base.percentile(99.9) / 1e6 });
        lives.push(await liveRun(34));
      }
      const med = (xs: number[]): number => r2([...xs].sort((a, b) => a - b)[xs.length >> 1]!);
      const live = {
        maxStallMs: med(lives.map((l) => l.maxStallMs)),
        stallMaxesMs: lives.map((l) => l.maxStallMs),
        stallP99Ms: med(lives.map((l) => l.stallP99Ms)),
        stallP999Ms: med(lives.map((l) => l.stallP999Ms)),
        maxMainWorkMs: Math.max(...lives.map((l) => l.maxMainWorkMs)),
        deltaBytesPerTick: Math.round(mean(lives.map((l) => l.deltaBytesPerTick))),
        maxDeltaBytes: Math.max(...lives.map((l) => l.maxDeltaBytes)),
        fullBytesPerTick: lives.at(-1)!.fullBytesPerTick,
        ownCpuPctAt1Hz: med(lives.map((l) => l.ownCpuPctAt1Hz)),
      };
      rows.push({
        mix: mix.name,
        processes: sp.processes,
        threads: sp.threads,
        extraProcesses: extra,
        spindleCpuMsPerSample: r2(sp.ms),
        spindleCpuMsForkEveryTick: r2(forking.ms),
        ratioForkEveryTick: r2(s.ms / forking.ms),
        listedTicks: r2(sp.listed),
        siCpuMsPerSample: r2(s.ms),
        ratio: r2(s.ms / sp.ms),
        compare: Object.fromEntries(
          Object.entries(sp.compare).map(([k, v]) => [
            k,
            { cpuMsPerSample: r2(v.ms), ratio: r2(s.ms / v.ms), bytesPerTick10Hz: v.bytes },
          ]),
        ),
        naiveCpuMsPerSample: r2(mean(naive)),
        siMaxStallMs: r2(s.stall),
        baselineStallMs: med(bases.map((b) => b.max)),
        baselineMaxesMs: bases.map((b) => r2(b.max)),
        baselineP999Ms: med(bases.map((b) => b.p999)),
        loadAvg1: Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[0]),
        siSamples,
        ...live,
      });
      console.log(`  ${mix.name} ${extra} extra: done`);
    }
  } finally {
    await reapAll();
    process.off('exit', onExit);
  }
  console.table(rows.map(({ compare: _c, ...r }) => r));
  for (const r of rows) console.log(`  ${r.mix} +${r.extraProcesses}:`, JSON.stringify(r.compare));
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL('sampler.json', out),
    JSON.stringify({ when: new Date().toISOString(), rows }, null, 2) + '\n',
  );
  console.log('wrote bench/results/sampler.json');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
