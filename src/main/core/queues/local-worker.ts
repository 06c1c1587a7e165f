/**
 * "Add local worker": a `spindle worker` on this machine, launched as a managed process for a
 * queue of a connection Spindle already has. The connection's password goes to the worker in a
 * file of mode 0600 in the data folder (`--redis-file`), never in its argv or environment, which
 * the Managed view shows and supervisor.json keeps.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagedStatus, QueueWorkload } from '../../../shared/contract';
import { nodeCommand } from '../launcher';
import type { Launcher } from './local-redis';
import type { QueuesEngine } from './queues-engine';
import { secretUrl } from './redis-url';

export interface LocalWorkerRequest {
  connectionId: string;
  queue: string;
  concurrency: number;
  /** Absent: each job's name picks the built-in workload. */
  workload?: QueueWorkload;
}

/** Write the connection's URL for workers (0600 in a 0700 folder) and return its path. */
async function secretFile(dataDir: string, engine: QueuesEngine, connectionId: string): Promise<string> {
  const dir = join(dataDir, 'queue-workers');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const file = join(dir, `${connectionId}.url`);
  await writeFile(file, secretUrl(engine.settingsOf(connectionId)) + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** Launch one worker for `queue` (restarted on failure, like any managed process). */
export async function launchLocalWorker(
  engine: QueuesEngine,
  launcher: Launcher,
  dataDir: string,
  p: LocalWorkerRequest,
): Promise<ManagedStatus> {
  const settings = engine.settingsOf(p.connectionId);
  const file = await secretFile(dataDir, engine, p.connectionId);
  const args = ['--redis-file', file, '--queue', p.queue, '--concurrency', String(p.concurrency)];
  args.push('--prefix', settings.prefix);
  if (p.workload) args.push('--workload', p.workload);
  const cmd = nodeCommand('queue-worker', args);
  return launcher.launch({
    name: `worker ${p.queue} ×${p.concurrency}`,
    stages: [{ command: cmd.file, args: cmd.args }],
    env: { set: cmd.env, unset: [] },
    restart: 'on-failure',
  });
}
