/**
 * The supervisor helper: a small Node process that spawns and owns every managed process.
 *
 * Why a separate process: Node has no prctl(PR_SET_PDEATHSIG) or subreaper API, so nothing
 * in Spindle could make the kernel end its children if Spindle itself is SIGKILLed. This
 * helper is Spindle's child; when Spindle dies its IPC channel closes (and its parent pid
 * changes), and the helper ends every run's tree (TERM, then KILL) and exits. Each stage
 * runs in its own process group (`detached: true`) so one signal to the group reaches its
 * children too; where cgroup v2 is writable each run also gets its own cgroup, which
 * `setsid` cannot leave, and otherwise descendants are tracked by parent link every
 * WATCH_MS and by the run mark in their environment (see supervisor/stop-tree.ts).
 * Spawning here also keeps fork's cost, which grows with the parent's memory, off
 * Spindle's main loop.
 *
 * Output is split into bounded lines here and sent in batches every FLUSH_MS; under a
 * flood the oldest unsent lines are dropped and counted, so neither side's memory grows
 * with the child's output and the pipes are always drained.
 */
import './as-child';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { FromHelper, SpawnStage, ToHelper } from '../supervisor/helper-protocol';
import { formatStyled, LineSplitter } from '../supervisor/line-splitter';
import { plain, type Sgr } from '../supervisor/sanitize';
import {
  cgroupPids,
  createRunCgroup,
  enter,
  openSubtree,
  ownCgroup,
  removeCgroup,
} from '../supervisor/cgroup';
import { familyOf, readTable, readTableSync, starttimeOf, type ProcEntry } from '../proc-tree/proc-table';
import { marked, markedSync, RUN_MARK } from '../proc-tree/run-mark';
import {
  collect,
  keyOf,
  membersNow,
  runTree,
  signalRun,
  termAdded,
  type RunTree,
} from '../supervisor/stop-tree';

const FLUSH_MS = 50;
const MAX_PENDING_CHARS = 2 * 1024 * 1024;
const EXIT_GRACE_MS = 200;
const DEATH_TERM_MS = 700;
const WATCH_MS = 500;

interface Pending {
  raw: string[];
  cut: number[];
  chars: number;
  dropped: number;
  /** Colour state carried from one line to the next on this stream, as a terminal does. */
  sgr: Sgr;
}

interface Run {
  id: number;
  children: ChildProcess[];
  exits: ({ code: number | null; signal: string | null } | null)[];
  closed: boolean[];
  bytes: number[];
  bytesSent: string;
  pending: Map<string, Pending>;
  maxPending: number;
  exitSent: boolean;
  graceTimer: NodeJS.Timeout | null;
}

const runs = new Map<number, Run>();
/** Every run's tree, kept until nothing of it is left (a daemon may outlive its run). */
const trees = new Map<number, RunTree>();
const startPpid = process.ppid;
/** The helper's own cgroup, and the subtree its runs' cgroups go under (null: not used). */
const home = ownCgroup();
// `--no-cgroups` forces the fallback (tests cover both ways).
let subtree = home && !process.argv.includes('--no-cgroups') ? openSubtree(home) : null;

const send = (m: FromHelper): void => {
  if (process.connected) process.send?.(m);
};

function pendingOf(run: Run, stage: number, stream: 'out' | 'err'): Pending {
  const key = `${stage}:${stream}`;
  let p = run.pending.get(key);
  if (!p) run.pending.set(key, (p = { raw: [], cut: [], chars: 0, dropped: 0, sgr: plain() }));
  return p;
}

function capture(run: Run, stage: number, stream: 'out' | 'err', src: Readable, maxLine: number): void {
  const p = pendingOf(run, stage, stream);
  const splitter = new LineSplitter(maxLine, (raw, cut) => {
    p.raw.push(raw);
    p.cut.push(cut);
    p.chars += raw.length;
    while (p.raw.length > run.maxPending || (p.chars > MAX_PENDING_CHARS && p.raw.length > 1)) {
      p.chars -= p.raw.shift()!.length;
      p.cut.shift();
      p.dropped++;
    }
  });
  src.on('data', (d: Buffer) => splitter.push(d));
  src.on('end', () => splitter.end());
  src.on('error', () => {});
}

function flush(run: Run): void {
  for (const [key, p] of run.pending) {
    if (p.raw.length === 0 && p.dropped === 0) continue;
    const [stage, stream] = key.split(':') as [string, 'out' | 'err'];
    const styled = p.raw.map((raw, i) => formatStyled(raw, p.cut[i]!, p.sgr));
    const lines = styled.map((x) => x.text);
    const spans = styled.some((x) => x.spans) ? styled.map((x) => x.spans) : undefined;
    send({ t: 'lines', runId: run.id, stage: Number(stage), stream, lines, spans, dropped: p.dropped });
    p.raw = [];
    p.cut = [];
    p.chars = 0;
    p.dropped = 0;
  }
  const bytes = run.bytes.join(',');
  if (run.children.length > 1 && bytes !== run.bytesSent) {
    run.bytesSent = bytes;
    send({ t: 'bytes', runId: run.id, bytes: [...run.bytes] });
  }
}

