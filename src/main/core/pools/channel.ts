/**
 * One worker as the pool drives it, the same shape for a thread and a child process:
 * post tasks, hear results, learn of its exit (only after every result it produced has
 * been heard), read how many tasks it has started, end it.
 */
import type { Worker } from 'node:worker_threads';
import type { PoolKind, PoolOptions } from '../../../shared/contract/pools';
import { publicEnv } from '../child-env';
import { forkEntry, startWorker, type ChildHandle, type ChildLauncher } from '../launcher';
import { createProgressFile } from './progress';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

export interface WorkerChannel {
  post(msg: ToWorker): void;
  onMessage(fn: (msg: FromWorker) => void): void;
  /** Called once, after every result the worker sent or left as last words: exit code, or a signal name. */
  onExit(fn: (how: string) => void): void;
  /** Tasks the worker has started in all, as it recorded before running each (wraps: compare with `| 0`). */
  started(): number;
  /** End it now (terminate the thread / SIGTERM then SIGKILL the process). */
  kill(): void;
}

function threadChannel(init: WorkerInit): WorkerChannel {
  const progress = new Int32Array(new SharedArrayBuffer(4));
  init = { ...init, progress: progress.buffer as SharedArrayBuffer };
  const w: Worker = startWorker('pool-thread', {
    workerData: init,
    env: publicEnv(),
    stdout: false,
    stderr: false,
  });
  return {
    started: () => Atomics.load(progress, 0),
    post: (m) => w.postMessage(m),
    onMessage: (fn) => w.on('message', fn),
    onExit: (fn) => {
      let said = false;
      const once = (how: string): void => {
        if (said) return;
        said = true;
        fn(how);
      };
      w.on('error', (e) => once(`error: ${e.message}`));
      w.on('exit', (code) => once(`exit ${code}`));
    },
    kill: () => void w.terminate(),
  };
}

/** How long to wait, after a process exits, for its IPC pipe to drain before giving up on it. */
const DRAIN_MS = 2000;

function processChannel(init: WorkerInit, launcher: ChildLauncher): WorkerChannel {
  const progress = createProgressFile();
  init = { ...init, progressFile: progress.path };
  const child: ChildHandle = launcher.fork('pool-process', [JSON.stringify(init)], { env: publicEnv() });
  let gone = false;
  let hear: (m: FromWorker) => void = () => {};
  /** Read once the worker is gone, then the file is removed. */
  let final: number | null = null;
  return {
    post: (m) => {
      if (!gone && child.connected) child.send(m);
    },
    onMessage: (fn) => {
      hear = fn;
      child.on('message', (m) => {
        // Ready means it has opened its progress file: the name is no longer needed.
        if ((m as FromWorker).t === 'ready') progress.unlink();
        fn(m as FromWorker);
      });
    },
    started: () => final ?? progress.started(),
    onExit: (fn) => {
      const once = (how: string): void => {
        if (gone) return;
        gone = true;
        final = progress.started();
        const last = progress.lastWords();
        progress.dispose();
        if (last.length) hear({ t: 'done', r: last });
        fn(how);
      };
      child.on('error', (e) => once(`error: ${e.message}`));
      // 'exit' can come before the last messages are read; 'close' comes after the pipe drained.
      child.on('exit', (code, signal) => {
        const how = signal ? `signal ${signal}` : `exit ${code}`;
        child.on('close', () => once(how));
        setTimeout(() => once(how), DRAIN_MS).unref();
      });
    },
    kill: () => {
      if (gone) return;
      child.kill('SIGTERM');
      // A worker stuck in a synchronous loop never runs its SIGTERM handler.
      setTimeout(() => gone || child.kill('SIGKILL'), 500).unref();
    },
  };
}

/** Forks from this process: what tests and tools without a supervisor helper use. */
const direct: ChildLauncher = { fork: forkEntry };

/**
 * Start one worker of the given kind. Core passes the supervisor helper's launcher, so a
 * worker process is forked there and not from the main loop.
 */
export function openChannel(
  kind: PoolKind,
  init: WorkerInit,
  launcher: ChildLauncher = direct,
): WorkerChannel {
  return kind === 'threads' ? threadChannel(init) : processChannel(init, launcher);
}

/** A pool's way to open its workers, with worker processes started by `launcher`. */
export const openWith =
  (launcher: ChildLauncher = direct) =>
  (o: PoolOptions): WorkerChannel =>
    openChannel(o.kind, { module: o.module, exportName: o.exportName, cwd: o.cwd }, launcher);
