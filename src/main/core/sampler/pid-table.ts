/**
 * Per-process state of the Linux fast path, keyed by pid. The rule: a process is skipped only
 * when nothing in it can have run since its last reading, because every field that moves
 * (CPU time, state, threads, memory, open files, I/O, name, command line) moves only when one
 * of its threads runs. The proof is cheap for a single-threaded process: one pread of its
 * kept-open /proc/<pid>/schedstat, whose run time (ns) counts that one thread, and a process
 * must run to create a second thread. For a multi-threaded one schedstat counts the main
 * thread only (often asleep in join while workers run), so it is read every tick: stat (whole-
 * process times, threads, state), statm (resident memory as top and ps show it; stat's rss is
 * the kernel's per-CPU-cached approximation, 9 % low on 6.x), io and the open-fd count; its
 * command line every second tick (staggered by pid) or at once when comm or threads change.
 * What changes without the process running — its parent exiting (reparenting), a renice from
 * another process, reclaim shrinking its memory — is caught by the parent check below, by the
 * focus (rows the user looks at are read in full), and by a full read of every row each
 * `SLOW_EVERY` ticks, staggered by pid.
 *
 * Cost per multi-threaded process per tick, measured with 1,100 of them on the 2-vCPU build
 * machine: stat ~7 µs, io ~5, cmdline ~6 (every second tick), statm ~3, and ~3 for the fd
 * count by fstat of a kept fd on /proc/<pid>/fd (~10 by path); a sleeper's schedstat ~2.5.
 */
import type { ProcRow } from '../../../shared/contract';
import { round1, round2 } from './collector';
import {
  firstNumber,
  parseCmdline,
  parsePidIo,
  parsePidStat,
  parseStatmResident,
  parseStatusUid,
  PF_KTHREAD,
  type PidStat,
} from './parse-pid';
import { CMDLINE, FD_SIZE_WORKS, IO, noFiles, PAGE_SIZE, PidFiles, SCHED, STAT, STATM } from './pid-files';
import { type ProcReader } from './proc-reader';
import { UserNames } from './passwd';
import { ageSec, CLK_TCK, startWallMs, type TickContext } from './tick-context';

/** Kept here too for the callers that take it from the sampler's process table. */
export { CLK_TCK };

/** Every row is read in full at least every this many ticks, whether it ran or not. */
export const SLOW_EVERY = 15;

interface Entry {
  key: string;
  starttime: number;
  /** Kept-open files by slot (STAT, SCHED, …), -1 where not held. */
  files: Int32Array;
  /** schedstat run time (ns) taken before the last full read; -1 when there is none to trust. */
  runNs: number;
  threads: number;
  name: string;
  cmd: string;
  user: string | null;
  /** Wall-clock ms of the start, fixed at first sight so it never jitters between ticks. */
  startTime: number;
  ticks: number;
  io: { read: number; write: number } | null;
  /** /proc/<pid>/io, /proc/<pid>/fd refused us once: not retried until the slow turn. */
  ioDenied: boolean;
  fdsDenied: boolean;
  readBps: number | null;
  writeBps: number | null;
  fds: number | null;
  seen: number;
  /** Last tick whose /proc listing had this pid (the parent check trusts it, not `seen`). */
  listed: number;
  /** Row emitted last tick; returned again (same object) when nothing changed. */
  row: ProcRow | null;
}

export class PidTable {
  readonly #root: string;
  readonly #reader: ProcReader;
  readonly #files: PidFiles;
  readonly #users = new UserNames();
  readonly #byPid = new Map<number, Entry>();
  /** Only the real procfs reports fd counts as the size of /proc/<pid>/fd. */
  readonly #fdBySize: boolean;

  constructor(root: string, reader: ProcReader, maxFds: number) {
    this.#root = root;
    this.#reader = reader;
    this.#files = new PidFiles(reader, maxFds);
    this.#fdBySize = root === '/proc' && FD_SIZE_WORKS;
  }

