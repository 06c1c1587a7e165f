/**
 * The stats area of the contract: what the sampler measures each tick, how the process
 * table travels (full rows, then deltas keyed by `${pid}:${starttime}`), and the history
 * window a new subscriber receives. All sizes are bytes, all times ms since epoch unless
 * a field says otherwise, all rates per second. `null` means "not known" (not permitted,
 * not provided by this kernel or platform), never zero.
 */
import { z } from 'zod';
import { request } from './define';

/** CPU time split, in percent of that core (or of all cores for the total). */
export { CPU_MODES } from '../cpu-modes';

export interface CpuPct {
  user: number;
  nice: number;
  system: number;
  idle: number;
  /** Null where the platform does not report it (the systeminformation fallback): unknown, not 0. */
  iowait: number | null;
  irq: number;
  softirq: number | null;
  steal: number | null;
  guest: number | null;
  /** 100 - idle - iowait (iowait counted as 0 when unknown) */
  busy: number;
}

/** Load average over 1, 5 and 15 minutes. */
export interface LoadAvg {
  one: number;
  five: number;
  fifteen: number;
}

/** Memory in bytes. `used` = total - available; `cached` includes reclaimable slab. */
export interface MemStats {
  total: number;
  used: number;
  available: number;
  free: number;
  buffers: number;
  cached: number;
  swapTotal: number;
  swapUsed: number;
}

/** Machine-wide task counts and rates. `running`/`blocked` count threads (from /proc/stat). */
export interface TaskStats {
  processes: number;
  /** Null where the platform does not report threads per process. */
  threads: number | null;
  running: number | null;
  blocked: number | null;
  ctxtPerSec: number | null;
  forksPerSec: number | null;
}

/** What the sampler itself cost on this tick, so the UI can show Spindle's own footprint. */
export interface SamplerCost {
  /** Spindle's (core process) pid, so the table can highlight it. */
  pid: number;
  /** CPU ms the sampler thread spent collecting this tick (see `cpuSource`). */
  cpuMs: number;
  /** 'thread': per-thread CPU clock; 'wall': busy wall time of the synchronous collection (an upper bound). */
  cpuSource: 'thread' | 'wall';
  /** CPU ms of the whole Spindle process (all threads) since the previous tick. */
  processCpuMs: number;
  rssBytes: number;
  /** JS heap used by the sampler thread. */
  heapBytes: number;
}

/** One tick of machine-wide metrics (the process table travels beside it, see `StatsTick`). */
export interface StatsSample {
  /** Tick number, +1 per tick; process deltas name the tick they apply on (`base`). */
  seq: number;
  t: number;
  /** Interval in force when this sample was taken. */
  intervalMs: number;
  cpu: { total: CpuPct; cores: CpuPct[] };
  load: LoadAvg | null;
  mem: MemStats | null;
  tasks: TaskStats;
  self: SamplerCost;
}

/** One row of the process table. Fields that cannot change for a key are read once. */
export interface ProcRow {
  /** `${pid}:${starttime}`, starttime in clock ticks since boot as in /proc/<pid>/stat: survives PID reuse. */
  key: string;
  pid: number;
  ppid: number;
  /** Kernel comm (up to 15 chars). */
  name: string;
  /** argv joined by spaces, capped at 4 KB; empty for kernel threads and zombies. */
  cmd: string;
  /** Effective user name, or the numeric uid as text when unknown to /etc/passwd; null if unreadable. */
  user: string | null;
  /** One letter as in ps: R running, S sleeping, D disk wait, Z zombie, T stopped, I idle… */
  state: string;
  /** CPU % where 100 = one core fully busy (as top/htop); may exceed 100. */
  cpu: number;
  /** CPU % of the whole machine (cpu / cores). */
  cpuNorm: number;
  /** Resident memory, bytes. */
  rss: number;
  /** Virtual memory size, bytes. */
  vsize: number;
  /** Null where the platform does not report it (the systeminformation fallback). */
  threads: number | null;
  /** Open file descriptors; null when not permitted. May lag a few ticks for uninteresting rows. */
  fds: number | null;
  /** Start time, ms since epoch. */
  startTime: number;
  nice: number;
  priority: number;
  /** Storage bytes read/written per second (read_bytes/write_bytes); null when not permitted. */
  readBps: number | null;
  writeBps: number | null;
}

/** A changed row: its key plus only the fields that changed. */
export type ProcChange = Partial<Omit<ProcRow, 'key'>> & { key: string };

/**
 * Ticks between whole resends of a row: 5 minutes at 1 Hz. The delta is diffed against the
 * table as sent, so the resend only guards against a codec bug, and it was most of every tick:
 * at 1/30 of 2,069 rows it was 19 KB of a 20 KB event on an idle machine, parsed and collected
 * by every window every second (0.4 % of a core in Chromium's GC threads alone).
 */
export const RESYNC_EVERY = 300;

