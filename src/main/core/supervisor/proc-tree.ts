/**
 * Just enough of /proc to stop a whole tree: each process's parent, group, state and start
 * time. Used by core (async, while stopping) and by the helper (sync, while dying, when
 * there is no time for an event loop). A process is named by pid and start time together,
 * so a pid reused by an unrelated program is never signalled.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

/** One row of /proc/<pid>/stat. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** Clock ticks since boot (field 22). */
  starttime: number;
}

/** Parse /proc/<pid>/stat text (the name may contain spaces and parentheses). */
export function parseStat(text: string): ProcEntry | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number.parseInt(text, 10);
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  if (f.length < 20) return null;
  return { pid, state: f[0]!, ppid: Number(f[1]), pgid: Number(f[2]), starttime: Number(f[19]) };
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

/** Start time of one pid (clock ticks), or null if it is gone. */
export function starttimeOf(pid: number): number | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.starttime ?? null;
  } catch {
    return null;
  }
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
