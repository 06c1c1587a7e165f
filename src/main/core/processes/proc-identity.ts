/**
 * Who a PID is right now: read from /proc/<pid>/stat with the sampler's parser and turned
 * into the same key and start time the sampler reports, so a client's ProcRow key can be
 * checked against the live process immediately before a signal.
 */
import type { ProcTarget } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { hasExited } from '../proc-tree/proc-table';
import { CLK_TCK } from '../sampler/pid-table';
import { parsePidStat, parseStatusUid } from '../sampler/parse-pid';
import { parseStatCounters } from '../sampler/parse-system';
import { ProcReader } from '../sampler/proc-reader';
import { UserNames } from '../sampler/passwd';

/** A live process as /proc shows it now. */
export interface ProcIdentity {
  key: string;
  pid: number;
  ppid: number;
  /** Clock ticks since boot (stat field 22). */
  starttime: number;
  /** ms since epoch, converted as the sampler does. */
  startTime: number;
  name: string;
  state: string;
  nice: number;
}

/** Parsed form of a ProcRow key. */
export interface KeyParts {
  pid: number;
  starttime: number;
}

/** Split `${pid}:${starttime}`; the contract has already checked the shape. */
export function parseKey(key: string): KeyParts {
  const [pid, st] = key.split(':');
  return { pid: Number(pid), starttime: Number(st) };
}

export { hasExited };

export class ProcIdentities {
  readonly #root: string;
  readonly #reader = new ProcReader(4096, 64 * 1024);
  readonly #users = new UserNames();

  constructor(root = '/proc') {
    this.#root = root;
  }

  /** Boot time in ms since epoch (read each time: cheap, and a clock step moves it). */
  bootMs(): number {
    const text = this.#reader.text(`${this.#root}/stat`);
    const btime = typeof text === 'string' ? parseStatCounters(text).btime : null;
    return (btime ?? 0) * 1000;
  }

  /** Start time in ms since epoch for `starttime` clock ticks since boot. */
  startTimeMs(starttime: number, bootMs = this.bootMs()): number {
    return Math.round(bootMs + (starttime * 1000) / CLK_TCK);
  }

  /** The process with this PID now, or null if there is none. */
  read(pid: number, bootMs?: number): ProcIdentity | null {
    const len = this.#reader.read(`${this.#root}/${pid}/stat`);
    if (typeof len !== 'number') return null;
    const st = parsePidStat(this.#reader.buffer, len);
    if (!st) return null;
    return {
      key: `${st.pid}:${st.starttime}`,
      pid: st.pid,
      ppid: st.ppid,
      starttime: st.starttime,
      startTime: this.startTimeMs(st.starttime, bootMs),
      name: st.comm ?? '',
      state: st.state,
      nice: st.nice,
    };
  }

  /**
   * The live process the key names, or a SpindleError: ESRCH_GONE when the PID is free or
   * a zombie, EPID_REUSED when another program holds it now.
   */
  verify(key: string): ProcIdentity {
    const { pid, starttime } = parseKey(key);
    const now = this.read(pid);
    if (!now || (now.starttime === starttime && hasExited(now.state))) {
      throw new SpindleError('ESRCH_GONE', `process ${pid} has already exited`);
    }
    if (now.starttime !== starttime) {
      throw new SpindleError('EPID_REUSED', `that PID (${pid}) now belongs to another program (${now.name})`);
    }
    return now;
  }

  /** Is the process the key names still alive (not exited, PID not reused)? */
  alive(key: string): boolean {
    const { pid, starttime } = parseKey(key);
    const now = this.read(pid);
    return !!now && now.starttime === starttime && !hasExited(now.state);
  }

  /** Owner user name of a PID, for "not permitted" messages. */
  owner(pid: number): string | null {
    const text = this.#reader.text(`${this.#root}/${pid}/status`);
    const uid = typeof text === 'string' ? parseStatusUid(text) : null;
    return uid === null ? null : this.#users.name(uid);
  }

  /** What the audit log and outcomes name: key, pid, start time and name. */
  target(id: ProcIdentity): ProcTarget {
    return { key: id.key, pid: id.pid, startTime: id.startTime, name: id.name };
  }

  /** A best-effort target for a key that may no longer be readable. */
  targetOf(key: string): ProcTarget {
    const { pid, starttime } = parseKey(key);
    const now = this.read(pid);
    const name = now && now.starttime === starttime ? now.name : '';
    return { key, pid, startTime: this.startTimeMs(starttime), name };
  }
}
