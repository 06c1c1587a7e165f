/**
 * Ending a whole tree without respawn races: STOP the root and then every descendant top
 * down (a stopped parent cannot fork, so a second scan finds any child forked meanwhile),
 * then TERM deepest first, CONT everyone so the TERM is handled, and KILL whatever is left
 * after the timeout. Every signal goes through the identity check, so a PID that exited
 * and was reused during the walk is never hit.
 */
import { PROCESS_LIMITS, type TreeOutcome } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { endWithin } from '../proc-tree/end';
import { keyOf, readTableSync, type ProcEntry } from '../proc-tree/proc-table';
import { byParent, descendants } from '../proc-tree/walk';
import { parseKey } from './proc-identity';
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
  const members = new Map<string, { key: string; depth: number }>();
  members.set(top.key, { key: top.key, depth: 0 });
  const walk = (): { key: string; entry: ProcEntry; depth: number }[] =>
    descendants(byParent(readTableSync(root)), top, PROCESS_LIMITS.treeMax).map((n) => ({
      ...n,
      key: keyOf(n.entry),
    }));
  const refuseProtected = (id: ProcEntry): void => {
    if (sig.isProtected(id.pid)) {
      throw new SpindleError(
        'EPROTECTED_TREE',
        `the tree of ${top.name} (${top.pid}) holds Spindle, its parent or its supervisor helper (${id.name}, ${id.pid}); end its parts one by one`,
      );
    }
  };
  // First pass before any signal: a tree holding Spindle is refused untouched.
  for (const n of walk()) {
    refuseProtected(n.entry);
    members.set(n.key, n);
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
    let fresh = 0;
    for (const n of walk()) {
      if (sig.isProtected(n.entry.pid)) continue;
      if (!members.has(n.key)) members.set(n.key, n);
      if (stopped.has(n.key)) continue;
      stopped.add(n.key);
      fresh++;
      trySend(n.key, 'STOP');
    }
    if (fresh === 0) break;
  }
  const deepestFirst = [...members.values()].sort((a, b) => b.depth - a.depth).map((m) => m.key);
  const alive = (): string[] => deepestFirst.filter((k) => sig.ids.alive(k));
  // The tree is frozen and fully known here: TERM (then CONT, so it is handled) and the KILL
  // timer, counted from the first STOP, follow in the shared order of proc-tree/end.ts.
  const ended = await endWithin(
    {
      term: () => {
        for (const k of deepestFirst) trySend(k, 'TERM');
        for (const k of deepestFirst) trySend(k, 'CONT');
      },
      kill: () => {
        for (const k of alive()) trySend(k, 'KILL');
      },
      left: alive,
    },
    timeoutMs,
    { since: t0 },
  );
  const left = [...ended.left];
  const killed = ended.killed;
  const ms = ended.ms;
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
