/**
 * "Start a local Redis": redis-server from PATH as a managed process (so it shows, with its
 * output, in the Managed view) on a free loopback port, in a private temporary folder,
 * keeping nothing on disk (`--save '' --appendonly no`), then a connection to it.
 */
import { accessSync, constants } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DefinitionInput, ManagedStatus, QueueConnection } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import type { QueuesEngine } from './queues-engine';

/** The path of redis-server on PATH, or null. */
export function findRedisServer(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'redis-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** A port free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The supervisor calls it needs. */
export interface Launcher {
  launch(input: DefinitionInput): Promise<ManagedStatus>;
}

/** Start redis-server and connect to it (waits up to 10 s for it to answer). */
export async function startLocalRedis(engine: QueuesEngine, launcher: Launcher): Promise<QueueConnection> {
  const bin = findRedisServer();
  if (!bin) throw new SpindleError('ENO_REDIS_SERVER', 'redis-server is not on PATH (install redis-server)');
  const dir = await mkdtemp(join(tmpdir(), 'spindle-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'];
  args.push('--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no');
  const managed = await launcher.launch({
    name: `Local Redis :${port}`,
    stages: [{ command: bin, args }],
    cwd: dir,
    restart: 'on-failure',
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = performance.now() + 10_000;
  for (;;) {
    try {
      return await engine.connect(
        { url, name: `Local Redis :${port}`, save: false },
        { managedId: managed.id },
      );
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'EREDIS_UNREACHABLE' || performance.now() > deadline) throw e;
      await sleep(100);
    }
  }
}
