/**
 * Per-process state of the Linux fast path, keyed by pid. The rule: a process is skipped only
 * when nothing in it can have run since its last reading, because every field that moves
 * (CPU time, state, threads, memory, open files, I/O, name, command line) moves only when one
 * of its threads runs. The proof is one pread per thread of a kept-open schedstat, whose run
 * time (ns) counts that one thread: /proc/<pid>/schedstat for a single-threaded process (it
 * must run to make a second thread), /proc/<pid>/task/<tid>/schedstat for each thread of a
 * multi-threaded one (/proc/<pid>/schedstat counts main only, often asleep in join while the
 * workers run). Nothing cheaper in plain Node proves it: stat's whole-process CPU time moves in
 * 10 ms steps, and the ns-exact whole-process clock needs the native addon (below). Past `MAX_GATED_THREADS` threads the per-thread proof costs more than reading
 * everything, so such a process is read every tick: stat (whole-process times, threads,
 * state), statm (resident memory as top and ps show it; stat's rss is the kernel's
 * per-CPU-cached approximation, 9 % low on 6.x), io and the open-fd count; its command line
 * every second tick (staggered by pid) or at once when comm or threads change.
 * What changes without the process running — its parent exiting (reparenting), a renice from
 * another process, reclaim shrinking its memory — is caught by the parent check below, by the
 * focus (rows the user looks at are read in full), and by the slow turn: every row each
 * `SLOW_EVERY` ticks, staggered by pid. The slow turn of a process in which nothing ran reads
 * only what another process can change: resident memory (statm: reclaim, swap-out, KSM,
 * a truncated file mapping, process_vm_writev), nice and priority (setpriority,
 * sched_setscheduler), and for the schedstat gate stat (which has those two). Not the command
 * line (argv is its own memory; exec runs it), not io (its own syscalls and faults), not the
 * open files (no syscall opens or closes another process's fds), not comm (only its own thread
 * group may write /proc/<pid>/comm), nor threads, state (a stop or exit runs the signal in it),
 * vsize or CPU time: each moves only when one of its threads runs.
 * With the native gate the slow turn is statm plus the addon's schedPrio (3 syscalls), not stat.
 *
 * The native gate, when the CPU-clock addon is loaded (native-clock.ts): one clock_gettime on
 * each process's CPU clock for all pids at the top of the tick (~0.4 µs each) gives the whole
 * thread group's run time in ns; unmoved, nothing in it ran, whatever its thread count (making,
 * ending or waking a thread takes a thread running), so every process is gated by that rule
 * and the schedstat files above are neither opened nor read.
 *
 * Cost per multi-threaded process per tick, measured with 1,100 of them on the 2-vCPU build
 * machine: stat ~7 µs, io ~5, cmdline ~6 (every second tick), statm ~3, and ~3 for the fd
 * count by fstat of a kept fd on /proc/<pid>/fd (~10 by path); a schedstat pread ~2.
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
import {
  CMDLINE,
  FD_SIZE_WORKS,
  IO,
  noFiles,
  PAGE_SIZE,
  PidFiles,
  SCHED,
  STAT,
  STATM,
  type Tasks,
} from './pid-files';
import { type CpuClocks, type SchedPrio } from './native-clock';
import { type ProcReader } from './proc-reader';
import { UserNames } from './passwd';
import { ageSec, CLK_TCK, startWallMs, type TickContext } from './tick-context';

/** Kept here too for the callers that take it from the sampler's process table. */
export { CLK_TCK };

/** Every row is read in full at least every this many ticks, whether it ran or not. */
export const SLOW_EVERY = 15;

/**
 * A multi-threaded process with at most this many threads is skipped on its threads' own run
 * times (a schedstat pread per thread, ~2 µs each); with more, its full read every tick (stat,
 * statm, io, fd count, cmdline: 16-23 µs for 2-33 threads) costs less. Measured side by side on
 * the 2-vCPU build machine: 2 threads 4.8 µs against 22, 5: 10.7 / 15.9, 9: 18.5 / 16.2, 17: 35 / 19.
 */
export const MAX_GATED_THREADS = 8;

