/**
 * A managed run's whole tree, and how to end it. Three ways to know a member, strongest
 * first: the run's cgroup (nothing leaves it by `setsid` or a parent's death; the helper
 * creates it where cgroup v2 is writable), the run mark every descendant inherits in its
 * environment (found even after `setsid` and reparenting to PID 1), and the parent links
 * and process groups of the members seen so far (the helper follows those every 500 ms
 * while they live, and a stop asks it first: HelperClient.learn). Stop = TERM to all, KILL
 * (`cgroup.kill` where there is one) at the timeout; whatever is alive after that is
 * reported as a survivor, with pid and name.
 */
import { endWithin, signalTree } from '../proc-tree/end';
import { entryOf, familyOf, keyOf, readTable, readTableSync, type ProcEntry } from '../proc-tree/proc-table';
import { marked } from '../proc-tree/run-mark';
import { treeOf } from '../proc-tree/walk';
import { pidExists } from '../processes/pid-exists';
import type { SpawnedStage } from './helper-protocol';
import { cgroupPids, killCgroup, removeCgroup } from './cgroup';

export { keyOf };

const POLL_MS = 50;
const AFTER_KILL_MS = 1_000;

/** Everything known about one run's processes. Mutable: `known` grows as members are seen. */
export interface RunTree {
  /** Stage pids, each its own group leader. */
  groups: number[];
  /** The run's cgroup directory, or null where cgroups are not used. */
  cgroup: string | null;
  /** The run's `SPINDLE_RUN` value. */
  mark: string;
  /** Members seen so far (pid and start time, so a reused pid is never taken for one). */
  known: ProcEntry[];
}

/** The tree of a run just spawned. */
export function runTree(stages: readonly SpawnedStage[], mark: string): RunTree {
  const known: ProcEntry[] = [];
  for (const s of stages) {
    const e = entryOf(s.pid);
    if (e && e.starttime === s.starttime) known.push(e);
  }
  return { groups: stages.map((s) => s.pid), cgroup: stages[0]?.cgroup ?? null, mark, known };
}

/**
 * Members now, from one read of `table`: known members still alive (same start time), their
 * descendants, the groups' members and `extra` (cgroup members, marked processes). Updates
 * `tree.known`, so a descendant seen once is still found after its parent has gone.
 */
export function collect(tree: RunTree, table: Map<number, ProcEntry>, extra: readonly number[]): ProcEntry[] {
  const roots = tree.known.filter((k) => table.get(k.pid)?.starttime === k.starttime).map((k) => k.pid);
  tree.known = treeOf(table, [...roots, ...extra], tree.groups);
  return tree.known;
}

/** Members of a cgroup tree: the cgroup is the whole truth, no need to read every process. */
function cgroupMembers(tree: RunTree, cgroup: string): ProcEntry[] {
  const table = new Map<number, ProcEntry>();
  for (const pid of cgroupPids(cgroup)) {
    const e = entryOf(pid);
    if (e) table.set(pid, e);
  }
  return collect(tree, table, [...table.keys()]);
}

/**
 * Members now (sync, for the helper's death path): cgroup members, else `table` with
 * `extra` when given (a full look), else the known members' family.
 */
export function membersNow(
  tree: RunTree,
  table?: Map<number, ProcEntry>,
  extra: readonly number[] = [],
): ProcEntry[] {
  if (tree.cgroup) return cgroupMembers(tree, tree.cgroup);
  const t = table ?? familyOf([...tree.groups, ...tree.known.map((k) => k.pid)]) ?? readTableSync();
  return collect(tree, t, extra);
}

/** Members now; `scan` also looks for the run mark in every environment (a full read of /proc). */
export async function membersOf(tree: RunTree, scan = false): Promise<ProcEntry[]> {
  if (tree.cgroup) return cgroupMembers(tree, tree.cgroup);
  if (!scan) {
    // Between full looks, follow the known members' children only (much cheaper).
    const family = familyOf([...tree.groups, ...tree.known.map((k) => k.pid)]);
    if (family) return collect(tree, family, []);
  }
  const table = await readTable();
  return collect(tree, table, scan ? await marked(table, [tree.mark]) : []);
}

