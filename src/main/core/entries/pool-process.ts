/** A pool worker process: see pools/worker-loop.ts. argv[2] is the WorkerInit JSON. */
import './as-child';
import type { FromWorker, ToWorker, WorkerInit } from '../pools/protocol';
import { workerMain } from '../pools/worker-loop';
import { runningCommand } from '../pools/workloads';

const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;

// Ended by the pool (timeout, resize, terminate): take a running command down with us.
process.on('SIGTERM', () => {
  runningCommand?.kill('SIGKILL');
  process.exit(143);
});
// The pool went away without ending us: do not linger as an orphan.
process.on('disconnect', () => {
  runningCommand?.kill('SIGKILL');
  process.exit(0);
});

void workerMain(
  {
    send: (m: FromWorker) => process.send?.(m),
    onMessage: (fn) => process.on('message', (m) => fn(m as ToWorker)),
    fail: (error) => {
      process.send?.({ t: 'startFail', error } satisfies FromWorker, () => process.exit(1));
    },
  },
  init,
  { pid: process.pid, tid: null, threadId: null },
);
