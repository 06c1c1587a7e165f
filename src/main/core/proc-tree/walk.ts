/** Walking a process table: children by parent, descendants with their depth, a run's whole tree. */
import { hasExited, type ProcEntry } from './proc-table';

/** A descendant and how deep it sits under the root (children are depth 1). */
export interface TreeNode {
  entry: ProcEntry;
  depth: number;
}

/** Live processes of `table` grouped by parent PID (zombies left out). */
export function byParent(table: Map<number, ProcEntry>): Map<number, ProcEntry[]> {
  const out = new Map<number, ProcEntry[]>();
  for (const e of table.values()) {
    if (hasExited(e.state)) continue;
    const list = out.get(e.ppid);
    if (list) list.push(e);
    else out.set(e.ppid, [e]);
  }
  return out;
}

/**
 * Descendants of `root` (root excluded), breadth first, at most `max`. A child that started
 * before its parent cannot be its child (the parent's PID was reused), so it is left out.
 */
export function descendants(
  children: Map<number, ProcEntry[]>,
  root: { pid: number; starttime: number },
  max: number,
): TreeNode[] {
  const out: TreeNode[] = [];
  const seen = new Set<number>([root.pid]);
  let level: { pid: number; starttime: number }[] = [root];
  for (let depth = 1; level.length > 0 && out.length < max; depth++) {
    const next: ProcEntry[] = [];
    for (const parent of level) {
      for (const child of children.get(parent.pid) ?? []) {
        if (seen.has(child.pid) || child.starttime < parent.starttime) continue;
        seen.add(child.pid);
        out.push({ entry: child, depth });
        next.push(child);
        if (out.length >= max) break;
      }
    }
    level = next;
  }
  return out;
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
  return [...found.values()].filter((e) => !hasExited(e.state) && e.pid !== process.pid);
}