/**
 * The process table's changes since tick `base` (= seq - 1), plus a rolling resync: every
 * row is resent whole once every `resyncEvery` ticks (about 1/resyncEvery of the table per
 * tick), which repairs any drift without the stall of a whole-table event. A tick's event is
 * at most 30 KB of JSON: what does not fit (many rows starting at once) follows on the next
 * ticks, and the resync takes only the room left; the top and interest rows are always exact. A client whose
 * table is not at `base`, or whose row count differs from `count` after applying, must
 * resubscribe (`stats.subscribe` returns the full table).
 */
export interface ProcDelta {
  base: number;
  added: ProcRow[];
  /** Keys of rows gone since `base`. */
  removed: string[];
  /** Rows that changed, with only the changed fields. */
  changed: ProcChange[];
  /** Whole rows resent this tick (set by key, whether changed or not). */
  resync: ProcRow[];
  /** Rows in the table after applying this delta. */
  count: number;
}

/** The `stats` event: one tick. */
export interface StatsTick {
  sample: StatsSample;
  procs: ProcDelta;
  /** Keys of the top N processes by CPU this tick (busiest first). */
  top: string[];
  /**
   * Keys of the other processes core records per-process series for this tick (selected by a
   * client, managed), at most `MAX_TRACKED_PROCS`. Their values are their rows in the table, so
   * a client pushing `top` + `interest` into its own history holds the series core holds.
   */
  interest: string[];
}

/** The sampler's settings. */
export interface StatsConfig {
  intervalMs: number;
  retentionMs: number;
  /** How many top-CPU processes get per-process history. */
  topN: number;
  /** Every row is resent whole once every this many ticks (see `ProcDelta.resync`). */
  resyncEvery: number;
  /** 'procfs' on Linux, 'systeminformation' elsewhere. */
  source: 'procfs' | 'systeminformation';
}

/** Per-process history, aligned to `HistoryWindow.t`; null = no reading (not tracked yet, or a gap). */
export interface ProcSeries {
  name: string;
  cpu: (number | null)[];
  rss: (number | null)[];
  threads: (number | null)[];
}

/** Names of machine-wide series: `cpu.<field>` (total), `cpu<N>.<field>` (core N), and the rest. */
export type SeriesName =
  | `cpu.${keyof CpuPct}`
  | `cpu${number}.${keyof CpuPct}`
  | 'load.one'
  | 'load.five'
  | 'load.fifteen'
  | `mem.${keyof MemStats}`
  | `tasks.${keyof TaskStats}`
  | 'self.cpuMs'
  | 'self.processCpuMs'
  | 'self.rssBytes'
  | 'self.heapBytes';

/** History as columns over one time axis; null marks a gap. */
export interface HistoryWindow {
  /** Sample times, oldest first. */
  t: number[];
  series: Partial<Record<SeriesName, (number | null)[]>>;
  /** Keyed by process key: processes of interest (selected, managed, recent top N). */
  procs: Record<string, ProcSeries>;
}

/** What a new subscriber gets at once: settings, the full table at `seq`, and history. */
export interface StatsInitialState {
  config: StatsConfig;
  /** The tick the table is at; the next `stats` delta has `base === seq`. 0 before the first tick. */
  seq: number;
  latest: StatsSample | null;
  procs: ProcRow[];
  top: string[];
  history: HistoryWindow;
}

/** Bounds accepted by `stats.configure`. */
export const STATS_LIMITS = {
  intervalMs: { min: 250, max: 10_000 },
  retentionMs: { min: 10_000, max: 24 * 3600_000 },
  topN: { min: 0, max: 200 },
  interestKeys: 256,
} as const;

const procKey = z.string().regex(/^\d+:\d+$/, 'expected "<pid>:<starttime>"');

export const statsRequests = {
  /** Start receiving `stats` events; returns the current state and history. */
  'stats.subscribe': request<StatsInitialState>()(z.object({}).strict().optional(), {
    control: false,
  }),
  'stats.unsubscribe': request<null>()(z.object({}).strict().optional(), { control: false }),
  /** Change interval, retention or top N; returns the settings now in force. */
  'stats.configure': request<StatsConfig>()(
    z
      .object({
        intervalMs: z.number().int().min(STATS_LIMITS.intervalMs.min).max(STATS_LIMITS.intervalMs.max),
        retentionMs: z.number().int().min(STATS_LIMITS.retentionMs.min).max(STATS_LIMITS.retentionMs.max),
        topN: z.number().int().min(STATS_LIMITS.topN.min).max(STATS_LIMITS.topN.max),
      })
      .partial()
      .strict(),
    { control: true },
  ),
  /** Processes this client wants per-process history for (e.g. the selected rows); replaces its previous set. */
  'stats.interest': request<null>()(
    z.object({ keys: z.array(procKey).max(STATS_LIMITS.interestKeys) }).strict(),
    { control: false },
  ),
};

export interface StatsEvents {
  stats: StatsTick;
}
