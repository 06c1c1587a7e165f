/**
 * Control of any process on the machine: end (TERM, then KILL), kill, any signal, end a
 * tree, renice. Refusals are thrown as coded errors; dispatch audits every outcome.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import {
  PROCESS_LIMITS,
  type ControlOutcome,
  type ProcDetails,
  type ProcTarget,
  type SignalName,
  type TreeOutcome,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { readDetails } from './details';
import { parseKey, ProcIdentities, type ProcIdentity } from './proc-identity';
import { descendants, readChildren } from './proc-tree';
import { errnoToError, NON_FATAL, Signaller } from './signaller';
import { endTree } from './tree-end';

export interface ProcessControlOptions {
  /** /proc root (tests may point elsewhere for read-only parsing; signalling uses real PIDs). */
  root?: string;
  /** PIDs treated as Spindle and its parent (default: this process and its parent). */
  self?: number;
  parent?: number;
  /** Pids of Spindle's helpers now (the supervisor helper): refused like Spindle itself. */
  helpers?: () => readonly number[];
}

/** How long to watch for an exit after KILL or a possibly fatal signal. */
const AFTER_KILL_MS = 1000;
const AFTER_SIGNAL_MS = 300;

export class ProcessControl {
  readonly #root: string;
  readonly #ids: ProcIdentities;
  readonly #sig: Signaller;

  constructor(opts: ProcessControlOptions = {}) {
    this.#root = opts.root ?? '/proc';
    this.#ids = new ProcIdentities(this.#root);
    this.#sig = new Signaller(this.#ids, opts.self, opts.parent, opts.helpers);
  }

  /** TERM, then KILL when it is still there after `timeoutMs`. */
  async end(key: string, timeoutMs: number = PROCESS_LIMITS.endTimeoutMs.default): Promise<ControlOutcome> {
    const t0 = performance.now();
    const id = this.#sig.send(key, 'TERM');
    const gone = await this.#sig.waitGone(key, timeoutMs, t0);
    if (gone !== null) return this.#outcome(id, 'end', 'gone', gone, `gone after ${gone} ms (SIGTERM)`);
    try {
      this.#sig.send(key, 'KILL');
    } catch (err) {
      // It exited between the last look and the KILL: that is the outcome we wanted.
      if (err instanceof SpindleError && err.code === 'ESRCH_GONE') {
        const ms = Math.round(performance.now() - t0);
        return this.#outcome(id, 'end', 'gone', ms, `gone after ${ms} ms (SIGTERM)`);
      }
      throw err;
    }
    const after = await this.#sig.waitGone(key, AFTER_KILL_MS, t0 + timeoutMs);
    if (after === null) {
      return this.#outcome(
        id,
        'end',
        'running',
        null,
        `still running ${timeoutMs + AFTER_KILL_MS} ms after SIGTERM and SIGKILL (state ${this.#ids.read(id.pid)?.state ?? '?'})`,
      );
    }
    const ms = timeoutMs + after;
    return this.#outcome(
      id,
      'end',
      'gone',
      ms,
      `ignored SIGTERM for ${timeoutMs} ms; killed, gone after ${ms} ms`,
    );
  }

  /** KILL at once. */
  kill(key: string): Promise<ControlOutcome> {
    return this.signal(key, 'KILL', 'kill');
  }

  /** Send one signal; for a possibly fatal one, watch briefly to say whether it exited. */
  async signal(key: string, signal: SignalName, action = `signal SIG${signal}`): Promise<ControlOutcome> {
    const t0 = performance.now();
    const id = this.#sig.send(key, signal);
    if (NON_FATAL.has(signal)) return this.#outcome(id, action, 'done', null, `sent SIG${signal}`);
    const wait = signal === 'KILL' ? AFTER_KILL_MS : AFTER_SIGNAL_MS;
    const gone = await this.#sig.waitGone(key, wait, t0);
    return gone === null
      ? this.#outcome(id, action, 'running', null, `sent SIG${signal}; still running after ${wait} ms`)
      : this.#outcome(id, action, 'gone', gone, `sent SIG${signal}; gone after ${gone} ms`);
  }

  /** End the process and all its descendants; see tree-end.ts for the order. */
  endTree(key: string, timeoutMs: number = PROCESS_LIMITS.endTimeoutMs.default): Promise<TreeOutcome> {
    return endTree(this.#sig, this.#root, key, timeoutMs);
  }

  /** Set the nice value of every thread (setpriority on Linux acts on one thread only). */
  async renice(key: string, nice: number): Promise<ControlOutcome> {
    const action = `renice ${nice}`;
    this.#sig.guard(parseKey(key).pid);
    const id = this.#ids.verify(key);
    let tids: number[];
    try {
      tids = readdirSync(`${this.#root}/${id.pid}/task`).map(Number);
    } catch {
      tids = [id.pid];
    }
    let done = 0;
    for (const tid of tids) {
      try {
        setPriority(tid, nice);
        done++;
      } catch (err) {
        const code = (err as { info?: { code?: string } }).info?.code;
        // A thread that ended meanwhile is fine; the process itself is checked below.
        if (code === 'ESRCH' && tid !== id.pid) continue;
        throw errnoToError(err, id, this.#ids.owner(id.pid));
      }
    }
    return this.#outcome(
      id,
      action,
      'done',
      null,
      `nice set to ${nice} on ${done} thread${done === 1 ? '' : 's'}`,
    );
  }

  /** Who `key` names now, for the audit log: its name only while the PID still names that process. */
  targetOf(key: string): ProcTarget {
    return this.#ids.targetOf(key);
  }

  /** Details of one process (read only). */
  details(key: string): ProcDetails {
    return readDetails(this.#ids, this.#root, key);
  }

  /** How many processes the tree rooted at `key` holds, root included. */
  treeSize(key: string): { total: number } {
    const root = this.#ids.verify(key);
    return {
      total: 1 + descendants(readChildren(this.#ids, this.#root), root, PROCESS_LIMITS.treeMax).length,
    };
  }

  #outcome(
    id: ProcIdentity,
    action: string,
    result: ControlOutcome['result'],
    goneAfterMs: number | null,
    message: string,
  ): ControlOutcome {
    return { target: this.#ids.target(id), action, result, goneAfterMs, message };
  }
}
