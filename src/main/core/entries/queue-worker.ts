/** `spindle worker` as an entry of its own, so core can launch one as a managed process (launcher.nodeCommand). */
import { runWorkerCli } from '../queues/worker/worker-cli';

void runWorkerCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`spindle worker: ${(err as Error).message ?? String(err)}`);
    process.exit(2);
  },
);
