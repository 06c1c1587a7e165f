/**
 * How core starts its own JavaScript in a worker thread or a child process.
 *
 * Entries live in `src/main/core/entries/<name>.ts` and are built to `out/main/<name>.js`.
 * From source (unit tests, tsx) a `.ts` entry is loaded through tsx; from a build it is a
 * plain `.js` file beside the bundle. Under Electron `process.execPath` is the Electron
 * binary, so children get `ELECTRON_RUN_AS_NODE=1`; that choice stays here so core never
 * imports `electron`.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Names of the scripts core runs out of the main thread. */
export type EntryName = 'sampler-worker' | 'supervisor-helper' | 'pool-thread' | 'pool-process';

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

/** Command line that runs an entry in a child Node process: `[file, args, env]`. */
export function nodeCommand(
  name: EntryName,
  args: readonly string[] = [],
): { file: string; args: string[]; env: Record<string, string> } {
  const script = entryPath(name);
  const env: Record<string, string> = {};
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  const pre = fromSource ? ['--import', 'tsx'] : [];
  return { file: process.execPath, args: [...pre, script, ...args], env };
}
