/**
 * Core's side of the supervisor helper: starts it on first use, sends spawn requests and
 * routes what comes back to the run that asked. If the helper dies unexpectedly every
 * live run is told it ended (its processes were ended by the helper's own death path, or
 * are killed by core's stop, which signals groups directly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { StyleSpan } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { publicEnv } from '../child-env';
import { nodeCommand } from '../launcher';
import type { FromHelper, SpawnedStage, ToHelper } from './helper-protocol';
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
  exit(stages: { code: number | null; signal: string | null }[], bytes: number[]): void;
}

interface PendingSpawn {
  resolve(stages: SpawnedStage[]): void;
  reject(err: SpindleError): void;
  listener: RunListener;
}

export class HelperClient {
  #child: ChildProcess | null = null;
  #nextRun = 1;
  readonly #pending = new Map<number, PendingSpawn>();
  readonly #live = new Map<number, RunListener>();

  /** The helper's pid (null until first use). */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  #ensure(): ChildProcess {
    if (this.#child) return this.#child;
    const cmd = nodeCommand('supervisor-helper');
    const child = spawn(cmd.file, cmd.args, {
      env: { ...publicEnv(), ...cmd.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m: FromHelper) => this.#onMessage(m));
    child.on('error', (err) => console.error('spindle: supervisor helper error', err));
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = null;
      const why = new SpindleError('EHELPER', `supervisor helper exited (${signal ?? code})`);
      for (const p of this.#pending.values()) p.reject(why);
      this.#pending.clear();
      for (const l of this.#live.values()) l.exit([{ code: null, signal: 'EHELPER' }], []);
      this.#live.clear();
    });
    this.#child = child;
    return child;
  }

  #send(m: ToHelper): void {
    this.#ensure().send(m);
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
      this.#send({ t: 'spawn', runId, ...spec, ...limits });
    });
  }

  #onMessage(m: FromHelper): void {
    if (m.t === 'ready') return;
    if (m.t === 'spawned' || m.t === 'spawnError') {
      const p = this.#pending.get(m.runId);
      this.#pending.delete(m.runId);
      if (!p) return;
      if (m.t === 'spawnError') p.reject(new SpindleError(m.code, m.message));
      else {
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
      l.exit(m.stages, m.bytes);
    }
  }

  /** Close the helper: it ends anything still running and exits. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    await gone;
  }
}
