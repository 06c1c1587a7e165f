/** CPU time of the calling thread, where the platform can tell. */
import { readFileSync } from 'node:fs';

/** Returns CPU ms used so far by the calling thread, or null when unknown. */
export type ThreadCpu = () => number | null;

/**
 * `process.threadCpuUsage` where Node has it (>= 23.9); else the first field of
 * /proc/thread-self/schedstat (the thread's run time in ns, kept even with schedstats off);
 * else nothing.
 */
export function threadCpuClock(): ThreadCpu {
  const p = process as { threadCpuUsage?: () => { user: number; system: number } };
  if (typeof p.threadCpuUsage === 'function') {
    const f = p.threadCpuUsage.bind(process);
    return () => {
      const u = f();
      return (u.user + u.system) / 1000;
    };
  }
  const schedstat = (): number | null => {
    try {
      return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6 || null;
    } catch {
      return null;
    }
  };
  return schedstat() ? schedstat : () => null;
}
