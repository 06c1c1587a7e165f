/** A pool worker thread: see pools/worker-loop.ts. */
import { readlinkSync } from 'node:fs';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { WorkerInit } from '../pools/protocol';
import { workerMain } from '../pools/worker-loop';

/** The OS thread id (Linux), so the worker can be found in the process table's threads. */
function osTid(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || null;
  } catch {
    // No /proc (not Linux): the worker is just not matched to a table thread.
    return null;
  }
}

const port = parentPort!;
const init = (workerData ?? {}) as WorkerInit;
const progress = init.progress ? new Int32Array(init.progress) : null;
void workerMain(
  {
    send: (m) => port.postMessage(m),
    onMessage: (fn) => port.on('message', fn),
    fail: (error) => {
      port.postMessage({ t: 'startFail', error });
      setImmediate(() => process.exit(1));
    },
    started: (n) => progress && Atomics.store(progress, 0, n | 0),
    // Messages posted before a thread ends reach the pool before its exit event.
    lastWords: (r) => r.length && port.postMessage({ t: 'done', r }),
  },
  init,
  { pid: process.pid, tid: osTid(), threadId },
);
