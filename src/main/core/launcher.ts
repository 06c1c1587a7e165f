/**
 * How core starts its own JavaScript in a worker thread or a child process.
 *
 * Entries live in `src/main/core/entries/<name>.ts` and are built to `out/main/<name>.js`.
 * From source (unit tests, tsx) a `.ts` entry is loaded through tsx; from a build it is a
 * plain `.js` file beside the bundle.
 *
 * Child processes start through a {@link ChildLauncher}. Under plain Node it is
 * {@link nodeLauncher} (a Node child with an IPC channel). A packaged Electron app turns the
 * RunAsNode fuse off, so `ELECTRON_RUN_AS_NODE` cannot make the Electron binary a Node child;
 * the Electron adapter then installs a launcher built on `utilityProcess` with
 * {@link useChildLauncher}, and core never imports `electron`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Names of the scripts core runs out of the main thread. */
export type EntryName =
  | 'sampler-worker'
  | 'supervisor-helper'
  | 'pool-thread'
  | 'pool-process'
  | 'queue-processor'
  | 'queue-worker';

const here = dirname(fileURLToPath(import.meta.url));
/** True when running from TypeScript sources (tests, tsx) rather than a build. */
export const fromSource = import.meta.url.endsWith('.ts');

/** Absolute path of an entry's script. */
export function entryPath(name: EntryName): string {
  if (fromSource) return join(here, 'entries', `${name}.ts`);
  // Bundled code may sit in out/main or in out/main/chunks.
  const base = basename(here) === 'chunks' ? dirname(here) : here;
  const file = join(base, `${name}.js`);
  if (!existsSync(file)) throw new Error(`Spindle entry ${name} missing at ${file}; run npm run build`);
  return file;
}

/** Start an entry in a worker thread. */
export function startWorker(name: EntryName, options: WorkerOptions = {}): Worker {
  const file = entryPath(name);
  if (!fromSource) return new Worker(file, options);
  const target = JSON.stringify(pathToFileURL(file).href);
  const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); })`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Command line that runs an entry in a child Node process: `[file, args, env]`. Under an
 * Electron binary it asks for Node mode with `ELECTRON_RUN_AS_NODE`, which only an unpackaged
 * Electron honours; the Electron adapter uses `utilityProcess` instead.
 */
export function nodeCommand(
  name: EntryName,
  args: readonly string[] = [],
): { file: string; args: string[]; env: Record<string, string> } {
  const script = entryPath(name);
  const env: Record<string, string> = {};
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  // Resolved here, not by the child from its working directory (which may be anywhere).
  const pre = fromSource
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  return { file: process.execPath, args: [...pre, script, ...args], env };
}

/** A running child that runs one of Spindle's entries: the part of Node's ChildProcess core uses. */
export interface ChildHandle<In = unknown> {
  /** Undefined until the OS process exists (a utility process learns its pid asynchronously). */
  readonly pid?: number | undefined;
  /** True until the channel to the child is closed (by {@link ChildHandle.disconnect} or the exit). */
  readonly connected: boolean;
  send(message: unknown): boolean;
  /** Close the channel: the child sees `disconnect` and ends itself. */
  disconnect(): void;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: 'message', listener: (message: In) => void): this;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  /** After `exit`, once every message the child sent has been delivered. */
  on(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

/** Options for {@link ChildLauncher.fork}. */
export interface ForkOptions {
  /** The child's whole environment (default: Spindle's). */
  env?: NodeJS.ProcessEnv;
}

/** Starts an entry as a child process; stdout and stderr are Spindle's own, stdin is closed. */
export interface ChildLauncher {
  fork<In = unknown>(name: EntryName, args?: readonly string[], options?: ForkOptions): ChildHandle<In>;
}

/** The plain-Node launcher: `process.execPath` with an IPC channel (what tests and web mode use). */
export const nodeLauncher: ChildLauncher = {
  fork: (name, args = [], options = {}) => {
    const cmd = nodeCommand(name, args);
    return spawn(cmd.file, cmd.args, {
      env: { ...(options.env ?? process.env), ...cmd.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  },
};

let launcher: ChildLauncher = nodeLauncher;

/** Install the launcher every later {@link forkEntry} uses (the Electron adapter does, before Core starts). */
export function useChildLauncher(next: ChildLauncher): void {
  launcher = next;
}

/** Start an entry as a child process through the installed launcher. */
export function forkEntry<In = unknown>(
  name: EntryName,
  args: readonly string[] = [],
  options: ForkOptions = {},
): ChildHandle<In> {
  return launcher.fork<In>(name, args, options);
}