interface Entry {
  key: string;
  starttime: number;
  /** Kept-open files by slot (STAT, SCHED, …), -1 where not held. */
  files: Int32Array;
  /** schedstat run time (ns) taken before the last full read; -1 when there is none to trust. */
  runNs: number;
  /** Native gate: the process CPU clock (ns) taken before the last full read (-1: none), and this tick's (NaN: not taken). */
  clockNs: number;
  clockNow: number;
  /** When `clockNs` was taken (`performance.now()`, mid-call of the batch that read it). */
  clockAt: number;
  /**
   * Native gate: CPU % over the interval from the previous tick's clock to this tick's, exact
   * to the ns (utime + stime count whole 10 ms ticks: 1 % steps at 1 Hz); NaN when either
   * reading is missing, and then the stat ticks decide.
   */
  clockPct: number;
  /** Multi-threaded: every thread's kept schedstat and run time, or null (not listed yet, or too many). */
  tasks: Tasks | null;
  /** Tick from which listing its threads may be tried again (the fd budget was short). */
  tasksRetry: number;
  /** Something in it ran since the reading before the last one too (it is busy: keep its files open). */
  busy: boolean;
  ranTick: number;
  threads: number;
  name: string;
  cmd: string;
  user: string | null;
  /** Wall-clock ms of the start, fixed at first sight so it never jitters between ticks. */
  startTime: number;
  ticks: number;
  /**
   * performance.now() when `ticks` and the I/O counters were last known current: its last full
   * read, or the gate that proved nothing in it ran since. Rates divide by the time since then,
   * not by the tick's span: a tick that reads 2,000 processes cold takes long enough (0.2 s) to
   * read a spinning process as 91 %.
   */
  at: number;
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
  /** The native gate (null: the schedstat gate), its pid and figure buffers, and new pids' figures this tick. */
  readonly #clocks: CpuClocks | null;
  #clockPids = new Int32Array(0);
  #clockOut = new Float64Array(0);
  readonly #newClock = new Map<number, number>();
  /** performance.now() halfway through this tick's clock call: when its figures were taken. */
  #gateAt = 0;
  /** The addon's nice and priority of one pid (null: the slow turn reads stat), and its figures. */
  readonly #prio: SchedPrio | null;
  readonly #prioOut = new Int32Array(2);

  constructor(
    root: string,
    reader: ProcReader,
    maxFds: number,
    clocks: CpuClocks | null = null,
    prio: SchedPrio | null = null,
  ) {
    this.#root = root;
    this.#clocks = clocks;
    this.#prio = clocks ? prio : null;
    this.#reader = reader;
    this.#files = new PidFiles(reader, maxFds, () => this.#shed());
    this.#fdBySize = root === '/proc' && FD_SIZE_WORKS;
  }

