/**
 * The per-process files the sampler reads, kept open where the fd budget allows: procfs
 * regenerates a file at offset 0 on each pread, and an fd held on a dead process reads ESRCH,
 * so a reused pid is never mistaken for the old one.
 */
import { closeSync, fstatSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { firstNumber } from './parse-pid';
import { failureOf, type ProcReader, type ReadFailure } from './proc-reader';

/** Files by slot; `FILE[slot]` is the name under /proc/<pid>/. */
export const STAT = 0;
export const SCHED = 1;
export const STATM = 2;
export const IO = 3;
export const CMDLINE = 4;
/** The /proc/<pid>/fd directory: fstat of a kept fd on it gives the open-fd count (Linux >= 6.2). */
export const FD_DIR = 5;
const FILE = ['stat', 'schedstat', 'statm', 'io', 'cmdline', 'fd'];
/** The threads of one process by kept schedstat fd, with each one's run time (ns) at its last reading. */
export interface Tasks {
  fds: Int32Array;
  runNs: Float64Array;
  /** Index of the thread last seen running (asked first). */
  last: number;
}

/** Out of descriptors (ours or the system's): stop keeping more, read by path instead. */
const isOutOfFds = (err: unknown): boolean => {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
};

/** Kept fds given back when the process runs out of descriptors. */
const SHED_FDS = 64;

/** Longest command line read (argv past it is cut by parseCmdline anyway). */
const CMDLINE_BYTES = 64 * 1024;

/** Open fds of one process, -1 per slot not held. */
export const noFiles = (): Int32Array => new Int32Array(FILE.length).fill(-1);

/** The kept-fd budget shared by every process. */
export class PidFiles {
  readonly #reader: ProcReader;
  /** Lowered to what is held when an open fails for want of descriptors. */
  #maxFds: number;
  #kept = 0;

  readonly #onShort: () => void;

  /** `onShort`: out of fds; close kept ones (`close`) until `kept` is at most `budget`. */
  constructor(reader: ProcReader, maxFds: number, onShort: () => void) {
    this.#reader = reader;
    this.#maxFds = maxFds;
    this.#onShort = onShort;
  }

  get kept(): number {
    return this.#kept;
  }

  /** How many may be kept open now. */
  get budget(): number {
    return this.#maxFds;
  }

  /**
   * An open failed for want of fds (the app's other files, or another limit): give back
   * `SHED_FDS` of ours so that reads by path (and the rest of the app) find some free, and keep
   * no more than that from now on.
   */
  #short(): void {
    this.#maxFds = Math.max(0, this.#kept - SHED_FDS);
    this.#onShort();
  }

  /**
   * Read `slot` of the process in `dir` into the reader's buffer: through the kept fd, else
   * (when `keep` and the budget allows) through a newly kept one, else by path.
   */
  read(dir: string, files: Int32Array, slot: number, keep: boolean): number | ReadFailure {
    let fd = files[slot]!;
    if (fd < 0 && keep && this.#kept < this.#maxFds) {
      try {
        fd = openSync(`${dir}/${FILE[slot]}`, 'r');
        files[slot] = fd;
        this.#kept++;
      } catch (err) {
        if (!isOutOfFds(err)) return failureOf(err);
        this.#short(); // fds freed: read by path
      }
    }
    if (fd < 0)
      return this.#reader.read(`${dir}/${FILE[slot]}`, slot === CMDLINE ? CMDLINE_BYTES : undefined);
    const n = this.#reader.pread(fd);
    // A command line longer than the buffer: read it whole by path (rare).
    if (slot === CMDLINE && typeof n === 'number' && n === this.#reader.buffer.length)
      return this.#reader.read(`${dir}/${FILE[slot]}`, CMDLINE_BYTES);
    return n;
  }

  /**
   * Open fds of the process in `dir`, or null when not permitted (or gone: the next tick
   * drops the row). With `bySize`, the size of its fd directory, through a kept fd where
   * allowed (an fstat: no path walk), else a readdir.
   */
  countFds(dir: string, files: Int32Array, keep: boolean, bySize: boolean): number | null {
    if (bySize) {
      let fd = files[FD_DIR]!;
      if (fd < 0 && keep && this.#kept < this.#maxFds) {
        try {
          fd = openSync(`${dir}/fd`, 'r');
          files[FD_DIR] = fd;
          this.#kept++;
        } catch (err) {
          if (!isOutOfFds(err)) return null;
          this.#short();
        }
      }
      try {
        const size = fd >= 0 ? fstatSync(fd).size : statSync(`${dir}/fd`).size;
        // A directory we may not list still stats; its size is then not a count we may trust.
        if (size > 0) return size;
      } catch {
        return null;
      }
    }
    try {
      return readdirSync(`${dir}/fd`).length;
    } catch {
      return null;
    }
  }

  /**
   * Keep open the schedstat of every thread of the process in `dir` (each thread's own run
   * time, ns) and take each one's run time now. 'budget' when the budget cannot hold them all;
   * null when a thread ended between the listing and its open (a thread that ended ran: the
   * caller reads the process in full anyway, and lists again next tick).
   */
  openTasks(dir: string): Tasks | 'budget' | null {
    let names: string[];
    try {
      names = readdirSync(`${dir}/task`);
    } catch {
      return null;
    }
    if (this.#kept + names.length > this.#maxFds) return 'budget';
    const tasks: Tasks = {
      fds: new Int32Array(names.length).fill(-1),
      runNs: new Float64Array(names.length),
      last: 0,
    };
    for (let i = 0; i < names.length; i++) {
      let n: number | ReadFailure = 'gone';
      let short = false;
      try {
        tasks.fds[i] = openSync(`${dir}/task/${names[i]}/schedstat`, 'r');
        this.#kept++;
        n = this.#reader.pread(tasks.fds[i]!);
      } catch (err) {
        short = isOutOfFds(err);
      }
      if (typeof n !== 'number') {
        this.close(tasks.fds);
        if (short) this.#short();
        return short ? 'budget' : null;
      }
      tasks.runNs[i] = firstNumber(this.#reader.buffer, n);
    }
    return tasks;
  }

  /** Keep `slot` of the process in `dir` open if the budget allows (a no-op when held). */
  keep(dir: string, files: Int32Array, slot: number): void {
    if (files[slot]! >= 0 || this.#kept >= this.#maxFds) return;
    try {
      files[slot] = openSync(`${dir}/${FILE[slot]}`, 'r');
      this.#kept++;
    } catch (err) {
      if (isOutOfFds(err)) this.#short();
    }
  }

  /** Close every fd of one process. */
  close(files: Int32Array): void {
    for (let i = 0; i < files.length; i++) {
      if (files[i]! >= 0) {
        closeSync(files[i]!);
        this.#kept--;
        files[i] = -1;
      }
    }
  }
}

/** The kernel's page size: statm counts pages. Read from our own smaps (4 KiB when unknown). */
export const PAGE_SIZE = (() => {
  try {
    const head = readFileSync('/proc/self/smaps', 'latin1').slice(0, 4096);
    const kb = Number(/KernelPageSize:\s+(\d+) kB/.exec(head)?.[1]);
    return kb > 0 ? kb * 1024 : 4096;
  } catch {
    return 4096;
  }
})();

/**
 * Since Linux 6.2 stat() of /proc/<pid>/fd reports the number of open fds as its size, which
 * costs a fraction of a readdir; older kernels report 0 there, so probe once with our own.
 */
export const FD_SIZE_WORKS = (() => {
  try {
    return statSync('/proc/self/fd').size > 0;
  } catch {
    return false;
  }
})();
