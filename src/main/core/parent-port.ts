/**
 * The child's side of a launch under Electron's `utilityProcess`: there is no Node IPC channel
 * (`process.send` is undefined) but a `process.parentPort` that delivers `{ data }` events. This
 * gives such a child the Node shape the entries are written against (`process.send`,
 * `process.on('message')`, `process.connected`, the `disconnect` event), so an entry runs
 * unchanged under either launcher. No `electron` import: the port is described structurally.
 */
import { giveIpcSurface } from './ipc-surface';

/** What the parent posts to say "the channel is closed" (Node's `disconnect()`); never a protocol message. */
export const PARENT_DISCONNECT = { spindleChannel: 'disconnect' } as const;

/** The part of Electron's `ParentPort` used here. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

const isDisconnect = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && (m as { spindleChannel?: unknown }).spindleChannel === 'disconnect';

/**
 * Give `proc` Node's IPC surface on top of `port`. Does nothing (false) for a Node child, which
 * already has `process.send`, or when there is no port. The port queues messages until the
 * first `message` (or `disconnect`) listener is added to `proc`, as Node's channel does.
 */
export function adoptParentPort(proc: NodeJS.Process, port: ParentPortLike | undefined): boolean {
  if (!port || proc.send) return false;
  const channel = giveIpcSurface(
    proc,
    {
      write: (message, done) => {
        port.postMessage(message);
        // postMessage has no completion signal; the callback runs once the message is handed over.
        if (done) setImmediate(() => done(null));
        return true;
      },
      end: () => {},
      start: () =>
        port.on('message', ({ data }) => {
          if (isDisconnect(data)) channel.close();
          else if (channel.connected()) proc.emit('message', data, undefined);
        }),
    },
    ['message', 'disconnect'],
  );
  return true;
}
