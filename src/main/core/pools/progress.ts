/**
 * What a worker leaves behind for its pool, so the pool can tell after any death which of
 * the tasks it handed over had started: a count of tasks started, written before each task
 * runs, and "last words" (results not yet delivered) written as the worker exits.
 * A thread keeps the count in shared memory; a process in a small file (any launcher can
 * pass a path; a pwrite costs ~2 µs a task, a message per task would halve the rate).
 * File layout: Int32LE started count at 0, then the last words as a JSON array of WireDone.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireDone } from './protocol';

/** The pool's side of one process worker's progress file. */
export interface ProgressFile {
  readonly path: string;
  /** The worker has opened it: remove its name (both keep their descriptors), so nothing is left behind. */
  unlink(): void;
  /** Tasks started so far (wraps at 2^31; compare with `| 0`). */
  started(): number;
  /** Results the worker wrote as it exited. */
  lastWords(): WireDone[];
  dispose(): void;
}

/** Create an empty progress file (owner-only, in the temp folder) for a process worker about to start. */
export function createProgressFile(): ProgressFile {
  const path = join(tmpdir(), `spindle-pool-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number | null = openSync(path, 'wx+', 0o600);
  let named = true;
  const unlink = (): void => {
    if (named) rmSync(path, { force: true });
    named = false;
  };
  const buf = Buffer.alloc(4);
  return {
    path,
    unlink,
    started: () => (fd !== null && readSync(fd, buf, 0, 4, 0) === 4 ? buf.readInt32LE(0) : 0),
    lastWords: () => {
      if (fd === null) return [];
      try {
        const size = fstatSync(fd).size;
        if (size <= 4) return [];
        const bytes = Buffer.alloc(size - 4);
        readSync(fd, bytes, 0, bytes.length, 4);
        return JSON.parse(bytes.toString('utf8')) as WireDone[];
      } catch {
        return []; // cut short by a kill mid-write: treated as never said
      }
    },
    dispose: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
      unlink();
    },
  };
}
/** The worker's side of a progress file. */
export function progressWriter(path: string): { started(n: number): void; lastWords(r: WireDone[]): void } {
  const fd = openSync(path, 'r+');
  const buf = Buffer.alloc(4);
  return {
    started: (n) => {
      buf.writeInt32LE(n | 0, 0);
      writeSync(fd, buf, 0, 4, 0);
    },
    lastWords: (r) => {
      if (r.length) writeSync(fd, JSON.stringify(r), 4, 'utf8');
    },
  };
}
