/**
 * Ends a managed run's whole tree: TERM to each stage's process group and to descendants
 * that left the group (found by walking parent links in /proc before the signal), then
 * KILL whatever is left at the timeout. Resolves with the survivors (normally none).
 */
import { readTable, signalTree, treeOf, type ProcEntry } from './proc-tree';

const POLL_MS = 50;
const AFTER_KILL_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What is still alive of the groups and the known members (same start time), with new descendants. */
async function alive(groups: readonly number[], known: readonly ProcEntry[]): Promise<ProcEntry[]> {
  const table = await readTable();
  const roots = known.filter((m) => table.get(m.pid)?.starttime === m.starttime).map((m) => m.pid);
  return treeOf(table, roots, groups);
}

/** How a stop went. */
export interface StopOutcome {
  /** True when KILL had to be sent. */
  killed: boolean;
  survivors: number[];
}

/**
 * Stop the tree rooted at `groups` (stage pids, each its own group leader). `leaderGone`
 * resolves when the helper has reported the run's exit; both it and an empty tree are
 * needed to call the stop done.
 */
export async function stopTree(
  groups: readonly number[],
  timeoutMs: number,
  leaderGone: () => boolean,
): Promise<StopOutcome> {
  let members = treeOf(await readTable(), groups, groups);
  signalTree(groups, members, 'SIGTERM');
  // KILL on a timer of its own, so a slow /proc walk under load cannot delay it.
  let killed = false;
  const kill = (): void => {
    killed = true;
    signalTree(groups, members, 'SIGKILL');
  };
  const timer = setTimeout(kill, timeoutMs);
  const hardEnd = Date.now() + timeoutMs + AFTER_KILL_MS;
  try {
    for (;;) {
      members = await alive(groups, members);
      if (members.length === 0 && leaderGone()) return { killed, survivors: [] };
      if (Date.now() >= hardEnd) break;
      // Descendants found after the KILL (forked meanwhile) get it too.
      if (killed && members.length > 0) signalTree(groups, members, 'SIGKILL');
      await sleep(POLL_MS);
    }
  } finally {
    clearTimeout(timer);
  }
  kill();
  return { killed: true, survivors: members.map((m) => m.pid) };
}