  /** Read one process; null when it is gone (or its stat is unreadable). */
  read(pid: number, ctx: TickContext): ProcRow | null {
    const e = this.#byPid.get(pid);
    const gate = e && this.#gate(pid, e, ctx);
    if (gate === 'idle') return this.#idle(e!, ctx);
    // Past the idle rows (most of them), which need no path.
    const dir = `${this.#root}/${pid}`;
    if (e) {
      if (gate !== 'gone') {
        const len = this.#files.read(dir, e.files, STAT, true);
        const st = typeof len === 'number' ? parsePidStat(this.#reader.buffer, len, true) : null;
        if (st && st.starttime === e.starttime) return this.#full(pid, dir, e, st, ctx, gate === 'read');
      }
      // That process ended; the pid may already be another's: read it afresh.
      this.#drop(pid, e);
    }
    const fresh = this.#newEntry(pid, dir, ctx);
    return fresh ? this.#full(pid, dir, fresh.e, fresh.st, ctx, true) : null;
  }

  /**
   * Mark the pids in this tick's /proc listing, before any is read: a parent that is gone from
   * the listing is known gone for every row of this tick, whatever the reading order.
   */
  list(pids: ArrayLike<number>, tick: number): void {
    for (let i = 0; i < pids.length; i++) {
      const e = this.#byPid.get(pids[i]!);
      if (e) e.listed = tick;
    }
  }

  /** Forget every process not read on `tick` (exited), closing its fds. */
  sweep(tick: number): void {
    for (const [pid, e] of this.#byPid) if (e.seen !== tick) this.#drop(pid, e);
  }

  /** Close every kept fd. */
  close(): void {
    for (const [pid, e] of this.#byPid) this.#drop(pid, e);
  }

  /** Number of /proc files held open. */
  get keptFds(): number {
    return this.#files.kept;
  }

  /**
   * 'idle' when nothing in the process can have run since its last full read; 'forced' when
   * it must be read anyway (new row, focus, slow turn, parent gone) though nothing in it ran.
   */
  #gate(pid: number, e: Entry, ctx: TickContext): 'idle' | 'forced' | 'read' | 'gone' {
    if (e.threads !== 1 || e.files[SCHED]! < 0) {
      e.runNs = -1; // no proof either way: read everything
      return 'read';
    }
    const n = this.#reader.pread(e.files[SCHED]!);
    if (typeof n !== 'number') return 'gone';
    const runNs = firstNumber(this.#reader.buffer, n);
    if (runNs >= 0 && runNs === e.runNs) {
      const force =
        !e.row ||
        ctx.focus.has(e.key) ||
        (pid + ctx.tick) % SLOW_EVERY === 0 ||
        // Its parent exited: it was reparented without running, so its ppid moved. The parent's
        // entry lives until this tick's sweep, so its absence from this tick's listing decides.
        (e.row.ppid > 0 && this.#byPid.get(e.row.ppid)?.listed !== ctx.tick);
      return force ? 'forced' : 'idle';
    }
    // Taken before the full read, so a run that starts during it shows next tick.
    e.runNs = runNs;
    return 'read';
  }

  /** The previous row at 0 % and no I/O: nothing ran, so nothing else moved either. */
  #idle(e: Entry, ctx: TickContext): ProcRow {
    e.seen = ctx.tick;
    const row = e.row!;
    if (row.cpu !== 0 || row.readBps || row.writeBps) {
      e.readBps = e.readBps === null ? null : 0;
      e.writeBps = e.writeBps === null ? null : 0;
      e.row = { ...row, cpu: 0, cpuNorm: 0, readBps: e.readBps, writeBps: e.writeBps };
    }
    return e.row!;
  }

  /**
   * Read everything that can have changed, and emit a new row if anything did. `ran` false:
   * nothing in it ran (a forced read of a sleeper), so its command line, open files and I/O
   * counters stand; stat and statm are read for what moves without it (ppid, nice, reclaim).
   */
  #full(pid: number, dir: string, e: Entry, st: PidStat, ctx: TickContext, ran: boolean): ProcRow {
    const fresh = e.row === null;
    const ticks = st.utime + st.stime;
    const multi = st.threads > 1;
    const kthread = (st.flags & PF_KTHREAD) !== 0;
    // A process first seen this tick and started since the previous reading: all its ticks
    // and I/O fall inside its own life so far, the part of this interval it existed.
    const young = fresh && ctx.dtSec > 0 && st.starttime >= ctx.prevUptimeTicks;
    const span = young ? ageSec(st.starttime, ctx) : ctx.dtSec;
    let cpu = 0;
    if (young) cpu = Math.min((100 * ticks) / CLK_TCK / span, 100 * st.threads);
    else if (!fresh && ctx.dtSec > 0) cpu = (100 * Math.max(0, ticks - e.ticks)) / CLK_TCK / ctx.dtSec;
    const renamed = st.comm !== e.name || multi !== e.threads > 1;
    e.ticks = ticks;
    e.threads = st.threads;
    e.seen = ctx.tick;
    e.name = st.comm;

    if (st.state === 'Z' || st.state === 'X' || kthread) e.cmd = '';
    else if (fresh || renamed || (ran && (!multi || (pid + ctx.tick) % 2 === 0)))
      e.cmd = this.#cmdline(dir, e, multi);

    let rss = st.rssPages * PAGE_SIZE;
    const n = this.#files.read(dir, e.files, STATM, multi);
    if (typeof n === 'number') {
      const pages = parseStatmResident(this.#reader.buffer, n);
      if (pages >= 0) rss = pages * PAGE_SIZE;
    }
    if (ran) {
      const slowTurn = (pid + ctx.tick) % SLOW_EVERY === 0;
      if (!e.fdsDenied || slowTurn) {
        e.fds = this.#files.countFds(dir, e.files, multi, this.#fdBySize);
        e.fdsDenied = e.fds === null;
      }
      this.#readIo(dir, e, multi, fresh ? (young ? span : 0) : ctx.dtSec, slowTurn);
    } else {
      e.readBps = e.readBps === null ? null : 0;
      e.writeBps = e.writeBps === null ? null : 0;
    }

    const prev = e.row;
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
      prev.writeBps === e.writeBps &&
      prev.name === e.name &&
      prev.cmd === e.cmd
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
      startTime: e.startTime,
      nice: st.nice,
      priority: st.priority,
      readBps: e.readBps,
      writeBps: e.writeBps,
    };
    return e.row;
  }

  #cmdline(dir: string, e: Entry, keep: boolean): string {
    const n = this.#files.read(dir, e.files, CMDLINE, keep);
    return typeof n === 'number' ? parseCmdline(this.#reader.buffer, n) : e.cmd;
  }

  #drop(pid: number, e: Entry): void {
    this.#files.close(e.files);
    this.#byPid.delete(pid);
  }

  /**
   * First sight of a pid: keep schedstat open and take its run time BEFORE stat is read (so
   * a run during this reading shows next tick), then read what never changes for a (pid,
   * start time): the user and the start time. Null if it is gone.
   */
  #newEntry(pid: number, dir: string, ctx: TickContext): { e: Entry; st: PidStat } | null {
    const files = noFiles();
    const n = this.#files.read(dir, files, SCHED, true);
    const runNs = typeof n === 'number' ? firstNumber(this.#reader.buffer, n) : -1;
    // No schedstat (a kernel without CONFIG_SCHED_INFO) only means no gate: stat decides.
    const len = this.#files.read(dir, files, STAT, true);
    const st = typeof len === 'number' ? parsePidStat(this.#reader.buffer, len, true) : null;
    const status = st ? this.#reader.text(`${dir}/status`) : 'gone';
    if (!st || status === 'gone') {
      this.#files.close(files);
      return null;
    }
    const uid = typeof status === 'string' ? parseStatusUid(status) : null;
    const e: Entry = {
      key: `${pid}:${st.starttime}`,
      starttime: st.starttime,
      files,
      runNs,
      threads: 0,
      name: st.comm,
      cmd: '',
      user: uid === null ? null : this.#users.name(uid),
      startTime: startWallMs(st.starttime, ctx),
      ticks: 0,
      io: null,
      ioDenied: false,
      fdsDenied: false,
      readBps: null,
      writeBps: null,
      fds: null,
      seen: 0,
      listed: ctx.tick,
      row: null,
    };
    this.#byPid.set(pid, e);
    return { e, st };
  }

  /** `span`: seconds the counters' change covers (0: unknown, rates stay null this tick). */
  #readIo(dir: string, e: Entry, keep: boolean, span: number, retry: boolean): void {
    if (e.ioDenied && !retry) return;
    const n = this.#files.read(dir, e.files, IO, keep);
    const io = typeof n === 'number' ? parsePidIo(this.#reader.buffer, n) : null;
    if (!io) {
      e.ioDenied = n === 'denied';
      e.io = null;
      e.readBps = e.writeBps = null;
      return;
    }
    e.ioDenied = false;
    // Fresh and young: counters start at 0 with the process, so all of them fall in `span`.
    const base = e.io ?? (e.row === null ? { read: 0, write: 0 } : null);
    if (base && span > 0) {
      e.readBps = Math.round(Math.max(0, io.read - base.read) / span);
      e.writeBps = Math.round(Math.max(0, io.write - base.write) / span);
    } else {
      e.readBps = e.writeBps = null;
    }
    e.io = io;
  }
}
