/**
 * Core's side of the supervisor helper: starts it on first use, sends spawn requests and
 * routes what comes back to the run that asked. If the helper dies unexpectedly (it has
 * no death path for SIGKILL) core ends every tree it was told about, and only then tells
 * each live run that it ended and why: a run is never shown as exited while its
 * processes still run under PID 1.
 */
import type { StyleSpan } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { publicEnv } from '../child-env';
import {
  forkEntry,
  nodeCommand,
  type ChildHandle,
  type ChildLauncher,
  type EntryName,
  type ForkOptions,
} from '../launcher';
import type { ProcEntry } from '../proc-tree/proc-table';
import { RUN_MARK } from '../proc-tree/run-mark';
import { ChannelServer, type SocketChild } from '../socket-child';
import type { FromHelper, SpawnedStage, ToHelper } from './helper-protocol';
import { mayLive, stopTree, type RunTree } from './stop-tree';
import type { SpawnSpec } from './validate';

/** What a run hears from the helper after it is spawned. */
export interface RunListener {
  lines(
    stage: number,
    stream: 'out' | 'err',
    lines: string[],
    dropped: number,
    spans?: (StyleSpan[] | null)[],
  ): void;
  bytes(bytes: number[]): void;
  /** `why` is set when the run did not end by itself (the helper died). */
  exit(stages: { code: number | null; signal: string | null }[], bytes: number[], why?: string): void;
}

/** How long the processes of a dead helper get between TERM and KILL. */
const ORPHAN_TERM_MS = 500;
/** How long a stop waits for the helper's tracked members. */
const ASK_MS = 500;

interface PendingSpawn {
  resolve(stages: SpawnedStage[]): void;
  reject(err: SpindleError): void;
  listener: RunListener;
}

export interface HelperOptions {
  /** Use cgroup v2 where writable (default true); false forces the process-group fallback. */
  cgroups?: boolean;
}

export class HelperClient {
  #child: ChildHandle<FromHelper> | null = null;
  #nextRun = 1;
  readonly #pending = new Map<number, PendingSpawn>();
  readonly #live = new Map<number, RunListener>();
  /** Run id → its mark, and mark → tree: what to end if the helper dies. */
  readonly #marks = new Map<number, string>();
  readonly #trees = new Map<string, RunTree>();
  readonly #asks = new Map<number, (members: ProcEntry[]) => void>();
  #nextAsk = 1;
  /** Spindle's own children started by the helper (pool workers), by fork id. */
  readonly #forks = new Map<number, SocketChild>();
  #nextFork = 1;
  #channels: ChannelServer | null = null;
  readonly #opts: HelperOptions;

  constructor(opts: HelperOptions = {}) {
    this.#opts = opts;
  }

