/**
 * A private Redis for one test file: `redis-server` from PATH on a free loopback port, no
 * persistence (`--save ''`, `--appendonly no`), its own temporary folder. No test touches a
 * Redis it did not start. `.ci/run` installs Debian's redis-server when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running test Redis. */
export interface TestRedis {
  port: number;
  /** `redis://127.0.0.1:<port>` (with `:password@` when one was set). */
  url: string;
  password: string | null;
  /** The server process (SIGSTOP/SIGKILL it to test faults). */
  child: ChildProcess;
  /** Start it again on the same port (after `stop({ keepDir: true })` or a kill). */
  restart(): Promise<void>;
  /** Stop the server and, unless `keepDir`, remove its folder. Safe to call twice. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface TestRedisOptions {
  /** `requirepass` for the default user. */
  password?: string;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something answers PING with PONG on the port (auth errors count: it is up). */
async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    let buf = '';
    const done = (v: boolean): void => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG') || buf.startsWith('-NOAUTH'));
    });
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  });
}

/** Start a private redis-server; throws a clear error when it is not installed. */
export async function startRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'spindle-redis-'));
  const password = opts.password ?? null;
  let port = 0;
  let child!: ChildProcess;

  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning');
    if (password) args.push('--requirepass', password);
    const c = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let spawnError: Error | null = null;
    let exited = false;
    c.once('error', (e) => (spawnError = e));
    c.once('exit', () => (exited = true));
    // Not `until`: a spawn error or an early exit must end the wait at once, not at the timeout.
    const deadline = performance.now() + 20_000;
    for (;;) {
      if (spawnError) throw new Error(`redis-server: ${(spawnError as Error).message}`);
      if (exited) throw new Error(`redis-server exited at start on port ${port}`);
      if (await answers(port)) break;
      if (performance.now() > deadline) {
        c.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer PING within 20 s`);
      }
      await sleep(20);
    }
    child = c;
  };

  // A free port can be taken between the probe and the bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (e) {
      if (attempt >= 3 || /ENOENT/.test(String(e))) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`cannot start redis-server (install Debian's redis-server): ${String(e)}`);
      }
    }
  }

  const kill = async (): Promise<void> => {
    const c = child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  };

  const url = `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`;
  const server: TestRedis = {
    port,
    url,
    password,
    get child() {
      return child;
    },
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async (o) => {
      await kill();
      if (!o?.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
