/**
 * Start `spindle worker …` from the TypeScript sources as a real child process (through tsx, the
 * way launcher.ts starts entries from source) and wait for its start line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { until } from './until';

const CLI = fileURLToPath(new URL('../main/cli.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A worker process and what it printed so far. */
export interface WorkerProcess {
  child: ChildProcess;
  /** `<host>:<pid>:<name>` from the start line. */
  id: string;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Spawn a worker and wait (generously) for its start line. */
export async function spawnWorker(args: string[], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((r) =>
    child.once('exit', (code, sig) => r(code ?? sig ?? 'unknown')),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const id = await until(
    () => {
      if (gone) throw new Error(`worker exited before it started: ${out}`);
      return /^spindle worker (\S+): queue/m.exec(out)?.[1];
    },
    { timeout: 30_000, message: 'worker start line' },
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(err)}\n${out}`);
  });
  return { child, id, output: () => out, exited };
}