function maybeFinish(run: Run, force = false): void {
  if (run.exitSent || run.exits.some((e) => e === null)) return;
  if (!force && run.closed.some((c) => !c)) {
    // A grandchild may hold the pipe open: report the exit anyway after a short grace.
    run.graceTimer ??= setTimeout(() => maybeFinish(run, true), EXIT_GRACE_MS);
    return;
  }
  if (run.graceTimer) clearTimeout(run.graceTimer);
  run.exitSent = true;
  flush(run);
  send({
    t: 'exit',
    runId: run.id,
    stages: run.exits as { code: number | null; signal: string | null }[],
    bytes: [...run.bytes],
  });
  // Streams still open keep being drained; forget the run once they close.
  const forget = (): void => {
    if (run.closed.every(Boolean)) {
      flush(run);
      runs.delete(run.id);
    }
  };
  forget();
  for (const c of run.children) c.once('close', forget);
}

/** Connect a's stdout to b's stdin through a byte counter; close our ends when either side goes. */
function relay(run: Run, i: number, from: Readable, to: Writable): void {
  from.on('data', (d: Buffer) => {
    run.bytes[i]! += d.length;
    if (!to.write(d)) from.pause();
  });
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
  // The reader died: drop our copy of the read end so the writer gets SIGPIPE/EPIPE.
  to.on('error', () => from.destroy());
  to.on('close', () => from.destroy());
  from.on('error', () => to.destroy());
}

