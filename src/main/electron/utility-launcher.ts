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
import { utilityProcess } from 'electron';
import { entryPath, type ChildLauncher } from '../core/launcher';
import { UtilityChild } from './utility-child';

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
