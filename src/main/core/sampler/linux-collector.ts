/**
 * The Linux fast path: every tick reads /proc/stat, /proc/loadavg, /proc/meminfo and one
 * /proc/<pid>/stat per process (it carries ppid, state, times, nice, threads, vsize, rss)
 * through one reused buffer. What cannot change for a (pid, starttime) — comm, command
 * line, user — is read once. Open-fd counts (a readdir each) and io (a second file) are
 * refreshed for focused rows (interest + top N) every tick and for the rest every FD_EVERY
 * ticks, staggered by pid, so their rates average over that span.
 */
import { readdirSync } from 'node:fs';
import type { ProcRow } from '../../../shared/contract';
import { round1, round2, type Collected, type Collector } from './collector';
import { parseCmdline, parsePidIo, parsePidStat, parseStatusUid } from './parse-pid';
import { parseLoadAvg, parseMemInfo, parseStatCounters, type StatCounters } from './parse-system';
import { cpuPct, parseProcStat, type CpuTimes } from './proc-stat';
import { ProcReader } from './proc-reader';
import { UserNames } from './passwd';

/** USER_HZ: clock ticks per second in /proc times; 100 on every mainstream Linux ABI. */
export const CLK_TCK = 100;
/** Page size for statm/stat rss; 4 KiB on x86-64 and most arm64 kernels. */
export const PAGE_SIZE = 4096;
/** Rows outside the focus get open-fd and io readings every this many ticks (staggered by pid). */
export const FD_EVERY = 5;

interface Entry {
  name: string;
  cmd: string;
  user: string | null;
  ticks: number;
  io: { read: number; write: number } | null;
  /** Tick of the last io reading, for the span of the rate. */
  ioTick: number;
  readBps: number | null;
  writeBps: number | null;
  fds: number | null;
  seen: number;
}

export class LinuxCollector implements Collector {
  readonly source = 'procfs' as const;
  readonly #root: string;
  readonly #reader = new ProcReader();
  readonly #users = new UserNames();
  readonly #cache = new Map<string, Entry>();
  #prevCpu: { total: CpuTimes; cores: CpuTimes[] } | null = null;
  #prevCounters: StatCounters | null = null;
  #prevMono = 0;
  /** Uptime in clock ticks at the previous reading: a process started after it is new, not unseen. */
  #prevUptimeTicks = 0;
  #tick = 0;

  constructor(root = '/proc') {
    this.#root = root;
  }

