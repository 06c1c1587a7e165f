/**
 * A utility process seen as core's {@link ChildHandle}; see utility-launcher.ts for the
 * differences from a Node child that it absorbs. Takes the process structurally, so a test
 * can drive it under Node (the `electron` module itself only loads inside Electron).
 */
import { EventEmitter } from 'node:events';
import type { ChildHandle } from '../core/launcher';
import { PARENT_DISCONNECT } from '../core/parent-port';

/** The part of Electron's `UtilityProcess` the handle uses. */
export interface UtilityLike {
  readonly pid: number | undefined;
  kill(): boolean;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
}

/** Core's child handle over a utility process. */
export class UtilityChild extends EventEmitter implements ChildHandle {
  readonly #proc: UtilityLike;
  #connected = true;
  #exited = false;

  constructor(proc: UtilityLike, name: string) {
    super();
    this.#proc = proc;
    proc.on('message', (m: unknown) => this.emit('message', m));
    proc.on('error', (type, location) => {
      const err = new Error(`${name}: ${type} at ${location}`);
      if (this.listenerCount('error') > 0) this.emit('error', err);
      else console.error('spindle:', err.message);
    });
    proc.on('exit', (code) => {
      this.#exited = true;
      this.#connected = false;
      this.emit('exit', code, null);
      // Messages arrive on the same channel before the exit, so nothing is left unread.
      this.emit('close', code, null);
    });
  }

  get pid(): number | undefined {
    return this.#proc.pid;
  }

  get connected(): boolean {
    return this.#connected;
  }

  send(message: unknown): boolean {
    if (!this.#connected) return false;
    this.#proc.postMessage(message);
    return true;
  }

  disconnect(): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#proc.postMessage(PARENT_DISCONNECT);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    const pid = this.#proc.pid;
    if (this.#exited) return false;
    if (signal === 'SIGTERM' || pid === undefined) return this.#proc.kill();
    try {
      // No exit seen yet: the pid is this child's, short of the hop between Electron reaping it
      // and the exit event reaching us (the SIGKILL escalation runs 500 ms after a SIGTERM).
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
