/**
 * cgroup v2 for managed runs: where the unified hierarchy is writable (root, or a subtree
 * systemd delegated to the user), the helper gives each run a cgroup of its own under
 * `<its own cgroup>/spindle-<helper pid>/`. Membership cannot be left by `setsid` or by a
 * parent's exit, and `cgroup.kill` (Linux 5.14+) kills every member at once, new forks
 * included. Every call here is synchronous and small (one short file); failures return
 * null/false so the caller falls back to process groups and parent links.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the unified (v2) hierarchy is mounted, from /proc/self/mountinfo, or null. */
function unifiedMount(): string | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    // No /proc: no cgroups; runs are tracked by group and mark instead.
    return null;
  }
  for (const line of text.split('\n')) {
    // "<id> <parent> <maj:min> <root> <mount point> <opts> [optional…] - <fstype> <source> <super opts>"
    const [left, right] = line.split(' - ');
    if (!left || !right?.startsWith('cgroup2 ')) continue;
    const point = left.split(' ')[4];
    if (point) return point.replace(/\\040/g, ' ');
  }
  return null;
}

/** This process's cgroup directory (the `0::` line of /proc/self/cgroup), or null. */
export function ownCgroup(): string | null {
  const mount = unifiedMount();
  if (!mount) return null;
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'));
    return line ? join(mount, line.slice(3)) : null;
  } catch {
    // As above: without our cgroup path, cgroups are simply not used.
    return null;
  }
}

/**
 * Make `<own cgroup>/spindle-<pid>` and check that this process may move itself into a
 * child of it and back (the test a run's spawn needs). Null when any step is refused.
 * `home` is the caller's own cgroup when it has read it already.
 */
export function openSubtree(home = ownCgroup()): string | null {
  if (!home) return null;
  sweep(home);
  const dir = join(home, `spindle-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, 'cgroup.kill'))) throw new Error('no cgroup.kill (Linux < 5.14)');
    const probe = createRunCgroup(dir, 'probe');
    if (!probe || !enter(probe)) throw new Error('cannot move into a child cgroup');
    if (!enter(home)) throw new Error('cannot move back');
    removeCgroup(probe);
    return dir;
  } catch {
    // Any step refused (no delegation, old kernel): undo what was done and go without cgroups.
    enter(home);
    removeCgroup(dir);
    return null;
  }
}

/** Remove empty subtrees left by helpers that died without cleaning up. */
function sweep(home: string): void {
  let names: string[];
  try {
    names = readdirSync(home).filter((n) => /^spindle-\d+$/.test(n));
  } catch {
    // Nothing to sweep where we cannot list.
    return;
  }
  for (const n of names) {
    const pid = Number(n.slice('spindle-'.length));
    if (pid !== process.pid && !existsSync(`/proc/${pid}`)) removeCgroup(join(home, n));
  }
}

/** Make one run's cgroup under the subtree; null if refused. */
export function createRunCgroup(subtree: string, name: string): string | null {
  const dir = join(subtree, name);
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    // The caller runs without a cgroup for this run (null says so).
    return null;
  }
}

/** Move this whole process (every thread) into `dir`. */
export function enter(dir: string): boolean {
  try {
    writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
    return true;
  } catch {
    // Refused: the caller decides (false says so).
    return false;
  }
}

/** Pids in the cgroup now (empty when it is gone). */
export function cgroupPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    // The cgroup is removed once empty: no members.
    return [];
  }
}

/** SIGKILL every member (and any it forks meanwhile) through `cgroup.kill`. */
export function killCgroup(dir: string): boolean {
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
    return true;
  } catch {
    // Gone already, or refused: false makes the caller signal by group and pid instead.
    return false;
  }
}

/** Remove an empty cgroup (and empty children); a populated one stays. True once it is gone. */
export function removeCgroup(dir: string): boolean {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) removeCgroup(join(dir, e.name));
    }
    rmdirSync(dir);
    return true;
  } catch (err) {
    // Already removed (core removes a run's cgroup after a clean stop).
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
