/**
 * Every process right on every tick, against real processes (the C fixture) and /proc read
 * around the sampler's own reading: a value the sampler read lies between what /proc said just
 * before and just after its collect. The machine is shared and loaded, so bounds come from
 * those brackets, never from how fast a tick should be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ProcRow } from '../../../shared/contract';
import { until } from '../../../test-utils/until';
import { cFixture } from './c-fixture';
import { childLines } from './child-lines';
import { LinuxCollector } from './linux-collector';
import { parsePidStat, PF_KTHREAD } from './parse-pid';
import { PAGE_SIZE } from './pid-files';

const fixture = process.platform === 'linux' ? cFixture() : null;
const children: ChildProcess[] = [];
const collectors: LinuxCollector[] = [];
const dir = mkdtempSync(join(tmpdir(), 'spindle-io-'));
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const c of collectors.splice(0)) c.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start the fixture's command loop (`st`: main reads commands; `mt`: a thread does while main joins). */
async function start(mode: 'st' | 'mt'): Promise<{ pid: number; send: (line: string) => Promise<string> }> {
  const child = spawn(fixture!, ['cmd', mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const next = childLines(child.stdout!);
  expect(await next()).toBe('ready');
  return {
    pid: child.pid!,
    send: async (line) => {
      child.stdin!.write(line + '\n');
      const reply = await next();
      expect(reply.startsWith('ok'), `${line}: ${reply}`).toBe(true);
      return reply;
    },
  };
}

const statBuf = (pid: number) => {
  const b = readFileSync(`/proc/${pid}/stat`);
  return parsePidStat(b, b.length)!;
};
const residentBytes = (pid: number) =>
  Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * PAGE_SIZE;
const writeBytes = (pid: number) =>
  Number(/write_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))![1]);
const readBytes = (pid: number) =>
  Number(/\nread_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))![1]);
const uptime = () => Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
const rowOf = (rows: ProcRow[], pid: number) => rows.find((r) => r.pid === pid);

/** A collector whose every reading is bracketed: `around(f)` runs f just before and after. */
function bracketed() {
  const c = new LinuxCollector();
  collectors.push(c);
  let last: { s: number; e: number } | null = null;
  return {
    /** Collect; dt bounds are the collector's own interval as seen from outside it. */
    collect<T>(probe: () => T): { rows: ProcRow[]; before: T; after: T; dtMin: number; dtMax: number } {
      const before = probe();
      const s = performance.now();
      const rows = c.collect().rows;
      const e = performance.now();
      const after = probe();
      const dtMin = last ? (s - last.e) / 1000 : 0;
      const dtMax = last ? (e - last.s) / 1000 : 0;
      last = { s, e };
      return { rows, before, after, dtMin, dtMax };
    },
  };
}

