/**
 * Core's child launcher under Electron: each entry runs in a `utilityProcess` (a Node
 * environment Electron starts itself), because a packaged build has the RunAsNode fuse off
 * and `ELECTRON_RUN_AS_NODE` no longer turns the Electron binary into Node.
 *
 * Differences from a Node child that this handle absorbs (the child's half is core/parent-port.ts):
 * - Messages use structured clone over `postMessage` / `process.parentPort`, not JSON over a pipe;
 *   the protocols carry plain data, which both encode the same.
 * - There is no IPC channel to close: `disconnect()` posts {@link PARENT_DISCONNECT}, which the
 *   child turns into Node's `disconnect` event (the helper and the pool workers end on it).
 * - `kill()` only sends SIGTERM; other signals go to the pid, and only while it has not exited.
 * - `exit` reports the status Electron read from waitpid and never a signal name.
 * - stdin is always closed and stdout/stderr are inherited, as the Node launcher does; no pipes.
 * - `pid` is undefined until the process has started (the `spawn` event).
 * - `utilityProcess.fork` works only after the app's `ready`; core starts children lazily after it.
 */
import { EventEmitter } from 'node:events';
import { utilityProcess, type UtilityProcess } from 'electron';
import { entryPath, type ChildHandle, type ChildLauncher, type EntryName } from '../core/launcher';
import { PARENT_DISCONNECT } from '../core/parent-port';

class UtilityChild extends EventEmitter implements ChildHandle {
  readonly #proc: UtilityProcess;
  #connected = true;
  #exited = false;

  constructor(proc: UtilityProcess, name: EntryName) {
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

const definedEnv = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));

/** The launcher the Electron adapter hands to core (see `useChildLauncher`). */
export const utilityLauncher: ChildLauncher = {
  fork: (name, args = [], options = {}) =>
    new UtilityChild(
      utilityProcess.fork(entryPath(name), [...args], {
        env: definedEnv(options.env ?? process.env),
        stdio: 'inherit',
        serviceName: `Spindle ${name}`,
      }),
      name,
    ),
};
