/**
 * The processes area of the contract: ending, signalling and renicing any process on the
 * machine, and reading one process's details. A target is always named by its ProcRow key
 * `${pid}:${starttime}` (starttime in clock ticks since boot, /proc/<pid>/stat field 22),
 * so core can check, right before each signal, that the PID still names the same process.
 */
import { z } from 'zod';
import { request } from './define';

/** How a processes request fails besides the transport's codes. */
export type ProcessesErrorCode =
  | 'ESRCH_GONE' // the process has already exited
  | 'EPID_REUSED' // the PID now names another program (start time differs)
  | 'EPERM' // not permitted (owned by another user)
  | 'EPROTECTED_INIT' // PID 0 or 1
  | 'EPROTECTED_SELF' // Spindle itself
  | 'EPROTECTED_PARENT' // the process that started Spindle
  | 'EPROTECTED_HELPER' // Spindle's supervisor helper
  | 'EPROTECTED_TREE'; // a tree that holds one of the above

/** Signals a client may send, by name without the SIG prefix. */
export const SIGNALS = [
  'TERM',
  'KILL',
  'INT',
  'HUP',
  'QUIT',
  'STOP',
  'CONT',
  'USR1',
  'USR2',
  'TSTP',
  'TTIN',
  'TTOU',
  'ALRM',
  'WINCH',
  'ABRT',
] as const;
export type SignalName = (typeof SIGNALS)[number];

/** Bounds for control requests. */
export const PROCESS_LIMITS = {
  /** Wait after TERM before KILL, ms. */
  endTimeoutMs: { min: 50, max: 60_000, default: 3000 },
  nice: { min: -20, max: 19 },
  /** Most processes one endTree request acts on. */
  treeMax: 4096,
  /** Most thread names and children a details reply carries. */
  detailsList: 256,
} as const;

/** Who a control request acted on. `startTime` is ms since epoch, as in ProcRow. */
export interface ProcTarget {
  key: string;
  pid: number;
  startTime: number;
  name: string;
}

/** How a control request ended (failures come back as error values with a code instead). */
export interface ControlOutcome {
  target: ProcTarget;
  /** e.g. "end", "kill", "signal SIGUSR1", "renice 10" */
  action: string;
  /** 'gone': it exited (see goneAfterMs); 'running': still there after the signal or timeout; 'done': sent/applied. */
  result: 'gone' | 'running' | 'done';
  /** For 'gone': ms from the first signal until it was seen gone. */
  goneAfterMs: number | null;
  /** A sentence for the user: "gone after 120 ms", "still running after 3000 ms". */
  message: string;
}

/** The outcome of ending a whole tree. */
export interface TreeOutcome extends ControlOutcome {
  /** Processes the tree held when the request began (root included). */
  total: number;
  gone: number;
  /** Keys still running at the end. */
  remaining: string[];
}

/** A child in a details reply. */
export interface ProcChild {
  key: string;
  pid: number;
  name: string;
}

/** What `processes.details` returns; null means not readable (not permitted, or gone meanwhile). */
export interface ProcDetails {
  target: ProcTarget;
  ppid: number;
  state: string;
  user: string | null;
  /** Full argv (bounded to 64 KB); empty for kernel threads. */
  argv: string[];
  exe: string | null;
  cwd: string | null;
  threadCount: number;
  /** Thread names (comm), bounded; `threadCount` says how many there are. */
  threads: { tid: number; name: string }[];
  openFiles: number | null;
  children: ProcChild[];
  /** Descendants (children, their children…), root excluded. */
  descendants: number;
  nice: number;
}

const procKey = z.string().regex(/^\d+:\d+$/, 'expected "<pid>:<starttime>"');
const target = { key: procKey };
const timeoutMs = z
  .number()
  .int()
  .min(PROCESS_LIMITS.endTimeoutMs.min)
  .max(PROCESS_LIMITS.endTimeoutMs.max)
  .optional();

export const processesRequests = {
  /** TERM, then KILL if it is still there after `timeoutMs`. */
  'processes.end': request<ControlOutcome>()(z.object({ ...target, timeoutMs }).strict(), { control: true }),
  /** KILL at once. */
  'processes.kill': request<ControlOutcome>()(z.object(target).strict(), { control: true }),
  /** Send one signal from SIGNALS; waits briefly to report whether it exited. */
  'processes.signal': request<ControlOutcome>()(z.object({ ...target, signal: z.enum(SIGNALS) }).strict(), {
    control: true,
  }),
  /** End the process and all its descendants (stopped first so none respawns), KILL after `timeoutMs`. */
  'processes.endTree': request<TreeOutcome>()(z.object({ ...target, timeoutMs }).strict(), {
    control: true,
  }),
  /** Set the nice value of every thread of the process. */
  'processes.renice': request<ControlOutcome>()(
    z
      .object({ ...target, nice: z.number().int().min(PROCESS_LIMITS.nice.min).max(PROCESS_LIMITS.nice.max) })
      .strict(),
    { control: true },
  ),
  /** Command line, exe, cwd, threads, open files and children of one process. */
  'processes.details': request<ProcDetails>()(z.object(target).strict(), { control: false }),
  /** How many processes the tree rooted at this process holds (root included), for a confirmation. */
  'processes.treeSize': request<{ total: number }>()(z.object(target).strict(), { control: false }),
};