  collect(focus: ReadonlySet<string> = new Set()): Collected {
    const t = Date.now();
    const mono = performance.now();
    const dtSec = this.#prevMono ? (mono - this.#prevMono) / 1000 : 0;
    const tick = ++this.#tick;
    const statText = this.#reader.text(`${this.#root}/stat`);
    if (typeof statText !== 'string') throw new Error(`cannot read ${this.#root}/stat: ${statText}`);
    const cpuNow = parseProcStat(statText);
    const counters = parseStatCounters(statText);
    const prevCpu = this.#prevCpu ?? cpuNow;
    const cpu = {
      total: cpuPct(prevCpu.total, cpuNow.total),
      cores: cpuNow.cores.map((c, i) => cpuPct(prevCpu.cores[i] ?? c, c)),
    };
    const nCores = Math.max(1, cpuNow.cores.length);
    const loadText = this.#reader.text(`${this.#root}/loadavg`);
    const memText = this.#reader.text(`${this.#root}/meminfo`);
    const btimeMs = (counters.btime ?? 0) * 1000;
    const uptimeTicks = Math.floor(((t - btimeMs) / 1000) * CLK_TCK);

    const rows: ProcRow[] = [];
    let threads = 0;
    for (const name of readdirSync(this.#root)) {
      const c = name.charCodeAt(0);
      if (c < 0x30 || c > 0x39) continue;
      const row = this.#readPid(name, tick, dtSec, nCores, btimeMs, focus);
      if (!row) continue;
      rows.push(row);
      threads += row.threads;
    }
    for (const [key, e] of this.#cache) if (e.seen !== tick) this.#cache.delete(key);

    const prev = this.#prevCounters;
    const rate = (a: number | null | undefined, b: number | null | undefined): number | null =>
      a != null && b != null && dtSec > 0 ? round1(Math.max(0, b - a) / dtSec) : null;
    this.#prevCpu = cpuNow;
    this.#prevCounters = counters;
    this.#prevMono = mono;
    this.#prevUptimeTicks = uptimeTicks;
    return {
      t,
      cpu,
      load: typeof loadText === 'string' ? parseLoadAvg(loadText) : null,
      mem: typeof memText === 'string' ? parseMemInfo(memText) : null,
      tasks: {
        processes: rows.length,
        threads,
        running: counters.running,
        blocked: counters.blocked,
        ctxtPerSec: rate(prev?.ctxt, counters.ctxt),
        forksPerSec: rate(prev?.processes, counters.processes),
      },
      rows,
    };
  }

  #readPid(
    pidText: string,
    tick: number,
    dtSec: number,
    nCores: number,
    btimeMs: number,
    focus: ReadonlySet<string>,
  ): ProcRow | null {
    const dir = `${this.#root}/${pidText}`;
    const len = this.#reader.read(`${dir}/stat`);
    if (typeof len !== 'number') return null;
    const st = parsePidStat(this.#reader.buffer, len);
    if (!st) return null;
    const key = `${st.pid}:${st.starttime}`;
    const ticks = st.utime + st.stime;
    let e = this.#cache.get(key);
    const fresh = !e;
    let cpu = 0;
    if (!e) {
      const created = this.#newEntry(dir, st.comm);
      if (!created) return null;
      e = created;
      this.#cache.set(key, e);
      // Started since the previous reading: all its ticks fall inside this interval.
      if (dtSec > 0 && st.starttime >= this.#prevUptimeTicks) cpu = (100 * ticks) / CLK_TCK / dtSec;
    } else if (dtSec > 0) {
      cpu = (100 * Math.max(0, ticks - e.ticks)) / CLK_TCK / dtSec;
    }
    e.ticks = ticks;
    e.seen = tick;
    if (fresh || focus.has(key) || (st.pid + tick) % FD_EVERY === 0) {
      e.fds = this.#countFds(dir);
      this.#readIo(dir, e, tick, dtSec);
    }
    return {
      key,
      pid: st.pid,
      ppid: st.ppid,
      name: e.name,
      cmd: e.cmd,
      user: e.user,
      state: st.state,
      cpu: round1(cpu),
      cpuNorm: round2(cpu / nCores),
      rss: st.rssPages * PAGE_SIZE,
      vsize: st.vsize,
      threads: st.threads,
      fds: e.fds,
      startTime: Math.round(btimeMs + (st.starttime * 1000) / CLK_TCK),
      nice: st.nice,
      priority: st.priority,
      readBps: e.readBps,
      writeBps: e.writeBps,
    };
  }

  /** First sight of a (pid, starttime): read what never changes for it. Null if it is gone. */
  #newEntry(dir: string, comm: string): Entry | null {
    const status = this.#reader.text(`${dir}/status`);
    if (status === 'gone') return null;
    const uid = typeof status === 'string' ? parseStatusUid(status) : null;
    const n = this.#reader.read(`${dir}/cmdline`, 64 * 1024);
    const cmd = typeof n === 'number' ? parseCmdline(this.#reader.buffer, n) : '';
    return {
      name: comm,
      cmd,
      user: uid === null ? null : this.#users.name(uid),
      ticks: 0,
      io: null,
      ioTick: 0,
      readBps: null,
      writeBps: null,
      fds: null,
      seen: 0,
    };
  }

  #countFds(dir: string): number | null {
    try {
      return readdirSync(`${dir}/fd`).length;
    } catch {
      return null; // not permitted, or gone (then the next tick drops the row)
    }
  }

  #readIo(dir: string, e: Entry, tick: number, dtSec: number): void {
    const text = this.#reader.text(`${dir}/io`);
    const io = typeof text === 'string' ? parsePidIo(text) : null;
    if (!io) {
      e.io = null;
      e.readBps = e.writeBps = null;
      return;
    }
    // Rates need two readings in a row; on the slow cadence the gap spans several ticks.
    if (e.io && tick > e.ioTick && dtSec > 0) {
      const span = dtSec * (tick - e.ioTick);
      e.readBps = Math.round(Math.max(0, io.read - e.io.read) / span);
      e.writeBps = Math.round(Math.max(0, io.write - e.io.write) / span);
    }
    e.io = io;
    e.ioTick = tick;
  }
}