describe.runIf(fixture)('per-process fields on every tick (real processes)', () => {
  it('reads the CPU of threads spinning while main sleeps in join, on every tick', async () => {
    const p = await start('mt');
    await p.send('spin 2');
    const c = bracketed();
    const ticks = (): number => {
      const s = statBuf(p.pid);
      return s.utime + s.stime;
    };
    let prev = c.collect(ticks);
    let ran = 0;
    for (let i = 0; i < 5; i++) {
      await sleep(300);
      const cur = c.collect(ticks);
      const row = rowOf(cur.rows, p.pid)!;
      // The sampler's tick delta lies between what /proc moved inside and around its span, give
      // or take what /proc's clock ticks (10 ms) leave out: each reading is truncated to a whole
      // tick, and leaves out the run time not yet accounted of threads running on another core
      // (under a scheduler tick each, 4 ms at HZ 250), while the sampler reads the process's CPU
      // clock in ns: so 2 ticks either side (+1 for rounding to 0.1).
      const SLACK = 2;
      const dMin = Math.max(0, cur.before - prev.after);
      const dMax = cur.after - prev.before;
      expect(row.cpu).toBeGreaterThanOrEqual(Math.floor((100 * (dMin - SLACK)) / 100 / cur.dtMax) - 1);
      expect(row.cpu).toBeLessThanOrEqual(Math.ceil((100 * (dMax + SLACK)) / 100 / cur.dtMin) + 1);
      if (dMin > SLACK) ran++;
      prev = cur;
    }
    expect(ran).toBeGreaterThan(0); // the spinners got CPU past the slack, so 0 % would have failed above
    await p.send('stop');
  });

  it('shows threads made by a worker thread, and memory it touched, on the next tick', async () => {
    const p = await start('mt');
    const c = bracketed();
    c.collect(() => 0);
    await sleep(200);
    c.collect(() => 0); // a reading with main asleep in join: nothing moved on main since
    await p.send('threads 7');
    await p.send('alloc 64');
    const cur = c.collect(() => ({ threads: statBuf(p.pid).threads, rss: residentBytes(p.pid) }));
    const row = rowOf(cur.rows, p.pid)!;
    expect(cur.before).toEqual(cur.after); // the process is idle: /proc is stable around the read
    expect(row.threads).toBe(cur.before.threads);
    expect(row.threads).toBe(2 + 7);
    // Resident memory as statm (and top, ps) count it; 64 MiB touched are in it.
    expect(row.rss).toBe(cur.before.rss);
    expect(row.rss).toBeGreaterThan(64 * 1024 * 1024);
  });

  for (const mode of ['st', 'mt'] as const) {
    it(`follows prctl(PR_SET_NAME), argv rewritten in place and exec within 2 ticks (${mode})`, async () => {
      const p = await start(mode);
      const c = bracketed();
      const comm = () => readFileSync(`/proc/${p.pid}/comm`, 'latin1').trim();
      const cmdline = () =>
        readFileSync(`/proc/${p.pid}/cmdline`, 'latin1').replace(/\0+$/, '').replaceAll('\0', ' ');
      const first = rowOf(c.collect(() => 0).rows, p.pid)!;
      expect(first.cmd).toBe(`${fixture} cmd ${mode}`);
      const within2 = async (want: (r: ProcRow) => boolean): Promise<ProcRow> => {
        let row: ProcRow | undefined;
        for (let i = 0; i < 2 && !(row && want(row)); i++) {
          await sleep(150);
          row = rowOf(c.collect(() => 0).rows, p.pid);
        }
        return row!;
      };
      if (mode === 'st') {
        // PR_SET_NAME names the calling thread; /proc/<pid>/comm is main's.
        await p.send('name renamed-x');
        expect(comm()).toBe('renamed-x');
        expect((await within2((r) => r.name === 'renamed-x')).name).toBe(comm());
      }
      await p.send('argv worker:idle');
      expect(cmdline()).toBe('worker:idle');
      expect((await within2((r) => r.cmd === 'worker:idle')).cmd).toBe(cmdline());
      await p.send('exec sleep 600');
      // exec replaces the program under the same pid and start time; wait for it to land.
      await until(() => comm() === 'sleep');
      const after = await within2((r) => r.name === 'sleep' && r.cmd === 'sleep 600');
      expect(after.key).toBe(first.key);
      expect({ name: after.name, cmd: after.cmd, threads: after.threads }).toEqual({
        name: 'sleep',
        cmd: 'sleep 600',
        threads: 1,
      });
    });
  }

  it('gives zombies and kernel threads an empty command line', async () => {
    const p = await start('st');
    const childPid = Number((await p.send('fork')).split(' ')[1]);
    const c = bracketed();
    expect(rowOf(c.collect(() => 0).rows, childPid)?.cmd).toBe(`${fixture} cmd st`);
    await p.send('killchild');
    await until(() => statBuf(childPid).state === 'Z');
    const rows = c.collect(() => 0).rows;
    expect(rowOf(rows, childPid)).toMatchObject({ state: 'Z', cmd: '' });
    for (const r of rows) {
      const s = (() => {
        try {
          return statBuf(r.pid);
        } catch {
          return null;
        }
      })();
      if (s && s.flags & PF_KTHREAD) expect(r.cmd).toBe('');
    }
  });

  it('moves the parent of an idle process whose parent exited on the next tick', async () => {
    const p = await start('st');
    const childPid = Number((await p.send('fork')).split(' ')[1]);
    try {
      const c = bracketed();
      expect(rowOf(c.collect(() => 0).rows, childPid)?.ppid).toBe(p.pid);
      const parent = children.at(-1)!;
      parent.kill('SIGKILL');
      await once(parent, 'exit'); // reaped: its pid is gone from /proc
      // The orphan sleeps in pause() throughout: only the parent check (or a slow turn) reads it
      // again, and it must on the first tick whose /proc listing lacks the parent (and after).
      for (let i = 0; i < 2; i++) {
        const cur = c.collect(() => statBuf(childPid).ppid);
        expect(cur.before).not.toBe(p.pid);
        expect(cur.after).toBe(cur.before);
        expect(rowOf(cur.rows, childPid)!.ppid).toBe(cur.before);
      }
    } finally {
      process.kill(childPid, 'SIGKILL');
    }
  });

  it('dates a process and its first-tick CPU by the kernel clock', async () => {
    const c = bracketed();
    c.collect(() => 0);
    // Started right after a tick: one thread spins without pause while main sleeps in join.
    const child = spawn(fixture!, ['mix', '2', '1000000', '0'], { stdio: 'ignore' });
    children.push(child);
    const pid = child.pid!;
    await until(() => statBuf(pid).utime + statBuf(pid).stime >= 40); // 0.4 s of CPU spent
    const probe = () => {
      const s = statBuf(pid);
      return { ticks: s.utime + s.stime, start: s.starttime / 100, up: uptime(), now: Date.now() };
    };
    const cur = c.collect(probe);
    const row = rowOf(cur.rows, pid)!;
    // Its whole life falls in this tick: CPU % = its CPU time over its age, both from /proc.
    const lo = (100 * cur.before.ticks) / 100 / (cur.after.up + 0.01 - cur.before.start);
    const hi = (100 * cur.after.ticks) / 100 / Math.max(0.01, cur.before.up - cur.before.start);
    expect(cur.before.ticks).toBeGreaterThan(0);
    expect(row.cpu).toBeGreaterThanOrEqual(Math.floor(lo) - 1);
    expect(row.cpu).toBeLessThanOrEqual(Math.ceil(hi) + 1);
    // Start time on the wall clock: now minus its age on the kernel clock (10 ms ticks).
    const started = cur.before.now - (cur.before.up - cur.before.start) * 1000;
    expect(Math.abs(row.startTime - started)).toBeLessThanOrEqual(50);
  });

  for (const mode of ['st', 'mt'] as const) {
    it(`counts open fds as /proc/<pid>/fd lists them on the tick after they open, unfocused (${mode})`, async () => {
      const p = await start(mode);
      const c = bracketed();
      const fds = () => readdirSync(`/proc/${p.pid}/fd`).length;
      const first = c.collect(fds);
      expect(rowOf(first.rows, p.pid)!.fds).toBe(first.before);
      await p.send('open 5');
      const cur = c.collect(fds);
      expect(cur.before).toBe(cur.after); // the process is idle: /proc is stable around the read
      expect(cur.before - first.after).toBe(5);
      expect(rowOf(cur.rows, p.pid)!.fds).toBe(cur.before);
    });
  }

  for (const mode of ['st', 'mt'] as const) {
    it(`gives disk rates from the first tick, per tick, and 0 once I/O stops (${mode})`, async () => {
      const c = bracketed();
      c.collect(() => 0);
      const p = await start(mode);
      await p.send(`write ${join(dir, `first-${mode}`)} 8`);
      const probe = () => ({ w: writeBytes(p.pid), up: uptime(), start: statBuf(p.pid).starttime / 100 });
      // First sight, started since the previous tick: its bytes over its age.
      const first = c.collect(probe);
      const r1 = rowOf(first.rows, p.pid)!;
      expect(first.before.w).toBeGreaterThanOrEqual(8 << 20);
      expect(r1.writeBps).not.toBeNull();
      expect(r1.writeBps!).toBeGreaterThanOrEqual(
        Math.floor(first.before.w / (first.after.up + 0.01 - first.before.start)),
      );
      // Uptime and start time both move in 10 ms steps, so the age the sampler divides by may be
      // one step shorter than the one read here (a process seen 20 ms after its start: up to 2×).
      expect(r1.writeBps!).toBeLessThanOrEqual(
        Math.ceil(first.after.w / Math.max(0.01, first.before.up - 0.01 - first.before.start)),
      );
      await sleep(200);
      await p.send(`write ${join(dir, `next-${mode}`)} 16`);
      const second = c.collect(probe);
      const r2 = rowOf(second.rows, p.pid)!;
      const bytes = second.before.w - first.after.w;
      expect(bytes).toBeGreaterThanOrEqual(16 << 20);
      expect(second.after.w).toBe(second.before.w); // idle now: nothing moves around the read
      expect(r2.writeBps!).toBeGreaterThanOrEqual(Math.floor(bytes / second.dtMax));
      expect(r2.writeBps!).toBeLessThanOrEqual(Math.ceil(bytes / second.dtMin));
      await sleep(200);
      expect(rowOf(c.collect(probe).rows, p.pid)!.writeBps).toBe(0);
    });
  }
  for (const mode of ['st', 'mt'] as const) {
    it(`gives read rates per tick as /proc/<pid>/io counts them, and 0 once reading stops (${mode})`, async () => {
      const p = await start(mode);
      const file = join(dir, `read-${mode}`);
      await p.send(`write ${file} 16`);
      const c = bracketed();
      const probe = () => ({ r: readBytes(p.pid), w: writeBytes(p.pid) });
      let prev = c.collect(probe);
      await sleep(200);
      for (const mb of [16, 16]) {
        // O_DIRECT: every byte is a storage read (no page cache), counted in read_bytes.
        expect(Number((await p.send(`read ${file}`)).split(' ')[1])).toBe(mb << 20);
        const cur = c.collect(probe);
        const row = rowOf(cur.rows, p.pid)!;
        expect(cur.after).toEqual(cur.before); // idle now: nothing moves around the read
        const bytes = cur.before.r - prev.after.r;
        expect(bytes).toBeGreaterThanOrEqual(mb << 20);
        expect(row.readBps).not.toBeNull();
        expect(row.readBps!).toBeGreaterThanOrEqual(Math.floor(bytes / cur.dtMax));
        expect(row.readBps!).toBeLessThanOrEqual(Math.ceil((cur.after.r - prev.before.r) / cur.dtMin));
        // It writes nothing, but the kernel may still count a page to it in a reading tick
        // (seen once: 4 KiB, with two test runs at once): the rate is what /proc counts.
        const wrote = cur.before.w - prev.after.w;
        expect(row.writeBps!).toBeGreaterThanOrEqual(Math.floor(wrote / cur.dtMax));
        expect(row.writeBps!).toBeLessThanOrEqual(Math.ceil((cur.after.w - prev.before.w) / cur.dtMin));
        expect(cur.after.w - prev.before.w).toBeLessThan(1 << 20);
        prev = cur;
        await sleep(200);
      }
      expect(rowOf(c.collect(probe).rows, p.pid)!.readBps).toBe(0);
    });
  }
});
