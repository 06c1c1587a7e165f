/**
 * Per-process state of the Linux fast path, keyed by pid. Each tick costs one pread of a
 * kept-open /proc/<pid>/schedstat and, only for a process that ran since, of its kept-open
 * /proc/<pid>/stat (it carries ppid, state, times, nice, threads, vsize, rss):
 * procfs regenerates the file at offset 0, and an fd held on a dead process reads ESRCH,
 * so a reused pid is never mistaken for the old one. What cannot change for a (pid,
 * starttime) — comm, command line, user — is read once. Open-fd counts (a readdir) and io
 * (another file) are refreshed for focused rows every tick and for the rest every
 * `SLOW_EVERY` ticks, staggered by pid, their rates averaging over that span.
 */
import { closeSync, openSync, readdirSync, statSync } from 'node:fs';
import type { ProcRow } from '../../../shared/contract';
import { round1, round2 } from './collector';
import { parseCmdline, parsePidIo, parsePidStat, parseStatusUid } from './parse-pid';
import { type ProcReader } from './proc-reader';
import { UserNames } from './passwd';

/** USER_HZ: clock ticks per second in /proc times; 100 on every mainstream Linux ABI. */
export const CLK_TCK = 100;
/** Page size for stat's rss; 4 KiB on x86-64 and most arm64 kernels. */
export const PAGE_SIZE = 4096;
/** Rows outside the focus get open-fd and io readings every this many ticks. */
export const SLOW_EVERY = 15;

interface Entry {
  key: string;
  starttime: number;
  /** Kept-open /proc/<pid>/stat, or -1 when over the fd budget. */
  fd: number;
  /** Kept-open /proc/<pid>/schedstat (the cheap "has it run?" gate), or -1. */
  schedFd: number;
  /** Run time in ns from schedstat at the last reading; -1 when unknown. */
  runNs: number;
  name: string;
  cmd: string;
  user: string | null;
  ticks: number;
  io: { read: number; write: number } | null;
  ioTick: number;
  readBps: number | null;
  writeBps: number | null;
  fds: number | null;
  seen: number;
  /** Row emitted last tick; returned again (same object) when nothing changed. */
  row: ProcRow | null;
}

/** What one tick shares with every row. */
export interface TickContext {
  tick: number;
  dtSec: number;
  nCores: number;
  btimeMs: number;
  /** Uptime in ticks at the previous reading: a process started after it is new, not unseen. */
  prevUptimeTicks: number;
  focus: ReadonlySet<string>;
}

export class PidTable {
  readonly #root: string;
  readonly #reader: ProcReader;
  readonly #users = new UserNames();
  readonly #byPid = new Map<number, Entry>();
  readonly #maxFds: number;
  /** Only the real procfs reports fd counts as the size of /proc/<pid>/fd. */
  readonly #fdBySize: boolean;
  #keptFds = 0;

  constructor(root: string, reader: ProcReader, maxFds: number) {
    this.#root = root;
    this.#reader = reader;
    this.#maxFds = maxFds;
    this.#fdBySize = root === '/proc' && FD_SIZE_WORKS;
  }

