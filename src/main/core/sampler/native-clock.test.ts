/**
 * The native gate against real processes: the addon's figure is the thread group's run time as
 * the threads' own schedstat files sum it, and a process is read on the tick after any of its
 * threads ran — a worker while main sleeps in join too — and skipped otherwise, whatever its
 * thread count (the schedstat gate reads every process with more than 8 threads every tick).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureNative } from '../../../../scripts/ensure.mjs';
import { until } from '../../../test-utils/until';
import { cFixture } from './c-fixture';
import { childLines } from './child-lines';
import { LinuxCollector } from './linux-collector';
import { loadCpuClocks, type CpuClocks } from './native-clock';
import { PidTable, SLOW_EVERY } from './pid-table';
import { ProcReader } from './proc-reader';
import { liveTick } from '../../../test-utils/sampler-fixtures';

const linux = process.platform === 'linux';
const fixture = linux ? cFixture() : null;
// Built here too, so `npx vitest run` alone exercises it (npm test builds it via ensure.mjs).
if (linux && process.env.SPINDLE_NO_NATIVE !== '1') ensureNative();
const clocks: CpuClocks | null = linux ? loadCpuClocks().clocks : null;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function start(args: string[]) {
  const child = spawn(fixture!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const next = childLines(child.stdout!);
  return {
    pid: child.pid!,
    next,
    send: async (line: string) => {
      child.stdin!.write(line + '\n');
      const reply = await next();
      expect(reply.startsWith('ok'), `${line}: ${reply}`).toBe(true);
    },
  };
}

/** Sum of the first schedstat field (run ns) over the live threads; NaN if one vanished mid-read. */
function schedstatSum(pid: number): number {
  let sum = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
    } catch {
      return NaN;
    }
  }
  return sum;
}

const clockOf = (pid: number): number => {
  const out = new Float64Array(1);
  clocks!(new Int32Array([pid]), out);
  return out[0]!;
};

describe.runIf(linux && fixture && process.env.SPINDLE_NO_NATIVE !== '1')('native CPU clock', () => {
  it('loads where a C compiler built it, and the collector on /proc gates on it', () => {
    expect(loadCpuClocks().why).toContain('cpu-clock.node');
    expect(clocks).not.toBeNull();
    const c = new LinuxCollector();
    expect(c.native).toBe(true);
    c.close();
    expect(new LinuxCollector('/nonexistent').native).toBe(false); // a fake root: never
  });

  it('gives a gone pid a negative figure', () => {
    const out = new Float64Array(2);
    clocks!(new Int32Array([0, 4194304 + 1]), out);
    expect(out[0]).toBeLessThan(0);
    expect(out[1]).toBeLessThan(0);
  });

  it("equals the sum of the threads' schedstat run times, ended threads included", async () => {
    // Four threads, one spinning 2 ms every 20 ms: between its bursts nothing runs, and the
    // clock read between two equal sums must equal them exactly.
    const p = await start(['mix', '4', '2000', '20']);
    await until(() => readdirSync(`/proc/${p.pid}/task`).length === 4, { timeout: 10_000 });
    let matched = false;
    await until(
      () => {
        const a = schedstatSum(p.pid);
        const c = clockOf(p.pid);
        const b = schedstatSum(p.pid);
        if (a !== b || !(a > 0)) return false; // a thread ran in between: try again
        expect(c).toBe(a);
        matched = true;
        return true;
      },
      { timeout: 30_000 },
    );
    expect(matched).toBe(true);

    // Threads that spun and ended: their run time stays in the clock, gone from task/.
    const q = await start(['cmd', 'mt']);
    expect(await q.next()).toBe('ready');
    await q.send('spin 2');
    const spinning = schedstatSum(q.pid);
    await until(() => schedstatSum(q.pid) > spinning + 20e6, { timeout: 30_000 });
    await q.send('stop');
    expect(readdirSync(`/proc/${q.pid}/task`)).toHaveLength(2);
    expect(clockOf(q.pid)).toBeGreaterThan(schedstatSum(q.pid) + 20e6);
  });

  it('skips an idle 14-thread process and re-reads it on the tick after a worker (not main) ran', async () => {
    const p = await start(['cmd', 'mt']); // a worker reads commands while main sleeps in join
    expect(await p.next()).toBe('ready');
    await p.send('threads 12');
    const table = new PidTable('/proc', new ProcReader(), 256, clocks);
    let tick = 0;
    // Its parent (this test process) is in the table too, or the parent check would force it.
    const pids = [process.pid, p.pid];
    const step = () => {
      tick++;
      if ((p.pid + tick) % SLOW_EVERY === 0) tick++; // not on its slow turn
      const ctx = liveTick(tick);
      table.list(pids, tick);
      const before = table.fullReads;
      table.read(process.pid, ctx); // runs, since it is running this: one full read
      const row = table.read(p.pid, ctx)!;
      table.sweep(tick);
      return { full: table.fullReads - before - 1, row };
    };
    expect(step().row.threads).toBe(14);
    // Idle now: skipped, though it has more threads than the schedstat gate follows.
    await until(() => step().full === 0, { timeout: 10_000 });
    expect(step().full).toBe(0);
    // The command thread allocates and touches 8 MB: read on the next tick, memory included.
    const rss = step().row.rss;
    await p.send('alloc 8');
    const after = step();
    expect(after.full).toBe(1);
    expect(after.row.rss).toBeGreaterThanOrEqual(rss + (8 << 20) - (1 << 20));
    expect(after.row.threads).toBe(14);
    table.close();
  });
  it('lists /proc only when a fork happened since the last listing, and never misses a new or gone process', async () => {
    const c = new LinuxCollector();
    try {
      c.collect(new Set());
      // Ticks with no fork anywhere on the machine reuse the last pids (poll: others fork too).
      await until(
        () => {
          const before = c.listings;
          c.collect(new Set());
          return c.listings === before;
        },
        { timeout: 10_000, interval: 1 },
      );
      const child = spawn('sleep', ['30']);
      children.push(child);
      await new Promise((r) => child.once('spawn', r));
      // The fork moved the count: listed again, the new process is there at once.
      const before = c.listings;
      expect(c.collect(new Set()).rows.some((r) => r.pid === child.pid)).toBe(true);
      expect(c.listings).toBe(before + 1);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // Gone (reaped): its row goes, and if this tick did not list /proc (no fork elsewhere
      // since), its clock read -EINVAL and the next tick lists afresh. On a busy machine another
      // process's fork makes this tick list, and the child is simply not in the listing.
      const l0 = c.listings;
      expect(c.collect(new Set()).rows.some((r) => r.pid === child.pid)).toBe(false);
      const l = c.listings;
      c.collect(new Set());
      if (l === l0) expect(c.listings).toBe(l + 1);
      else expect(l).toBe(l0 + 1);
    } finally {
      c.close();
    }
  });
});