  /** Read one process; null when it is gone (or its stat is unreadable). */
  read(pid: number, ctx: TickContext): ProcRow | null {
    const e = this.#byPid.get(pid);
    const gate = e && this.#gate(pid, e, ctx);
    if (gate === 'idle') return this.#idle(e!, ctx);
    if (gate === 'slow') {
      const row = this.#slowTurn(pid, e!, ctx);
      if (row) return row;
    }
    // Past the idle rows (most of them), which need no path.
    const dir = `${this.#root}/${pid}`;
    if (e) {
      if (gate !== 'gone') {
        const len = this.#files.read(dir, e.files, STAT, this.#clocks !== null || !e.tasks || e.busy);
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
    const clocks = this.#clocks;
    this.#newClock.clear();
    if (clocks) {
      if (this.#clockPids.length < pids.length) {
        this.#clockPids = new Int32Array(pids.length + 256);
        this.#clockOut = new Float64Array(pids.length + 256);
      }
      const ids = this.#clockPids.subarray(0, pids.length);
      for (let i = 0; i < pids.length; i++) ids[i] = pids[i]!;
      // Every figure is taken before any full read of this tick: a run during one shows next tick.
      const t0 = performance.now();
      clocks(ids, this.#clockOut);
      this.#gateAt = (t0 + performance.now()) / 2;
    }
    const out = this.#clockOut;
    for (let i = 0; i < pids.length; i++) {
      const e = this.#byPid.get(pids[i]!);
      if (e) {
        // Reaped (its clock reads -EINVAL: no such process): gone for the parent check, listed or not.
        if (!clocks || out[i]! >= 0) e.listed = tick;
        if (clocks) e.clockNow = out[i]!;
      } else if (clocks) this.#newClock.set(pids[i]!, out[i]!);
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

  /** Full reads so far (a row whose gate could not prove that nothing in it ran, or forced). */
  fullReads = 0;

  /** Slow turns taken with statm and the addon's priority alone (the process did not run). */
  slowReads = 0;

  /** Number of /proc files held open. */
  get keptFds(): number {
    return this.#files.kept;
  }

  /**
   * 'idle' when nothing in the process can have run since its last full read; 'forced' when
   * it must be read anyway (new row, focus, parent gone) though nothing in it ran; 'slow' when
   * only its slow turn asks for it (what changes from outside: `#slowTurn`).
   */
  #gate(pid: number, e: Entry, ctx: TickContext): 'idle' | 'forced' | 'slow' | 'read' | 'gone' {
    let ran = true;
    if (this.#clocks) {
      // Exact for any thread count. Not taken this tick (not listed) or unreadable: read it.
      const now = e.clockNow;
      e.clockNow = NaN;
      ran = !(now >= 0) || now !== e.clockNs;
      const ms = this.#gateAt - e.clockAt;
      e.clockPct = now >= 0 && e.clockNs >= 0 && ms > 0 ? (100 * (now - e.clockNs)) / 1e6 / ms : NaN;
      e.clockNs = now >= 0 ? now : -1;
      e.clockAt = this.#gateAt;
    } else if (e.threads === 1 && e.files[SCHED]! >= 0) {
      const n = this.#reader.pread(e.files[SCHED]!);
      if (typeof n !== 'number') return 'gone';
      const runNs = firstNumber(this.#reader.buffer, n);
      ran = runNs < 0 || runNs !== e.runNs;
      // Taken before the full read, so a run that starts during it shows next tick.
      e.runNs = runNs;
    } else {
      e.runNs = -1; // main's figure is no proof for the others: none to trust when single again
      if (e.threads > 1 && e.threads <= MAX_GATED_THREADS) ran = this.#threadsRan(pid, e, ctx);
    }
    if (ran) {
      e.busy = e.ranTick === ctx.tick - 1;
      e.ranTick = ctx.tick;
      return 'read';
    }
    const force =
      !e.row ||
      ctx.focus.has(e.key) ||
      // Its parent exited: it was reparented without running, so its ppid moved. The parent's
      // entry lives until this tick's sweep, so its absence from this tick's listing decides.
      (e.row.ppid > 0 && this.#byPid.get(e.row.ppid)?.listed !== ctx.tick);
    if (force) return 'forced';
    return (pid + ctx.tick) % SLOW_EVERY === 0 ? 'slow' : 'idle';
  }

  /**
   * The slow turn of a process in which nothing ran: only what another process can change
   * while none of its threads runs, from two cheap sources — resident memory (reclaim, swap,
   * KSM merging, a truncated file mapping, process_vm_writev: statm) and nice and priority
   * (setpriority, sched_setscheduler: the addon's schedPrio, 3 syscalls against formatting
   * the whole stat line). Null when it cannot (no kept statm, gone): read it in full instead.
   */
  #slowTurn(pid: number, e: Entry, ctx: TickContext): ProcRow | null {
    // A kept statm fd proves the process: read after the priority, it fails if the pid died
    // (and so could have been reused) in between.
    if (!this.#prio || e.files[STATM]! < 0 || !this.#prio(pid, this.#prioOut)) return null;
    const n = this.#reader.pread(e.files[STATM]!);
    const pages = typeof n === 'number' ? parseStatmResident(this.#reader.buffer, n) : -1;
    if (pages < 0) return null;
    this.slowReads++;
    const rss = pages * PAGE_SIZE;
    const nice = this.#prioOut[0]!;
    const priority = this.#prioOut[1]!;
    const row = this.#idle(e, ctx);
    if (row.rss === rss && row.nice === nice && row.priority === priority) return row;
    e.row = { ...row, rss, nice, priority };
    return e.row;
  }

  /**
   * Whether any thread of a multi-threaded process ran since the last full read, from each
   * thread's run time taken before a full read. Exact when it says no: the threads were listed
   * before a full read whose stat counted as many, all are still there (a kept fd on an ended
   * thread reads ESRCH, even when its tid is reused), and none moved; a thread made since must
   * have been made by one of them, running. Any doubt (not listed yet, a thread ended, the count
   * moved) lists them again and says yes.
   */
  #threadsRan(pid: number, e: Entry, ctx: TickContext): boolean {
    const t = e.tasks;
    if (t && t.fds.length === e.threads) {
      // The thread that ran last is asked first; the first that moved settles it. The others'
      // figures may then be older than this full read, which can only make a later tick read
      // once more for nothing, never skip a run.
      for (let k = 0; k < t.fds.length; k++) {
        const i = (t.last + k) % t.fds.length;
        const n = this.#reader.pread(t.fds[i]!);
        if (typeof n !== 'number') {
          this.#dropTasks(e); // that thread ended (so it ran), or the process is gone: stat tells
          return true;
        }
        const ns = firstNumber(this.#reader.buffer, n);
        if (ns < 0 || ns !== t.runNs[i]) {
          t.runNs[i] = ns;
          t.last = i;
          return true;
        }
      }
      return false;
    }
    if (t) this.#dropTasks(e);
    if (ctx.tick >= e.tasksRetry) {
      const listed = this.#files.openTasks(`${this.#root}/${pid}`);
      if (listed === 'budget') e.tasksRetry = ctx.tick + SLOW_EVERY;
      else e.tasks = listed;
      // The budget goes to the threads' schedstat: main's is among them, and the other files
      // (stat included: a reused pid fails the threads' preads first) are kept again if it runs on.
      if (listed && listed !== 'budget' && !e.busy) this.#files.close(e.files);
    }
    return true;
  }

  /** Close the kept files of rows until the kept count fits the (lowered) budget. */
  #shed(): void {
    for (const e of this.#byPid.values()) {
      if (this.#files.kept <= this.#files.budget) return;
      this.#files.close(e.files);
      this.#dropTasks(e);
    }
  }

  #dropTasks(e: Entry): void {
    if (e.tasks) this.#files.close(e.tasks.fds);
    e.tasks = null;
  }

  /** The previous row at 0 % and no I/O: nothing ran, so nothing else moved either. */
  #idle(e: Entry, ctx: TickContext): ProcRow {
    e.seen = ctx.tick;
    e.at = this.#clocks ? this.#gateAt : performance.now();
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
    this.fullReads++;
    const at = performance.now();
    const dt = e.at > 0 ? (at - e.at) / 1000 : ctx.dtSec;
    e.at = at;
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
    else if (!fresh && e.clockPct >= 0) cpu = Math.min(e.clockPct, 100 * st.threads);
    else if (!fresh && dt > 0) cpu = (100 * Math.max(0, ticks - e.ticks)) / CLK_TCK / dt;
    const renamed = st.comm !== e.name || multi !== e.threads > 1;
    e.ticks = ticks;
    e.threads = st.threads;
    if (e.tasks && (!multi || st.threads > MAX_GATED_THREADS)) this.#dropTasks(e);
    // Single-threaded (again): its gate is main's schedstat, whose figure is taken next tick.
    if (!multi && e.files[SCHED]! < 0 && !this.#clocks) {
      this.#files.keep(dir, e.files, SCHED);
      e.runNs = -1;
    }
    // Files of a multi-threaded process that is skipped on its threads' run times are read by
    // path unless it runs tick after tick: the fd budget goes to its threads' schedstat first.
    // Native gate: any row is read only when something in it ran, so keep them for the busy ones.
    const keep = this.#clocks ? e.busy : multi && (!e.tasks || e.busy);
    e.seen = ctx.tick;
    e.name = st.comm;

    if (st.state === 'Z' || st.state === 'X' || kthread) e.cmd = '';
    // Every second tick (by pid) only for one read every tick anyway; one skipped on its threads'
    // run times may not be read again for long, so read it on each tick something in it ran.
    else if (fresh || renamed || (ran && (!multi || e.tasks || this.#clocks || (pid + ctx.tick) % 2 === 0)))
      e.cmd = this.#cmdline(dir, e, keep);

    let rss = st.rssPages * PAGE_SIZE;
    // Native gate: statm is read on every forced read too (slow turn), so it stays open like stat.
    const n = this.#files.read(dir, e.files, STATM, keep || this.#clocks !== null);
    if (typeof n === 'number') {
      const pages = parseStatmResident(this.#reader.buffer, n);
      if (pages >= 0) rss = pages * PAGE_SIZE;
    }
    if (ran) {
      const slowTurn = (pid + ctx.tick) % SLOW_EVERY === 0;
      if (!e.fdsDenied || slowTurn) {
        e.fds = this.#files.countFds(dir, e.files, keep, this.#fdBySize);
        e.fdsDenied = e.fds === null;
      }
      this.#readIo(dir, e, keep, fresh ? (young ? span : 0) : dt, slowTurn);
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
    this.#dropTasks(e);
    this.#byPid.delete(pid);
  }

  /**
   * First sight of a pid: keep schedstat open and take its run time BEFORE stat is read (so
   * a run during this reading shows next tick), then read what never changes for a (pid,
   * start time): the user and the start time. Null if it is gone.
   */
  #newEntry(pid: number, dir: string, ctx: TickContext): { e: Entry; st: PidStat } | null {
    const files = noFiles();
    // Native gate: the clock was taken in list(), before this read.
    const n = this.#clocks ? 'native' : this.#files.read(dir, files, SCHED, true);
    const runNs = typeof n === 'number' ? firstNumber(this.#reader.buffer, n) : -1;
    const clockNs = this.#newClock.get(pid) ?? -1;
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
      clockNs: clockNs >= 0 ? clockNs : -1,
      clockNow: NaN,
      clockAt: this.#gateAt,
      clockPct: NaN,
      tasks: null,
      tasksRetry: 0,
      busy: false,
      ranTick: -1,
      threads: 0,
      name: st.comm,
      cmd: '',
      user: uid === null ? null : this.#users.name(uid),
      startTime: startWallMs(st.starttime, ctx),
      ticks: 0,
      at: 0,
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
