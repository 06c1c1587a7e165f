/**
 * Ending a whole tree without respawn races: STOP the root and then every descendant top
 * down (a stopped parent cannot fork, so a second scan finds any child forked meanwhile),
 * then TERM deepest first, CONT everyone so the TERM is handled, and KILL whatever is left
 * after the timeout. Every signal goes through the identity check, so a PID that exited
 * and was reused during the walk is never hit.
 */
import { PROCESS_LIMITS, type TreeOutcome } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { parseKey, type ProcIdentity } from './proc-identity';
import { descendants, readChildren } from './proc-tree';
import type { Signaller } from './signaller';

/** Scans for children forked while the tree was being stopped. */
const STOP_PASSES = 3;

export async function endTree(
  sig: Signaller,
  root: string,
  key: string,
  timeoutMs: number,
): Promise<TreeOutcome> {
  sig.guard(parseKey(key).pid);
  const top = sig.ids.verify(key);
  const members = new Map<string, { id: ProcIdentity; depth: number }>();
  members.set(top.key, { id: top, depth: 0 });
  const refuseProtected = (id: ProcIdentity): void => {
    if (sig.isProtected(id.pid)) {
      throw new SpindleError(
        'EPROTECTED_TREE',
        `the tree of ${top.name} (${top.pid}) holds Spindle, its parent or its supervisor helper (${id.name}, ${id.pid}); end its parts one by one`,
      );
    }
  };
  // First pass before any signal: a tree holding Spindle is refused untouched.
  for (const n of descendants(readChildren(sig.ids, root), top, PROCESS_LIMITS.treeMax)) {
    refuseProtected(n.id);
    members.set(n.id.key, n);
  }
  const t0 = performance.now();
  const trySend = (k: string, s: 'STOP' | 'TERM' | 'CONT' | 'KILL'): boolean => {
    try {
      sig.send(k, s);
      return true;
    } catch (err) {
      // Gone or reused meanwhile, or not ours to signal: leave it and report what is left.
      if (err instanceof SpindleError) return false;
      throw err;
    }
  };
  // The root's own refusal (not permitted, gone) is the answer to the request.
  sig.send(key, 'STOP');
  const stopped = new Set<string>([key]);
  for (let pass = 0; pass < STOP_PASSES; pass++) {
    const found = descendants(readChildren(sig.ids, root), top, PROCESS_LIMITS.treeMax);
    let fresh = 0;
    for (const n of found) {
      if (sig.isProtected(n.id.pid)) continue;
      if (!members.has(n.id.key)) members.set(n.id.key, n);
      if (stopped.has(n.id.key)) continue;
      stopped.add(n.id.key);
      fresh++;
      trySend(n.id.key, 'STOP');
    }
    if (fresh === 0) break;
  }
  const deepestFirst = [...members.values()].sort((a, b) => b.depth - a.depth).map((m) => m.id.key);
  for (const k of deepestFirst) trySend(k, 'TERM');
  for (const k of deepestFirst) trySend(k, 'CONT');

  const deadline = t0 + timeoutMs;
  const alive = (): string[] => deepestFirst.filter((k) => sig.ids.alive(k));
  let left = alive();
  while (left.length > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    left = alive();
  }
  let killed = false;
  if (left.length > 0) {
    killed = true;
    for (const k of left) trySend(k, 'KILL');
    const killDeadline = performance.now() + 1000;
    while (left.length > 0 && performance.now() < killDeadline) {
      await new Promise((r) => setTimeout(r, 20));
      left = alive();
    }
  }
  const ms = Math.round(performance.now() - t0);
  const total = members.size;
  const gone = total - left.length;
  const how = killed ? 'SIGTERM, then SIGKILL' : 'SIGTERM';
  const message =
    left.length === 0
      ? `all ${total} process${total === 1 ? '' : 'es'} gone after ${ms} ms (${how})`
      : `${gone} of ${total} gone; ${left.length} still running after ${ms} ms`;
  return {
    target: sig.ids.target(top),
    action: 'end tree',
    result: left.length === 0 ? 'gone' : 'running',
    goneAfterMs: left.length === 0 ? ms : null,
    message,
    total,
    gone,
    remaining: left,
  };
}
