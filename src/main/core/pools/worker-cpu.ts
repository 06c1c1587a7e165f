/**
 * CPU time of one pool worker from procfs: a thread of Spindle (`/proc/self/task/<tid>`)
 * or a worker process (`/proc/<pid>`). One small synchronous read per worker per tick
 * (about 10 µs); null where /proc is missing, the worker is gone or the file is unreadable.
 */
import { readFileSync } from 'node:fs';
import { parsePidStat } from '../sampler/parse-pid';
import { CLK_TCK } from '../sampler/pid-table';

/** utime + stime in ms, or null. */
export function workerCpuMs(w: { pid: number | null; tid: number | null }): number | null {
  if (process.platform !== 'linux') return null;
  const path = w.tid ? `/proc/self/task/${w.tid}/stat` : w.pid ? `/proc/${w.pid}/stat` : null;
  if (!path) return null;
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    // The worker exited between ticks: no reading this tick (a gap, not a zero).
    return null;
  }
  const st = parsePidStat(buf, buf.length, false);
  if (!st) return null;
  return ((st.utime + st.stime) * 1000) / CLK_TCK;
}