function startRun(m: Extract<ToHelper, { t: 'spawn' }>): void {
  const n = m.stages.length;
  const run: Run = {
    id: m.runId,
    children: [],
    exits: new Array(n).fill(null),
    closed: new Array(n).fill(false),
    bytes: new Array(n).fill(0),
    bytesSent: '',
    pending: new Map(),
    maxPending: m.maxPendingLines,
    exitSent: false,
    graceTimer: null,
  };
  let failed = false;
  // A failed spawn has no pid at once; its error event (with the errno) follows a tick later.
  const fail = (stage: number, err: NodeJS.ErrnoException): void => {
    const code = err.code === 'ENOENT' ? 'ENOENT_EXEC' : err.code === 'EACCES' ? 'EACCES_EXEC' : 'ESPAWN';
    send({ t: 'spawnError', runId: run.id, stage, code, message: `stage ${stage + 1}: ${err.message}` });
  };
  const mark = m.env[RUN_MARK] ?? `${process.pid}-${m.runId}`;
  const env = { ...m.env, [RUN_MARK]: mark };
  // Fork inherits the cgroup: the helper steps into the run's cgroup for the spawns and
  // back out at once, so no child ever runs outside it (not even for a moment before a fork).
  let cgroup = subtree ? createRunCgroup(subtree, `run-${m.runId}`) : null;
  if (cgroup && !enter(cgroup)) {
    removeCgroup(cgroup);
    cgroup = null;
  }
  try {
    m.stages.forEach((st: SpawnStage, i) => spawnStage(st, i));
  } finally {
    if (cgroup && !enter(home!)) {
      // Never stay inside a run's cgroup (its cgroup.kill would end the helper): give up cgroups.
      console.error('spindle helper: cannot leave a run cgroup; using process groups from now on');
      subtree = null;
      cgroup = null;
    }
  }
  const stages = run.children.map((c) => ({ pid: c.pid!, starttime: starttimeOf(c.pid!), cgroup }));
  trees.set(run.id, runTree(stages, mark));
  if (failed) return;
  runs.set(run.id, run);
  send({ t: 'spawned', runId: run.id, stages });

  function spawnStage(st: SpawnStage, i: number): void {
    if (failed) return;
    const child = spawn(st.file, st.args, {
      cwd: m.cwd,
      env,
      detached: true,
      stdio: [i === 0 ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    if (child.pid === undefined) {
      failed = true;
      child.once('error', (err) => fail(i, err));
      for (const c of run.children) killGroup(c.pid!, 'SIGKILL');
      return;
    }
    child.on('error', () => {});
    run.children.push(child);
    if (i > 0) relay(run, i - 1, run.children[i - 1]!.stdout!, child.stdin!);
    if (i === n - 1) capture(run, i, 'out', child.stdout!, m.maxLineBytes);
    capture(run, i, 'err', child.stderr!, m.maxLineBytes);
    child.on('exit', (code, signal) => {
      run.exits[i] = { code, signal };
      maybeFinish(run);
    });
    child.on('close', () => {
      run.closed[i] = true;
      maybeFinish(run);
    });
  }
}

/** Spindle's own children started here (pool workers), by fork id. */
const forks = new Map<number, ChildProcess>();

function startFork(m: Extract<ToHelper, { t: 'fork' }>): void {
  const child = spawn(m.file, m.args, { env: m.env, stdio: ['ignore', 'inherit', 'inherit'] });
  const id = m.forkId;
  if (child.pid === undefined) {
    child.once('error', (err) =>
      send({ t: 'forkExit', forkId: id, code: null, signal: null, error: err.message }),
    );
    return;
  }
  forks.set(id, child);
  child.on('error', () => {});
  child.on('exit', (code, signal) => {
    forks.delete(id);
    send({ t: 'forkExit', forkId: id, code, signal });
  });
  send({ t: 'forked', forkId: id, pid: child.pid, starttime: starttimeOf(child.pid) });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleepSync = (ms: number): void =>
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms) as never;

/** Spindle is gone (or asked us to go): end every process we own, quickly, then exit. */
function dieWithParent(): never {
  // Spindle's own children end when their socket closes; TERM makes sure (no tree: no setsid).
  for (const c of forks.values()) c.kill('SIGTERM');
  const all = [...trees.values()];
  // The groups and the members known so far first, before any read of /proc, and the KILL
  // deadline counts from this TERM, not from the end of the looks that follow.
  all.forEach((t) => signalRun(t, t.known, 'SIGTERM'));
  const deadline = Date.now() + DEATH_TERM_MS;
  const termed = all.map((t) => new Set(t.known.map(keyOf)));
  let members = all.map((t) => membersNow(t));
  all.forEach((t, i) => termAdded(t, termed[i]!, members[i]!));
  // Without cgroups, one full look after that TERM: marked processes of any run (a setsid'd
  // daemon whose parent is gone) die with the rest. Later looks follow known members only (cheap).
  const marks = all.filter((t) => !t.cgroup).map((t) => t.mark);
  if (marks.length > 0) {
    const table = readTableSync();
    const extra = markedSync(table, marks);
    members = all.map((t, i) => {
      if (t.cgroup) return members[i]!;
      const seen = new Set([...termed[i]!, ...members[i]!.map(keyOf)]);
      const now = membersNow(t, table, extra);
      termAdded(t, seen, now);
      return now;
    });
  }
  while (members.some((m) => m.length > 0) && Date.now() < deadline) {
    sleepSync(50);
    members = all.map((t) => membersNow(t));
  }
  all.forEach((t, i) => signalRun(t, members[i]!, 'SIGKILL'));
  // A worker stuck in a synchronous loop never runs its TERM handler.
  for (const c of forks.values()) c.kill('SIGKILL');
  if (subtree) {
    // cgroup.kill is asynchronous: give it a moment, then leave no empty cgroup behind.
    const end = Date.now() + 300;
    while (all.some((t) => t.cgroup && cgroupPids(t.cgroup).length > 0) && Date.now() < end) sleepSync(20);
    removeCgroup(subtree);
  }
  process.exit(0);
}

process.on('disconnect', dieWithParent);
process.on('SIGTERM', dieWithParent);
process.on('SIGHUP', dieWithParent);
// Ctrl-C in a terminal reaches the whole foreground group; Spindle decides what to stop.
process.on('SIGINT', () => {});
process.on('message', (m: ToHelper) => {
  if (m.t === 'spawn') startRun(m);
  else if (m.t === 'fork') startFork(m);
  else if (m.t === 'known') {
    const t = [...trees.values()].find((x) => x.mark === m.mark);
    const family = t && !t.cgroup ? familyOf([...t.groups, ...t.known.map((k) => k.pid)]) : null;
    send({ t: 'known', reqId: m.reqId, members: t ? (family ? collect(t, family, []) : t.known) : [] });
  } else if (m.t === 'shutdown') dieWithParent();
});

setInterval(() => {
  for (const run of runs.values()) flush(run);
}, FLUSH_MS);

/**
 * Every WATCH_MS: die if the parent has changed (the channel may stay open while Spindle
 * is gone), follow each fallback tree's descendants by parent link while they live (so
 * one whose parent exits is still known), and forget trees of finished runs once empty.
 */
async function watch(): Promise<void> {
  if (process.ppid !== startPpid) dieWithParent();
  // At most one full read of /proc per look, shared by every tree that needs one.
  let table: Map<number, ProcEntry> | undefined;
  const everything = async (): Promise<Map<number, ProcEntry>> => (table ??= await readTable());
  for (const [id, t] of trees) {
    const finished = !runs.has(id);
    if (t.cgroup) {
      if (finished && cgroupPids(t.cgroup).length === 0 && removeCgroup(t.cgroup)) trees.delete(id);
      continue;
    }
    const family = familyOf([...t.groups, ...t.known.map((k) => k.pid)]) ?? (await everything());
    if (collect(t, family, []).length > 0 || !finished) continue;
    // Before forgetting a run, one full look for marked processes that left the tree unseen.
    const all = await everything();
    if (collect(t, all, await marked(all, [t.mark])).length === 0) trees.delete(id);
  }
}
const watchLoop = (): void =>
  void setTimeout(() => {
    watch()
      .catch((err: unknown) => console.error('spindle helper: watch failed', err))
      .finally(watchLoop);
  }, WATCH_MS).unref();
watchLoop();

send({ t: 'ready', pid: process.pid });
