/**
 * CPU time of whole process trees from /proc (Linux): what `selfcost` compares. A tree's cost
 * is the sum over its processes of utime+stime+cutime+cstime, so a child that exits inside
 * the window still counts (its time moves into the parent's cutime/cstime when reaped).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times. */
export const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // Linux's fixed USER_HZ where getconf is missing
  }
})();

interface Stat {
  pid: number;
  ppid: number;
  /** Start time in ticks since boot: (pid, start) names a process even if the pid is reused. */
  start: number;
  ticks: number;
  comm: string;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited between readdir and read
  }
  // comm may hold spaces and parentheses: the fields start after the last ')'.
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state): utime=14, stime=15, cutime=16, cstime=17, starttime=22.
  return {
    pid,
    comm: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(f[1]),
    ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
    start: Number(f[19]),
  };
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** The processes of the trees rooted at `roots` (roots included), as read now. */
function tree(roots: number[]): Stat[] {
  const stats = allStats();
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const out: Stat[] = [];
  const stack = roots.map((r) => byPid.get(r)).filter((s): s is Stat => !!s);
  while (stack.length) {
    const s = stack.pop()!;
    out.push(s);
    stack.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** The CPU ticks of the trees rooted at `roots` (roots included), keyed `pid:start`. */
export function treeTicks(roots: number[]): Map<string, number> {
  return new Map(tree(roots).map((s) => [`${s.pid}:${s.start}`, s.ticks]));
}

/** The pids of the trees rooted at `roots` (roots included). */
export function treePids(roots: number[]): number[] {
  return tree(roots).map((s) => s.pid);
}

/** Direct children of `pid` whose command name matches. */
export function childrenNamed(pid: number, comm: RegExp): number[] {
  return allStats()
    .filter((s) => s.ppid === pid && comm.test(s.comm))
    .map((s) => s.pid);
}

/** CPU % of one core a tree used between two readings `ms` apart (new processes count from 0). */
export function treePct(before: Map<string, number>, after: Map<string, number>, ms: number): number {
  let ticks = 0;
  for (const [key, t] of after) ticks += t - (before.get(key) ?? 0);
  return (ticks / CLK_TCK / (ms / 1000)) * 100;
}
