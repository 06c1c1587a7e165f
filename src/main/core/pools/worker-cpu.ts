/**
 * CPU time of one pool worker from procfs: a thread of Spindle (`/proc/self/task/<tid>`)
 * or a worker process (`/proc/<pid>`). One small synchronous read per worker per tick
 * (about 10 µs); null where /proc is missing, the worker is gone or the file is unreadable.
 */
import { readFileSync } from 'node:fs';
import { CLK_TCK } from '../sampler/pid-table';

/** utime + stime in ms, or null. */
export function workerCpuMs(w: { pid: number | null; tid: number | null }): number | null {
  if (process.platform !== 'linux') return null;
  const path = w.tid ? `/proc/self/task/${w.tid}/stat` : w.pid ? `/proc/${w.pid}/stat` : null;
  if (!path) return null;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return null;
  }
  // Fields after the parenthesised comm (which may itself hold spaces and parentheses):
  // state is field 3, utime 14 and stime 15.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1000) / CLK_TCK;
}
