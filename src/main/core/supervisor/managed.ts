/**
 * One managed process (a pipeline of one or more stages): its state machine, its bounded
 * output and timeline, restarts by policy, and a clean stop of its whole tree.
 *
 * Invariant: at most one run is live at a time; `#run` is set from spawn until the helper
 * reports the exit, and every timer (backoff, run timeout) is cleared on leaving its state.
 */
import { randomUUID } from 'node:crypto';
import {
  SUPERVISOR_LIMITS,
  type Definition,
  type ExitStatus,
  type ManagedState,
  type ManagedStatus,
  type OutputLine,
  type StageStatus,
  type StyleSpan,
  type TimelineEntry,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { RUN_MARK } from '../proc-tree/run-mark';
import type { HelperClient } from './helper-client';
import { OutputRing } from './output-ring';
import { describeExit as describe, pipelineStatus, RestartPolicy } from './restart-policy';
import { membersOf, runTree, stopTree, type RunTree } from './stop-tree';
import { resolveSpawn } from './validate';

interface Run {
  startedAt: number;
  tree: RunTree;
  exited: boolean;
  exitedPromise: Promise<void>;
  markExited(): void;
}

/** "node (123), sleep (456)", at most 20 named. */
const named = (list: readonly { pid: number; name: string }[]): string =>
  list
    .slice(0, 20)
    .map((x) => `${x.name} (${x.pid})`)
    .join(', ') + (list.length > 20 ? ` and ${list.length - 20} more` : '');

export class Managed {
  readonly id: string;
  definition: Definition;
  readonly ring: OutputRing;
  #state: ManagedState = 'stopped';
  #since = Date.now();
  #stages: StageStatus[] = [];
  #restarts = 0;
  #lastExit: ManagedStatus['lastExit'] = null;
  #nextStartAt: number | null = null;
  #error: ManagedStatus['error'] = null;
  #survivors: ManagedStatus['survivors'] = [];
  #timeline: TimelineEntry[] = [];
  #policy: RestartPolicy;
  #run: Run | null = null;
  /** The latest run's tree, kept after it ends for `#endLeftovers`. */
  #lastTree: RunTree | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopping: Promise<void> | null = null;
  /** The spawn in flight (state 'starting'), so a stop can wait for its pids. */
  #launching: Promise<void> | null = null;
  /** Lines not yet published, bounded: a flood keeps only the newest. */
  #outbox: OutputLine[] = [];
  #outSkipped = 0;
  readonly #helper: HelperClient;
  readonly #changed: () => void;
  readonly #hasOutput: () => void;

  /** `changed` is called on any state change, `hasOutput` when lines wait in the outbox. */
  constructor(definition: Definition, helper: HelperClient, changed: () => void, hasOutput: () => void) {
    this.id = definition.id;
    this.definition = definition;
    this.#helper = helper;
    this.#changed = changed;
    this.#hasOutput = hasOutput;
    this.ring = new OutputRing(definition.output);
    this.#policy = new RestartPolicy(definition);
  }

  get state(): ManagedState {
    return this.#state;
  }

  status(): ManagedStatus {
    return {
      id: this.id,
      definition: this.definition,
      state: this.#state,
      since: this.#since,
      stages: this.#stages.map((s) => ({ ...s })),
      procKeys: this.procKeys(),
      restarts: this.#restarts,
      failedStarts: this.#policy.failedStarts,
      lastExit: this.#lastExit,
      nextStartAt: this.#nextStartAt,
      error: this.#error,
      survivors: this.#survivors,
      dropped: this.ring.dropped,
      timeline: [...this.#timeline],
    };
  }

  /** Process-table keys of the stages alive now. */
  procKeys(): string[] {
    return this.#stages.filter((s) => s.exit === null && s.key !== null).map((s) => s.key!);
  }

  /** Take the lines gathered since the last call (at most `max`). */
  takeOutput(max: number): { lines: OutputLine[]; skipped: number } | null {
    if (this.#outbox.length === 0 && this.#outSkipped === 0) return null;
    const lines = this.#outbox.length > max ? this.#outbox.slice(-max) : this.#outbox;
    const skipped = this.#outSkipped + this.#outbox.length - lines.length;
    this.#outbox = [];
    this.#outSkipped = 0;
    return { lines, skipped };
  }

  #line(stream: OutputLine['stream'], stage: number, text: string, spans?: StyleSpan[]): void {
    this.#outbox.push(this.ring.push(stream, stage, text, Date.now(), spans));
    if (this.#outbox.length === 1) this.#hasOutput();
    if (this.#outbox.length > SUPERVISOR_LIMITS.tail) {
      this.#outSkipped += this.#outbox.length - SUPERVISOR_LIMITS.tail;
      this.#outbox = this.#outbox.slice(-SUPERVISOR_LIMITS.tail);
    }
  }

  #enter(state: ManagedState): void {
    this.#state = state;
    this.#since = Date.now();
    if (state !== 'backoff') this.#nextStartAt = null;
    this.#changed();
  }

  #note(kind: TimelineEntry['kind'], text: string): void {
    this.#timeline.push({ t: Date.now(), kind, text });
    if (this.#timeline.length > SUPERVISOR_LIMITS.timeline) this.#timeline.shift();
    this.#line('sys', 0, `[${kind}] ${text}`);
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** A user start: forget the crash history and start now. Throws on validation errors. */
  async start(): Promise<void> {
    if (this.#run || this.#stopping || this.#state === 'starting') {
      throw new SpindleError('EBUSY', `${this.definition.name} is ${this.#state}; stop it first`);
    }
    this.#clearTimer();
    this.#policy.reset();
    await this.#launch(true);
  }

  /** Start a run; `#launching` settles when the spawn has finished either way. */
  #launch(byUser: boolean): Promise<void> {
    const launched = this.#spawnRun(byUser);
    const settled = launched.then(
      () => {},
      () => {},
    );
    this.#launching = settled;
    void settled.then(() => {
      if (this.#launching === settled) this.#launching = null;
    });
    return launched;
  }

  async #spawnRun(byUser: boolean): Promise<void> {
    this.#error = null;
    this.#survivors = [];
    this.#enter('starting');
    let spawned;
    // The helper sends "exit" right behind "spawned" for a program that ends at once, and both
    // are often read in one turn: the exit then arrives before this function resumes from the
    // await below. It is held here and applied once the run exists, never dropped.
    let run: Run | undefined;
    let early: [ExitStatus[], number[]] | undefined;
    // Inherited by every descendant: how a stop finds one that left by setsid.
    const mark = randomUUID();
    try {
      const spec = await resolveSpawn(this.definition);
      spec.env[RUN_MARK] = mark;
      const limits = {
        maxLineBytes: SUPERVISOR_LIMITS.lineBytes,
        maxPendingLines: Math.min(this.definition.output.maxLines, 2_000),
      };
      spawned = await this.#helper.spawn(spec, limits, {
        lines: (stage, stream, lines, dropped, spans) => {
          this.ring.addDropped(dropped);
          lines.forEach((text, i) => this.#line(stream, stage, text, spans?.[i] ?? undefined));
        },
        bytes: (bytes) => bytes.forEach((b, i) => this.#stages[i] && (this.#stages[i].bytesOut = b)),
        exit: (stages, bytes, why) => {
          if (why) this.#note('error', why);
          if (run) this.#exited(run, stages, bytes);
          else early = [stages, bytes];
        },
      });
    } catch (err) {
      const e = err instanceof SpindleError ? err : new SpindleError('ESPAWN', String(err));
      // A bad definition never enters a restart loop: it is fatal until the user starts it again.
      this.#error = { code: e.code, message: e.message };
      this.#note('error', `${e.code}: ${e.message}`);
      this.#enter('fatal');
      if (byUser) throw e;
      return;
    }
    const now = Date.now();
    let markExited!: () => void;
    const exitedPromise = new Promise<void>((r) => (markExited = r));
    this.#lastTree = runTree(spawned, mark);
    this.#helper.track(this.#lastTree);
    this.#run = run = {
      startedAt: now,
      tree: this.#lastTree,
      exited: false,
      exitedPromise,
      markExited,
    };
    this.#stages = spawned.map((s) => ({
      pid: s.pid,
      key: s.starttime === null ? null : `${s.pid}:${s.starttime}`,
      exit: null,
      bytesOut: 0,
    }));
    this.#note('start', `pid ${spawned.map((s) => s.pid).join(' | ')}`);
    const limit = this.definition.runTimeoutMs;
    if (limit !== null) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#note('stop', `run timeout of ${limit} ms reached`);
        void this.#terminate();
      }, limit);
    }
    this.#enter('running');
    if (early) this.#exited(run, ...early);
  }

  #exited(run: Run, stages: ExitStatus[], bytes: number[]): void {
    if (this.#run !== run) return;
    const now = Date.now();
    stages.forEach((s, i) => this.#stages[i] && (this.#stages[i].exit = s));
    bytes.forEach((b, i) => this.#stages[i] && (this.#stages[i].bytesOut = b));
    const status = pipelineStatus(stages);
    this.#lastExit = { ...status, at: now };
    const detail = stages.length > 1 ? ` (stages: ${stages.map(describe).join(', ')})` : '';
    this.#note('exit', describe(status) + detail);
    this.#clearTimer();
    run.exited = true;
    this.#run = null;
    run.markExited();
    // A stop in progress decides the final state itself.
    if (this.#stopping) return;
    const decision = this.#policy.exited(status, run.startedAt, now);
    if (decision.kind === 'stay') this.#enter('exited');
    else if (decision.kind === 'fatal') {
      this.#error = { code: 'ESTART_LIMIT', message: decision.reason };
      this.#note('fatal', decision.reason);
      this.#enter('fatal');
    } else {
      this.#nextStartAt = now + decision.delayMs;
      this.#note('backoff', `restart in ${decision.delayMs} ms`);
      this.#enter('backoff');
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#restarts++;
        void this.#launch(false);
      }, decision.delayMs);
    }
  }

  /** TERM the tree, KILL at the stop timeout; returns once the run has exited. */
  async #terminate(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    await this.#helper.learn(run.tree);
    const outcome = await stopTree(run.tree, this.definition.stopTimeoutMs, () => run.exited);
    // The helper reports the exit once the pipes close (or after a short grace).
    await Promise.race([run.exitedPromise, new Promise((r) => setTimeout(r, 2_000))]);
    this.#survivors = outcome.survivors;
    if (outcome.survivors.length > 0) {
      this.#note('error', `survivors after KILL: ${named(outcome.survivors)}`);
    } else if (outcome.killed) this.#note('stop', `killed after ${this.definition.stopTimeoutMs} ms`);
  }

  /** Stop whatever is running or pending; resolves when the whole tree is gone. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => (this.#stopping = null));
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#clearTimer();
    // A spawn in flight finishes first, so its pids are known and can be signalled.
    while (this.#state === 'starting' && this.#launching) await this.#launching;
    this.#clearTimer();
    if (!this.#run) {
      await this.#endLeftovers();
      if (this.#state === 'backoff' || this.#state === 'running') this.#note('stop', 'stopped by user');
      if (this.#state !== 'fatal' && this.#state !== 'exited') this.#enter('stopped');
      return;
    }
    this.#enter('stopping');
    this.#note('stop', `TERM to ${this.#run.tree.groups.length > 1 ? 'every stage' : 'the process group'}`);
    await this.#terminate();
    this.#enter('stopped');
  }

  /**
   * The run has ended but something it started may live on (a daemonising child, in its
   * process group, its cgroup, or marked after setsid): stop that too.
   */
  async #endLeftovers(): Promise<void> {
    const tree = this.#lastTree;
    if (!tree) return;
    await this.#helper.learn(tree);
    const left = await membersOf(tree, true);
    if (left.length === 0) return;
    this.#note('stop', `ending what the last run left: ${named(left)}`);
    const outcome = await stopTree(tree, this.definition.stopTimeoutMs, () => true);
    this.#survivors = outcome.survivors;
  }

  /**
   * Take an edited definition (same id): stops what runs under the old one first and
   * starts again under the new one if it was running or waiting to restart. Output and the
   * timeline are kept; the output limits apply from now.
   */
  async redefine(def: Definition): Promise<void> {
    const wasLive = this.#run !== null || this.#state === 'starting' || this.#state === 'backoff';
    if (this.#state !== 'stopped' && this.#state !== 'exited' && this.#state !== 'fatal') await this.stop();
    this.definition = def;
    this.#policy = new RestartPolicy(def);
    this.ring.setLimits(def.output);
    this.#note('edit', 'definition changed');
    this.#changed();
    if (wasLive) await this.start();
  }

  /** Stop (if needed) and start again, as the user asked: resets the crash history. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
