/**
 * The one place a signal leaves Spindle: refuse protected PIDs, check the (pid, start time)
 * identity immediately before `kill(2)`, and turn errno into a clear error value.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SignalName } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { parseKey, type ProcIdentities, type ProcIdentity } from './proc-identity';

/** Signals after which the process is expected to keep running (so nobody waits for it to exit). */
export const NON_FATAL = new Set<SignalName>(['STOP', 'CONT', 'TSTP', 'TTIN', 'TTOU', 'WINCH']);

/** How often a wait for exit looks again. */
const POLL_MS = 20;

export class Signaller {
  readonly ids: ProcIdentities;
  /** PIDs never signalled besides 0 and 1: Spindle and the process that started it. */
  readonly #self: number;
  readonly #parent: number;
  /** Pids of Spindle's own helpers now (the supervisor helper), asked at each check. */
  readonly #helpers: () => readonly number[];

  constructor(
    ids: ProcIdentities,
    self = process.pid,
    parent = process.ppid,
    helpers: () => readonly number[] = () => [],
  ) {
    this.ids = ids;
    this.#self = self;
    this.#parent = parent;
    this.#helpers = helpers;
  }

  /** Throw a clear refusal when `pid` must never be signalled. */
  guard(pid: number): void {
    if (pid === 0 || pid === 1) {
      throw new SpindleError(
        'EPROTECTED_INIT',
        `PID ${pid} is the system's ${pid === 1 ? 'init process' : 'scheduler'}; Spindle never signals it`,
      );
    }
    if (pid === this.#self)
      throw new SpindleError('EPROTECTED_SELF', `PID ${pid} is Spindle itself; quit Spindle instead`);
    if (this.#helpers().includes(pid)) {
      // Ending it would orphan every managed process; stop those from the supervisor instead.
      throw new SpindleError(
        'EPROTECTED_HELPER',
        `PID ${pid} is Spindle's supervisor helper, which owns the managed processes; stop them in Managed instead`,
      );
    }
    if (pid === this.#parent) {
      const name = this.ids.read(pid)?.name ?? 'unknown';
      throw new SpindleError(
        'EPROTECTED_PARENT',
        `PID ${pid} (${name}) started Spindle; ending it would end Spindle too`,
      );
    }
  }

  /** Is this PID one `guard` refuses? */
  isProtected(pid: number): boolean {
    return pid <= 1 || pid === this.#self || pid === this.#parent || this.#helpers().includes(pid);
  }

  /** Guard and verify the key, then signal. Returns who was signalled. */
  send(key: string, signal: SignalName): ProcIdentity {
    this.guard(parseKey(key).pid);
    const id = this.ids.verify(key);
    try {
      process.kill(id.pid, `SIG${signal}`);
    } catch (err) {
      throw this.#errnoError(err, id);
    }
    return id;
  }

  /** Wait until the key's process has exited; ms waited, or null if it still runs at `timeoutMs`. */
  async waitGone(key: string, timeoutMs: number, since = performance.now()): Promise<number | null> {
    const deadline = since + timeoutMs;
    for (;;) {
      if (!this.ids.alive(key)) return Math.round(performance.now() - since);
      if (performance.now() >= deadline) return null;
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - performance.now())));
    }
  }

  /** errno from kill/setpriority → an error value naming the process (and owner for EPERM). */
  #errnoError(err: unknown, id: ProcIdentity): SpindleError {
    return errnoToError(err, id, this.ids.owner(id.pid));
  }
}

/** Map a system error to ESRCH_GONE / EPERM with a sentence; other errors pass through as bugs. */
export function errnoToError(err: unknown, id: ProcIdentity, owner: string | null): SpindleError {
  const e = err as { code?: string; info?: { code?: string } };
  const code = e.info?.code ?? e.code;
  if (code === 'ESRCH')
    return new SpindleError('ESRCH_GONE', `process ${id.pid} (${id.name}) has already exited`);
  if (code === 'EPERM' || code === 'EACCES') {
    return new SpindleError(
      'EPERM',
      `not permitted: ${id.name} (${id.pid}) is owned by ${owner ?? 'another user'}`,
    );
  }
  throw err;
}
