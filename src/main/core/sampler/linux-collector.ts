/**
 * The Linux fast path: /proc/stat, /proc/loadavg and /proc/meminfo for the machine, then
 * one cheap read per process through `PidTable`, all through one reused buffer.
 */
import { readdirSync } from 'node:fs';
import type { ProcRow } from '../../../shared/contract';
import { round1, type Collected, type Collector } from './collector';
import { field } from './parse-pid';
import { parseLoadAvg, parseMemInfo, parseStatCounters, type StatCounters } from './parse-system';
import { loadCpuClocks } from './native-clock';
import { PidTable } from './pid-table';
import { cpuPct, parseProcStat, type CpuTimes } from './proc-stat';
import { ProcReader } from './proc-reader';
import { CLK_TCK, type TickContext } from './tick-context';

/** At most this many /proc/<pid>/* files are kept open (and never more than half the fd limit). */
export const MAX_KEPT_FDS = 16384;

export class LinuxCollector implements Collector {
  readonly source = 'procfs' as const;
  readonly #root: string;
  readonly #reader = new ProcReader();
  readonly #pids: PidTable;
  #prevCpu: { total: CpuTimes; cores: CpuTimes[] } | null = null;
  #prevCounters: StatCounters | null = null;
  #prevMono = 0;
  #prevUptimeTicks = 0;
  /** /proc/uptime is missing (a test's fake root): the wall clock and btime stand in. */
  #noUptime = false;
  #tick = 0;
  /** Pids read last tick, and the fork count read before the /proc listing they came from. */
  #lastPids: number[] = [];
  #listedForks: number | null = null;
  /** Every pid of the last tick gave a row (none gone): its pids may stand for a listing. */
  #listOk = false;

  constructor(root = '/proc') {
    this.#root = root;
    // The native gate reads the real kernel's clocks: never for a test's fake root.
    this.native = root === '/proc' && loadCpuClocks().clocks !== null;
    this.#pids = new PidTable(
      root,
      this.#reader,
      this.#fdBudget(),
      this.native ? loadCpuClocks().clocks : null,
      this.native ? (loadCpuClocks().prio ?? null) : null,
    );
  }

  /** Whether rows are gated on the native per-process CPU clock (else on schedstat). */
  readonly native: boolean;

  /** Stat files currently held open (Spindle's own fd footprint from this cache). */
  get keptFds(): number {
    return this.#pids.keptFds;
  }

  /** Readdirs of /proc so far (the others reused the last tick's pids: no fork since). */
  listings = 0;

  /** Rows read in full so far; the others were proven idle by their run times alone. */
  get fullReads(): number {
    return this.#pids.fullReads;
  }

  collect(focus: ReadonlySet<string> = new Set()): Collected {
    const t = Date.now();
    const mono = performance.now();
    const dtSec = this.#prevMono ? (mono - this.#prevMono) / 1000 : 0;
    const tick = ++this.#tick;
    // read(), not text(): a failure is a string too, and text() would hand it on as the file.
    const statLen = this.#reader.read(`${this.#root}/stat`);
    if (typeof statLen !== 'number') {
      throw new Error(`cannot read ${this.#root}/stat: ${this.#reader.lastErrorCode || statLen}`);
    }
    const statText = this.#reader.buffer.toString('latin1', 0, statLen);
    const cpuNow = parseProcStat(statText);
    const counters = parseStatCounters(statText);
    const prevCpu = this.#prevCpu ?? cpuNow;
    const cpu = {
      total: cpuPct(prevCpu.total, cpuNow.total),
      cores: cpuNow.cores.map((c, i) => cpuPct(prevCpu.cores[i] ?? c, c)),
    };
    const loadText = this.#reader.text(`${this.#root}/loadavg`);
    const memText = this.#reader.text(`${this.#root}/meminfo`);
    const btimeMs = (counters.btime ?? 0) * 1000;
    const nowMs = Date.now();
    const ctx: TickContext = {
      tick,
      dtSec,
      nCores: Math.max(1, cpuNow.cores.length),
      nowMs,
      uptimeSec: this.#uptime(nowMs, btimeMs),
      mono: performance.now(),
      prevUptimeTicks: this.#prevUptimeTicks,
      focus,
    };

    const rows: ProcRow[] = [];
    let threads = 0;
    // No process can be there that the last listing missed when no fork (process or thread)
    // has completed since the fork count read before it: every process (kernel threads too)
    // comes from copy_process, which makes it visible and moves the count under one lock. (One
    // made visible in the few instructions before the count moves, as this tick reads it, shows
    // next tick, like one made just after a listing.) Those that ended read gone. Only with the
    // native gate, whose clocks tell a gone pid before any read (the parent check needs it).
    const reuse =
      this.native && this.#listOk && counters.processes !== null && counters.processes === this.#listedForks;
    let pids = this.#lastPids;
    if (!reuse) {
      pids = [];
      for (const name of readdirSync(this.#root)) {
        const c = name.charCodeAt(0);
        if (c >= 0x30 && c <= 0x39) pids.push(Number(name));
      }
      this.#listedForks = counters.processes;
      this.listings++;
    }
    this.#pids.list(pids, tick);
    const kept: number[] = [];
    let ok = true;
    for (const pid of pids) {
      const row = this.#pids.read(pid, ctx);
      if (!row) {
        ok = false; // gone (or unreadable): the next tick lists /proc again
        continue;
      }
      kept.push(pid);
      rows.push(row);
      threads += row.threads ?? 0;
    }
    this.#lastPids = kept;
    this.#listOk = ok;
    this.#pids.sweep(tick);

    const prev = this.#prevCounters;
    const rate = (a: number | null | undefined, b: number | null | undefined): number | null =>
      a != null && b != null && dtSec > 0 ? round1(Math.max(0, b - a) / dtSec) : null;
    this.#prevCpu = cpuNow;
    this.#prevCounters = counters;
    this.#prevMono = mono;
    // Truncated like starttime: a process started after this reading has starttime >= it.
    this.#prevUptimeTicks = Math.floor(ctx.uptimeSec * CLK_TCK);
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

  /** Close the kept stat files. */
  close(): void {
    this.#pids.close();
  }

  /** Seconds since boot on the kernel's clock (CLOCK_BOOTTIME, what starttime counts in). */
  #uptime(t: number, btimeMs: number): number {
    if (!this.#noUptime) {
      const text = this.#reader.text(`${this.#root}/uptime`);
      const up = typeof text === 'string' ? Number(text.slice(0, text.indexOf(' '))) : NaN;
      if (up > 0) return up;
      this.#noUptime = true;
    }
    return (t - btimeMs) / 1000;
  }

  #fdBudget(): number {
    const limits = this.#reader.text('/proc/self/limits');
    const soft =
      typeof limits === 'string'
        ? Number(field(limits.replace(/ {2,}/g, ':'), 'Max open files')?.split(':')[0])
        : NaN;
    return Number.isFinite(soft) ? Math.min(MAX_KEPT_FDS, Math.floor(soft / 2)) : 0;
  }
}
