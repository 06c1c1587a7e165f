/**
 * Reads small /proc files into one reused buffer: open, read until EOF, close. No stat
 * call, no per-file allocation beyond what the caller decodes. Errors are values: a
 * process can vanish or refuse between any two calls, and that is not a failure.
 */
import { closeSync, openSync, readSync } from 'node:fs';
export { closeSync, openSync };

/** Why a read gave nothing: the file (process) is gone, or reading it is not permitted. */
export type ReadFailure = 'gone' | 'denied';

const GONE = new Set(['ENOENT', 'ESRCH', 'ENOTDIR']);

/** Classify an fs error from a /proc read. */
export function failureOf(err: unknown): ReadFailure {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  return GONE.has(code) ? 'gone' : 'denied';
}

export class ProcReader {
  #buf: Buffer;
  /** Upper bound to grow to; longer files are truncated (cmdline of a huge argv). */
  readonly #maxBytes: number;
  /** errno code of the last failed read (EMFILE must not pass for "denied"). */
  lastErrorCode = '';

  constructor(initialBytes = 16 * 1024, maxBytes = 1024 * 1024) {
    this.#buf = Buffer.allocUnsafe(initialBytes);
    this.#maxBytes = maxBytes;
  }

  /** The buffer the last successful `read` filled (valid until the next read). */
  get buffer(): Buffer {
    return this.#buf;
  }

  /** Read a whole file; returns its length in `buffer`, or a failure. */
  read(path: string, limit = this.#maxBytes): number | ReadFailure {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      this.lastErrorCode = (err as NodeJS.ErrnoException).code ?? '';
      return failureOf(err);
    }
    try {
      let len = 0;
      for (;;) {
        if (len === this.#buf.length) {
          if (len >= limit) break;
          const bigger = Buffer.allocUnsafe(Math.min(this.#buf.length * 2, this.#maxBytes));
          this.#buf.copy(bigger, 0, 0, len);
          this.#buf = bigger;
        }
        const n = readSync(fd, this.#buf, len, Math.min(this.#buf.length, limit) - len, null);
        if (n === 0) break;
        len += n;
        if (len >= limit) break;
      }
      return len;
    } catch (err) {
      return failureOf(err);
    } finally {
      closeSync(fd);
    }
  }

  /** Re-read a small file kept open (procfs regenerates it at offset 0); length or a failure. */
  pread(fd: number): number | ReadFailure {
    try {
      return readSync(fd, this.#buf, 0, this.#buf.length, 0);
    } catch (err) {
      return failureOf(err);
    }
  }

  /** Read a whole file as latin1 text (procfs numbers and keys are ASCII), or a failure. */
  text(path: string): string | ReadFailure {
    const n = this.read(path);
    return typeof n === 'number' ? this.#buf.toString('latin1', 0, n) : n;
  }
}