  /** Read one process; null when it is gone (or its stat is unreadable). */
  read(pid: number, ctx: TickContext): ProcRow | null {
    let e = this.#byPid.get(pid);
    if (e && e.row && e.schedFd >= 0 && !ctx.focus.has(e.key) && (pid + ctx.tick) % SLOW_EVERY !== 0) {
      // The gate: schedstat costs the kernel ~40% of what stat does. A process whose run
      // time has not moved has not run since the last tick, so its state and CPU times are
      // unchanged and the previous row stands at 0% CPU. Memory and thread counts of such a
      // sleeper are refreshed with the slow fields, every SLOW_EVERY ticks.
      const n = this.#reader.pread(e.schedFd);
      if (typeof n !== 'number') {
        this.#drop(pid, e); // gone (the pid may be someone else's now): take the full path
        e = undefined;
      } else {
        const runNs = firstNumber(this.#reader.buffer, n);
        if (runNs >= 0 && runNs === e.runNs) {
          e.seen = ctx.tick;
          if (e.row.cpu !== 0) e.row = { ...e.row, cpu: 0, cpuNorm: 0 };
          return e.row;
        }
        e.runNs = runNs;
      }
    }
    let len = e && e.fd >= 0 ? this.#reader.pread(e.fd) : -1;
    if (e && typeof len !== 'number') {
      this.#drop(pid, e); // that process is gone; the pid may now be another one
      e = undefined;
    }
    let fd = -1;
    if (typeof len !== 'number' || len < 0) {
      try {
        fd = openSync(`${this.#root}/${pid}/stat`, 'r');
      } catch {
        return null;
      }
      len = this.#reader.pread(fd);
      if (typeof len !== 'number') {
        closeSync(fd);
        return null;
      }
    }
    let st = parsePidStat(this.#reader.buffer, len, !e);
    if (!st) {
      if (fd >= 0) closeSync(fd);
      return null;
    }
    if (e && e.starttime !== st.starttime) {
      this.#drop(pid, e); // pid reused since the last tick: a new process, comm and all
      e = undefined;
      st = parsePidStat(this.#reader.buffer, len, true) ?? st;
    }
    const ticks = st.utime + st.stime;
    let cpu = 0;
    const fresh = !e;
    if (!e) {
      const created = this.#newEntry(`${this.#root}/${pid}`, st.comm, `${pid}:${st.starttime}`, st.starttime);
      if (!created) {
        if (fd >= 0) closeSync(fd);
        return null;
      }
      e = created;
      this.#byPid.set(pid, e);
      // Started since the previous reading: all its ticks fall inside this interval.
      if (ctx.dtSec > 0 && st.starttime >= ctx.prevUptimeTicks) cpu = (100 * ticks) / CLK_TCK / ctx.dtSec;
    } else if (ctx.dtSec > 0) {
      cpu = (100 * Math.max(0, ticks - e.ticks)) / CLK_TCK / ctx.dtSec;
    }
    if (fd >= 0) {
      if (e.fd < 0 && this.#keptFds < this.#maxFds) {
        e.fd = fd;
        this.#keptFds++;
      } else closeSync(fd);
    }
    if (e.schedFd < 0 && e.fd >= 0 && this.#keptFds < this.#maxFds)
      this.#openSched(`${this.#root}/${pid}`, e);
    e.ticks = ticks;
    e.seen = ctx.tick;
    if (fresh || ctx.focus.has(e.key) || (pid + ctx.tick) % SLOW_EVERY === 0) {
      const dir = `${this.#root}/${pid}`; // built only off the fast path
      e.fds = countFds(dir, this.#fdBySize);
      this.#readIo(dir, e, ctx);
    }
    const prev = e.row;
    const rss = st.rssPages * PAGE_SIZE;
    const cpu1 = round1(cpu);
    if (
      prev &&
      prev.cpu === cpu1 &&
      prev.state === st.state &&
      prev.rss === rss &&
      prev.vsize === st.vsize &&
      prev.threads === st.threads &&
      prev.fds === e.fds &&
      prev.ppid === st.ppid &&
      prev.nice === st.nice &&
      prev.priority === st.priority &&
      prev.readBps === e.readBps &&
      prev.writeBps === e.writeBps
    ) {
      return prev;
    }
    e.row = {
      key: e.key,
      pid,
      ppid: st.ppid,
      name: e.name,
      cmd: e.cmd,
      user: e.user,
      state: st.state,
      cpu: cpu1,
      cpuNorm: round2(cpu1 / ctx.nCores),
      rss,
      vsize: st.vsize,
      threads: st.threads,
      fds: e.fds,
      startTime: Math.round(ctx.btimeMs + (st.starttime * 1000) / CLK_TCK),
      nice: st.nice,
      priority: st.priority,
      readBps: e.readBps,
      writeBps: e.writeBps,
    };
    return e.row;
  }

  /** Forget every process not read on `tick` (exited), closing its fd. */
  sweep(tick: number): void {
    for (const [pid, e] of this.#byPid) if (e.seen !== tick) this.#drop(pid, e);
  }

  /** Close every kept fd. */
  close(): void {
    for (const [pid, e] of this.#byPid) this.#drop(pid, e);
  }

  /** Number of stat files held open. */
  get keptFds(): number {
    return this.#keptFds;
  }

  /** Keep /proc/<pid>/schedstat open and note the run time; kernels without it skip the gate. */
  #openSched(dir: string, e: Entry): void {
    try {
      e.schedFd = openSync(`${dir}/schedstat`, 'r');
    } catch {
      return;
    }
    this.#keptFds++;
    const n = this.#reader.pread(e.schedFd);
    e.runNs = typeof n === 'number' ? firstNumber(this.#reader.buffer, n) : -1;
  }

  #drop(pid: number, e: Entry): void {
    if (e.fd >= 0) {
      closeSync(e.fd);
      this.#keptFds--;
      e.fd = -1;
    }
    if (e.schedFd >= 0) {
      closeSync(e.schedFd);
      this.#keptFds--;
      e.schedFd = -1;
    }
    this.#byPid.delete(pid);
  }

  /** First sight of a (pid, starttime): read what never changes for it. Null if it is gone. */
  #newEntry(dir: string, comm: string, key: string, starttime: number): Entry | null {
    const status = this.#reader.text(`${dir}/status`);
    if (status === 'gone') return null;
    const uid = typeof status === 'string' ? parseStatusUid(status) : null;
    const n = this.#reader.read(`${dir}/cmdline`, 64 * 1024);
    const cmd = typeof n === 'number' ? parseCmdline(this.#reader.buffer, n) : '';
    const user = uid === null ? null : this.#users.name(uid);
    return {
      key,
      starttime,
      fd: -1,
      schedFd: -1,
      runNs: -1,
      name: comm,
      cmd,
      user,
      ticks: 0,
      io: null,
      ioTick: 0,
      readBps: null,
      writeBps: null,
      fds: null,
      seen: 0,
      row: null,
    };
  }

  #readIo(dir: string, e: Entry, ctx: TickContext): void {
    const text = this.#reader.text(`${dir}/io`);
    const io = typeof text === 'string' ? parsePidIo(text) : null;
    if (!io) {
      e.io = null;
      e.readBps = e.writeBps = null;
      return;
    }
    if (e.io && ctx.tick > e.ioTick && ctx.dtSec > 0) {
      const span = ctx.dtSec * (ctx.tick - e.ioTick);
      e.readBps = Math.round(Math.max(0, io.read - e.io.read) / span);
      e.writeBps = Math.round(Math.max(0, io.write - e.io.write) / span);
    }
    e.io = io;
    e.ioTick = ctx.tick;
  }
}

/** The leading decimal number of `buf[0..len)` (schedstat's run time in ns), or -1. */
export function firstNumber(buf: Uint8Array, len: number): number {
  let v = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  return i === 0 ? -1 : v;
}

/**
 * Since Linux 6.2 stat() of /proc/<pid>/fd reports the number of open fds as its size, which
 * costs a fraction of a readdir; older kernels report 0 there, so probe once with our own.
 */
const FD_SIZE_WORKS = (() => {
  try {
    return statSync('/proc/self/fd').size > 0;
  } catch {
    return false;
  }
})();

/** Open fds of a process, or null when not permitted (or gone: the next tick drops the row). */
function countFds(dir: string, bySize: boolean): number | null {
  try {
    if (bySize) {
      const st = statSync(`${dir}/fd`, { throwIfNoEntry: false });
      // A directory we may not list still stats; its size is then not a count we may trust.
      if (st && st.size > 0) return st.size;
    }
    return readdirSync(`${dir}/fd`).length;
  } catch {
    return null;
  }
}
