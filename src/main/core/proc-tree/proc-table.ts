/**
 * Just enough of /proc to act on a process tree: each process's parent, group, state, start
 * time and name, parsed by the sampler's stat parser. Sync reads for the helper's death path
 * (no time for an event loop) and for short request handlers; async for a stop in progress, so
 * it does not hold the main loop. A process is named by pid and start time together, so a pid
 * reused by an unrelated program is never taken for it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { parsePidStat } from '../sampler/parse-pid';
import { ProcReader } from '../sampler/proc-reader';

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

/** A process's identity: `${pid}:${starttime}`, the same key the sampler reports. */
export const keyOf = (e: { pid: number; starttime: number }): string => `${e.pid}:${e.starttime}`;

/** Zombies and dead tasks have exited: only their exit status is left for the parent to reap. */
export const hasExited = (state: string): boolean => state === 'Z' || state === 'X';

/** Parse stat bytes `buf[0..len)`; null when cut short or malformed. */
export function parseEntry(buf: Uint8Array, len: number): ProcEntry | null {
  const st = parsePidStat(buf, len);
  if (!st) return null;
  return {
    pid: st.pid,
    ppid: st.ppid,
    pgid: st.pgid,
    state: st.state,
    starttime: st.starttime,
    name: st.comm,
  };
}

/** One reused buffer for sync reads (the event loop is held, so no two reads interleave). */
const reader = new ProcReader(4096, 64 * 1024);

/** One process's entry now (sync), or null if it is gone. */
export function entryOf(pid: number, root = '/proc'): ProcEntry | null {
  const len = reader.read(`${root}/${pid}/stat`);
  return typeof len === 'number' ? parseEntry(reader.buffer, len) : null;
}

/** Start time of one pid (clock ticks), or null if it is gone. */
export function starttimeOf(pid: number): number | null {
  return entryOf(pid)?.starttime ?? null;
}

const isPid = (name: string): boolean => {
  const c = name.charCodeAt(0);
  return c >= 0x30 && c <= 0x39;
};

/** Every process now (sync). */
export function readTableSync(root = '/proc'): Map<number, ProcEntry> {
  const table = new Map<number, ProcEntry>();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return table;
  }
  for (const name of names) {
    if (!isPid(name)) continue;
    const e = entryOf(Number(name), root);
    if (e) table.set(e.pid, e);
  }
  return table;
}

/** Every process now (async, so a stop in progress does not hold the main loop). */
export async function readTable(root = '/proc'): Promise<Map<number, ProcEntry>> {
  const table = new Map<number, ProcEntry>();
  const names = await readdir(root).catch(() => [] as string[]);
  const reads = names.filter(isPid).map(async (name) => {
    const buf = await readFile(`${root}/${name}/stat`).catch(() => null);
    const e = buf ? parseEntry(buf, buf.length) : null;
    if (e) table.set(e.pid, e);
  });
  await Promise.all(reads);
  return table;
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