/** Signal every member; KILL also goes through `cgroup.kill`, which no fork can outrun. */
export function signalRun(tree: RunTree, members: readonly ProcEntry[], signal: NodeJS.Signals): void {
  if (signal === 'SIGKILL' && tree.cgroup) killCgroup(tree.cgroup);
  signalTree(tree.groups, members, signal);
}

/**
 * TERM what a fuller look found beyond the first TERM: members not `seen` then and outside
 * the groups (the group signal reached those), so no process gets a second TERM.
 */
export function termAdded(tree: RunTree, seen: ReadonlySet<string>, members: readonly ProcEntry[]): void {
  signalTree(
    [],
    members.filter((m) => !seen.has(keyOf(m)) && !tree.groups.includes(m.pgid)),
    'SIGTERM',
  );
}

/** A process still alive after KILL. */
export interface Survivor {
  pid: number;
  name: string;
}

/** How a stop went. */
export interface StopOutcome {
  /** True when KILL had to be sent. */
  killed: boolean;
  /** How many processes the stop found (stages, descendants, cgroup members). */
  found: number;
  survivors: Survivor[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The full look: every process on the machine, and every environment for the run mark. */
export const fullLook = (tree: RunTree): Promise<ProcEntry[]> => membersOf(tree, true);

/**
 * Stop the run's tree. `leaderGone` tells when the helper has reported the run's exit; both
 * it and an empty tree are needed to call the stop done. `look` is the full look (a
 * parameter so a test can make it as slow as a loaded machine's).
 */
export async function stopTree(
  tree: RunTree,
  timeoutMs: number,
  leaderGone: () => boolean,
  look: (tree: RunTree) => Promise<ProcEntry[]> = fullLook,
): Promise<StopOutcome> {
  const seen = new Set(tree.known.map(keyOf));
  let members: readonly ProcEntry[] = tree.known;
  let first = true;
  const ended = await endWithin(
    {
      // The groups and the members known so far (cgroup members too, one small file): no walk
      // of /proc before this TERM, and the KILL timer is armed right after it.
      term: () => {
        if (tree.cgroup) members = cgroupMembers(tree, tree.cgroup);
        signalRun(tree, members, 'SIGTERM');
        for (const m of members) seen.add(keyOf(m));
      },
      kill: () => signalRun(tree, members, 'SIGKILL'),
      left: async () => {
        if (first && !tree.cgroup) {
          // Then the fuller looks: the known members' family (cheap), and once the whole of
          // /proc for the run mark; what they add outside the groups gets a TERM of its own.
          first = false;
          termAdded(tree, seen, (members = await membersOf(tree)));
          for (const m of members) seen.add(keyOf(m));
          termAdded(tree, seen, (members = await look(tree)));
        } else members = await membersOf(tree);
        for (const m of members) seen.add(keyOf(m));
        return members;
      },
      done: leaderGone,
    },
    timeoutMs,
    { afterKillMs: AFTER_KILL_MS, pollMs: POLL_MS },
  );
  if (ended.done) {
    if (tree.cgroup) removeCgroup(tree.cgroup);
    return { killed: ended.killed, found: seen.size, survivors: [] };
  }
  // One more full look (marks included) catches anything the polls missed; it gets KILL too.
  members = await look(tree);
  signalRun(tree, members, 'SIGKILL');
  const end = Date.now() + AFTER_KILL_MS / 2;
  while (members.length > 0 && Date.now() < end) {
    await sleep(POLL_MS);
    members = await membersOf(tree);
  }
  return {
    killed: true,
    found: seen.size,
    survivors: members.map((m) => ({ pid: m.pid, name: m.name })),
  };
}

/** True while any process of the tree may be alive (cheap: no /proc walk). */
export function mayLive(tree: RunTree): boolean {
  if (tree.cgroup && cgroupPids(tree.cgroup).length > 0) return true;
  return tree.groups.some((g) => pidExists(-g)) || tree.known.some((k) => pidExists(k.pid));
}