  /** The helper's pid (null until first use). */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  #ensure(): ChildHandle<FromHelper> {
    if (this.#child) return this.#child;
    const child = forkEntry<FromHelper>(
      'supervisor-helper',
      this.#opts.cgroups === false ? ['--no-cgroups'] : [],
      {
        env: publicEnv(),
      },
    );
    child.on('message', (m: FromHelper) => this.#onMessage(m));
    child.on('error', (err) => console.error('spindle: supervisor helper error', err));
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = null;
      void this.#orphaned(signal ?? `exit ${code}`);
    });
    this.#child = child;
    return child;
  }

  /** The helper died on its own: end every known tree, then tell each live run why it ended. */
  async #orphaned(how: string): Promise<void> {
    const err = new SpindleError('EHELPER', `supervisor helper exited (${how})`);
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    // Children it started and that run talk to Spindle directly and go on; those it never
    // started never will.
    for (const c of this.#forks.values()) if (c.pid === undefined) c.exited(null, null, err);
    const live = [...this.#live];
    this.#live.clear();
    const trees = [...this.#trees.values()];
    this.#trees.clear();
    const outcomes = new Map(
      await Promise.all(
        trees.map(async (t) => [t.mark, await stopTree(t, ORPHAN_TERM_MS, () => true)] as const),
      ),
    );
    for (const [runId, l] of live) {
      const o = outcomes.get(this.#marks.get(runId) ?? '');
      const left = o?.survivors.length ? `; still alive: ${o.survivors.map((x) => x.pid).join(', ')}` : '';
      const ended = o?.found
        ? `Spindle ended its ${o.found} process${o.found === 1 ? '' : 'es'}`
        : 'its processes were already gone';
      l.exit([{ code: null, signal: 'EHELPER' }], [], `supervisor helper died (${how}): ${ended}${left}`);
    }
    this.#marks.clear();
  }

  /**
   * Add what the helper has tracked of a fallback tree (descendants seen by parent link
   * while they lived, since cut from it) to `tree.known`, before a stop. Gives up after
   * ASK_MS: the stop still has the groups, parent links and the run mark.
   */
  async learn(tree: RunTree): Promise<void> {
    const child = this.#child;
    if (tree.cgroup || !child?.connected) return;
    const reqId = this.#nextAsk++;
    const members = await new Promise<ProcEntry[]>((resolve) => {
      const timer = setTimeout(() => {
        this.#asks.delete(reqId);
        resolve([]);
      }, ASK_MS);
      this.#asks.set(reqId, (m) => {
        clearTimeout(timer);
        this.#asks.delete(reqId);
        resolve(m);
      });
      child.send({ t: 'known', reqId, mark: tree.mark } satisfies ToHelper);
    });
    const have = new Set(tree.known.map((k) => `${k.pid}:${k.starttime}`));
    for (const m of members) if (!have.has(`${m.pid}:${m.starttime}`)) tree.known.push(m);
  }

  /** Remember a run's tree, to end it should the helper die; trees with nothing alive are dropped. */
  track(tree: RunTree): void {
    for (const [mark, t] of this.#trees) if (!mayLive(t)) this.#trees.delete(mark);
    this.#trees.set(tree.mark, tree);
  }

  #send(m: ToHelper): void {
    this.#ensure().send(m);
  }

  /**
   * Start one of Spindle's entries as a child of the helper: fork's cost (which grows with
   * Spindle's heap: 50-290 ms p99 main-loop stalls measured by bench/spawn.ts) is paid there,
   * and the child talks to Spindle directly over a socket (socket-channel.ts).
   */
  forkEntry<In = unknown>(
    name: EntryName,
    args: readonly string[] = [],
    options: ForkOptions = {},
  ): ChildHandle<In> {
    const cmd = nodeCommand(name, args);
    const { child, env } = (this.#channels ??= new ChannelServer()).expect();
    const forkId = this.#nextFork++;
    this.#forks.set(forkId, child);
    child.once('exit', () => this.#forks.delete(forkId));
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env ?? process.env)) if (v !== undefined) base[k] = v;
    try {
      this.#send({ t: 'fork', forkId, file: cmd.file, args: cmd.args, env: { ...base, ...cmd.env, ...env } });
    } catch (err) {
      queueMicrotask(() => child.exited(null, null, err instanceof Error ? err : new Error(String(err))));
    }
    return child as ChildHandle<In>;
  }

  /**
   * How pools start worker processes: through the helper under Node; under Electron the
   * installed launcher (a packaged app cannot run its binary as Node from the helper).
   */
  get launcher(): ChildLauncher {
    if (process.versions.electron) return { fork: forkEntry };
    return { fork: (name, args, options) => this.forkEntry(name, args, options) };
  }

  /** Spawn a validated run; resolves with each stage's pid once all are started. */
  spawn(
    spec: SpawnSpec,
    limits: { maxLineBytes: number; maxPendingLines: number },
    listener: RunListener,
  ): Promise<SpawnedStage[]> {
    const runId = this.#nextRun++;
    return new Promise((resolve, reject) => {
      this.#pending.set(runId, { resolve, reject, listener });
      const mark = spec.env[RUN_MARK];
      if (mark) this.#marks.set(runId, mark);
      this.#send({ t: 'spawn', runId, ...spec, ...limits });
    });
  }

  #onMessage(m: FromHelper): void {
    if (m.t === 'ready') return;
    if (m.t === 'forked') return void this.#forks.get(m.forkId)?.started(m.pid, m.starttime);
    if (m.t === 'forkExit') {
      const err = m.error === undefined ? undefined : new SpindleError('ESPAWN', m.error);
      return void this.#forks.get(m.forkId)?.exited(m.code, m.signal, err);
    }
    if (m.t === 'known') {
      this.#asks.get(m.reqId)?.(m.members);
      return;
    }
    if (m.t === 'spawned' || m.t === 'spawnError') {
      const p = this.#pending.get(m.runId);
      this.#pending.delete(m.runId);
      if (!p) return;
      if (m.t === 'spawnError') {
        this.#marks.delete(m.runId);
        p.reject(new SpindleError(m.code, m.message));
      } else {
        this.#live.set(m.runId, p.listener);
        p.resolve(m.stages);
      }
      return;
    }
    const l = this.#live.get(m.runId);
    if (!l) return;
    if (m.t === 'lines') l.lines(m.stage, m.stream, m.lines, m.dropped, m.spans);
    else if (m.t === 'bytes') l.bytes(m.bytes);
    else if (m.t === 'exit') {
      this.#live.delete(m.runId);
      this.#marks.delete(m.runId);
      l.exit(m.stages, m.bytes);
    }
  }

  /** Close the helper: it ends anything still running and exits. */
  async close(): Promise<void> {
    this.#channels?.close();
    this.#channels = null;
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    await gone;
  }
}
