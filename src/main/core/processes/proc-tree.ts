/** The process tree from /proc: who is whose child, read fresh when a tree is acted on. */
import { readdirSync } from 'node:fs';
import { hasExited, type ProcIdentities, type ProcIdentity } from './proc-identity';

/** A descendant and how deep it sits under the root (children are depth 1). */
export interface TreeNode {
  id: ProcIdentity;
  depth: number;
}

/** Every live process now, grouped by parent PID. */
export function readChildren(ids: ProcIdentities, root = '/proc'): Map<number, ProcIdentity[]> {
  const boot = ids.bootMs();
  const byParent = new Map<number, ProcIdentity[]>();
  for (const name of readdirSync(root)) {
    const c = name.charCodeAt(0);
    if (c < 0x30 || c > 0x39) continue;
    const id = ids.read(Number(name), boot);
    if (!id || hasExited(id.state)) continue;
    const list = byParent.get(id.ppid);
    if (list) list.push(id);
    else byParent.set(id.ppid, [id]);
  }
  return byParent;
}

/**
 * Descendants of `pid` (root excluded), breadth first, at most `max`. A child that started
 * before its parent cannot be its child (the parent's PID was reused), so it is left out.
 */
export function descendants(
  byParent: Map<number, ProcIdentity[]>,
  root: ProcIdentity,
  max: number,
): TreeNode[] {
  const out: TreeNode[] = [];
  const seen = new Set<number>([root.pid]);
  let level: ProcIdentity[] = [root];
  for (let depth = 1; level.length > 0 && out.length < max; depth++) {
    const next: ProcIdentity[] = [];
    for (const parent of level) {
      for (const child of byParent.get(parent.pid) ?? []) {
        if (seen.has(child.pid) || child.starttime < parent.starttime) continue;
        seen.add(child.pid);
        out.push({ id: child, depth });
        next.push(child);
        if (out.length >= max) break;
      }
    }
    level = next;
  }
  return out;
}
