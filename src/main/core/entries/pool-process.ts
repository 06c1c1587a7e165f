/** A pool worker process: see pools/worker-loop.ts. argv[2] is the WorkerInit JSON. */
import './as-child';
import type { FromWorker, ToWorker, WireDone, WorkerInit } from '../pools/protocol';
import { progressWriter } from '../pools/progress';
import { workerMain } from '../pools/worker-loop';
import { runningCommand } from '../pools/workloads';

const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
const progress = init.progressFile ? progressWriter(init.progressFile) : null;
// Result batches handed to IPC and not yet written to the pipe: an exit now would lose them
// (3,000 sends then process.exit delivered ~280), so they are repeated in the last words.
const unsent = new Set<WireDone[]>();

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
    send: (m: FromWorker) => {
      if (m.t !== 'done') return void process.send?.(m);
      const batch = m.r;
      unsent.add(batch);
      process.send?.(m, (err: Error | null) => err || unsent.delete(batch));
    },
    onMessage: (fn) => process.on('message', (m) => fn(m as ToWorker)),
    fail: (error) => {
      process.send?.({ t: 'startFail', error } satisfies FromWorker, () => process.exit(1));
    },
    started: (n) => progress?.started(n),
    lastWords: (r) => progress?.lastWords([...[...unsent].flat(), ...r]),
  },
  init,
  { pid: process.pid, tid: null, threadId: null },
);
