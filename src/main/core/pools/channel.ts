/**
 * One worker as the pool drives it, the same shape for a thread and a child process:
 * post tasks, hear results, learn of its exit, end it.
 */
import type { Worker } from 'node:worker_threads';
import type { PoolKind } from '../../../shared/contract/pools';
import { publicEnv } from '../child-env';
import { forkEntry, startWorker, type ChildHandle } from '../launcher';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

export interface WorkerChannel {
  post(msg: ToWorker): void;
  onMessage(fn: (msg: FromWorker) => void): void;
  /** Called once: exit code, or a signal name. */
  onExit(fn: (how: string) => void): void;
  /** End it now (terminate the thread / SIGTERM then SIGKILL the process). */
  kill(): void;
}

function threadChannel(init: WorkerInit): WorkerChannel {
  const w: Worker = startWorker('pool-thread', {
    workerData: init,
    env: publicEnv(),
    stdout: false,
    stderr: false,
  });
  return {
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

function processChannel(init: WorkerInit): WorkerChannel {
  const child: ChildHandle = forkEntry('pool-process', [JSON.stringify(init)], { env: publicEnv() });
  let gone = false;
  return {
    post: (m) => {
      if (!gone && child.connected) child.send(m);
    },
    onMessage: (fn) => child.on('message', (m) => fn(m as FromWorker)),
    onExit: (fn) => {
      const once = (how: string): void => {
        if (gone) return;
        gone = true;
        fn(how);
      };
      child.on('error', (e) => once(`error: ${e.message}`));
      child.on('exit', (code, signal) => once(signal ? `signal ${signal}` : `exit ${code}`));
    },
    kill: () => {
      if (gone) return;
      child.kill('SIGTERM');
      // A worker stuck in a synchronous loop never runs its SIGTERM handler.
      setTimeout(() => gone || child.kill('SIGKILL'), 500).unref();
    },
  };
}

/** Start one worker of the given kind. */
export function openChannel(kind: PoolKind, init: WorkerInit): WorkerChannel {
  return kind === 'threads' ? threadChannel(init) : processChannel(init);
}
