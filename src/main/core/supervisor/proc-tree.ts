/**
 * Just enough of /proc to stop a whole tree: each process's parent, group, state, start
 * time and name. Used by core (async, while stopping) and by the helper (sync, while dying,
 * when there is no time for an event loop). A process is named by pid and start time
 * together, so a pid reused by an unrelated program is never signalled.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

/**
 * The variable every process of a managed run inherits (`SPINDLE_RUN=<mark>`): it survives
 * `setsid` and the death of a parent, which a parent link or a process group does not.
 */
export const RUN_MARK = 'SPINDLE_RUN';

/** One row of /proc/<pid>/stat. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** Clock ticks since boot (field 22). */
  starttime: number;
  /** The command name (comm), at most 15 characters. */
  name: string;
}

/** Parse /proc/<pid>/stat text (the name may contain spaces and parentheses). */
export function parseStat(text: string): ProcEntry | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return null;
  const pid = Number.parseInt(text, 10);
  const name = text.slice(open + 1, close);
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  if (f.length < 20) return null;
  return { pid, name, state: f[0]!, ppid: Number(f[1]), pgid: Number(f[2]), starttime: Number(f[19]) };
}

const pids = (names: string[]): number[] => names.filter((n) => /^\d+$/.test(n)).map(Number);

/** Every process now (sync). */
export function readTableSync(): Map<number, ProcEntry> {
  const table = new Map<number, ProcEntry>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const pid of pids(names)) {
    try {
      const e = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (e) table.set(pid, e);
    } catch {
      // Gone between readdir and read.
    }
  }
  return table;
}

/** Every process now (async, so a stop in progress does not hold the main loop). */
export async function readTable(): Promise<Map<number, ProcEntry>> {
  const table = new Map<number, ProcEntry>();
  const names = await readdir('/proc').catch(() => [] as string[]);
  const reads = pids(names).map(async (pid) => {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    const e = text ? parseStat(text) : null;
    if (e) table.set(pid, e);
  });
  await Promise.all(reads);
  return table;
}

/** One process's entry now (sync), or null if it is gone. */
export function entryOf(pid: number): ProcEntry | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** True where the kernel lists each task's children (CONFIG_PROC_CHILDREN, on in common kernels). */
const hasChildrenFiles = ((): boolean => {
  try {
    readFileSync(`/proc/${process.pid}/task/${process.pid}/children`);
    return true;
  } catch {
    return false;
  }
})();

/** At most this many processes in one family read (a fork bomb must not hold the caller). */
const FAMILY_MAX = 10_000;

/**
 * Entries of `pids` and of all their descendants now (sync), found through each task's
 * `children` list: a few small reads per member instead of reading every process on the
 * machine (2,130 here took 600 ms). Null where the kernel has no such list.
 */
export function familyOf(pids: readonly number[]): Map<number, ProcEntry> | null {
  if (!hasChildrenFiles) return null;
  const table = new Map<number, ProcEntry>();
  const stack = [...pids];
  while (stack.length > 0 && table.size < FAMILY_MAX) {
    const pid = stack.pop()!;
    if (table.has(pid)) continue;
    const e = entryOf(pid);
    if (!e) continue;
    table.set(pid, e);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    // A child is listed under the thread that forked it, so every thread is read.
    for (const tid of tids) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' '))
          if (c) stack.push(Number(c));
      } catch {
        // Thread or process gone.
      }
    }
  }
  return table;
}

const markNeedles = (marks: readonly string[]): Buffer[] =>
  marks.map((m) => Buffer.from(`\0${RUN_MARK}=${m}\0`));

/** Does this environ block (NUL-separated, as in /proc/<pid>/environ) hold one of the needles? */
function holds(environ: Buffer, needles: Buffer[]): boolean {
  const padded = Buffer.concat([Buffer.from([0]), environ, Buffer.from([0])]);
  return needles.some((n) => padded.includes(n));
}

/**
 * Pids in `table` whose environment carries one of the run marks (sync). Processes of other
 * users are unreadable without root and skipped: they could not be signalled either.
 */
export function markedSync(table: Map<number, ProcEntry>, marks: readonly string[]): number[] {
  if (marks.length === 0) return [];
  const needles = markNeedles(marks);
  const out: number[] = [];
  for (const pid of table.keys()) {
    if (pid === process.pid) continue;
    try {
      if (holds(readFileSync(`/proc/${pid}/environ`), needles)) out.push(pid);
    } catch {
      // Gone, or not ours.
    }
  }
  return out;
}

/** `markedSync` without holding the event loop. */
export async function marked(table: Map<number, ProcEntry>, marks: readonly string[]): Promise<number[]> {
  if (marks.length === 0) return [];
  const needles = markNeedles(marks);
  const out: number[] = [];
  await Promise.all(
    [...table.keys()].map(async (pid) => {
      if (pid === process.pid) return;
      const env = await readFile(`/proc/${pid}/environ`).catch(() => null);
      if (env && holds(env, needles)) out.push(pid);
    }),
  );
  return out;
}

/** Start time of one pid (clock ticks), or null if it is gone. */
export function starttimeOf(pid: number): number | null {
  return entryOf(pid)?.starttime ?? null;
}

/** Roots, their descendants (by parent link) and members of the roots' groups, zombies excluded. */
export function treeOf(
  table: Map<number, ProcEntry>,
  roots: readonly number[],
  groups: readonly number[],
): ProcEntry[] {
  const children = new Map<number, number[]>();
  for (const e of table.values()) {
    const list = children.get(e.ppid);
    if (list) list.push(e.pid);
    else children.set(e.ppid, [e.pid]);
  }
  const found = new Map<number, ProcEntry>();
  const stack = [...roots];
  for (const e of table.values()) if (groups.includes(e.pgid)) stack.push(e.pid);
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const e = table.get(pid);
    if (!e || found.has(pid)) continue;
    found.set(pid, e);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return [...found.values()].filter((e) => e.state !== 'Z' && e.pid !== process.pid);
}

/** Send `signal` to every group and to each listed process still alive with the same start time. */
export function signalTree(
  groups: readonly number[],
  members: readonly ProcEntry[],
  signal: NodeJS.Signals,
): void {
  for (const g of groups) {
    try {
      process.kill(-g, signal);
    } catch {
      // Group empty or gone.
    }
  }
  for (const m of members) {
    if (groups.includes(m.pgid)) continue;
    if (starttimeOf(m.pid) !== m.starttime) continue;
    try {
      process.kill(m.pid, signal);
    } catch {
      // Gone.
    }
  }
}
