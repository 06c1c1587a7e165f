/**
 * The child's side of a launch under Electron's `utilityProcess`: there is no Node IPC channel
 * (`process.send` is undefined) but a `process.parentPort` that delivers `{ data }` events. This
 * gives such a child the Node shape the entries are written against (`process.send`,
 * `process.on('message')`, `process.connected`, the `disconnect` event), so an entry runs
 * unchanged under either launcher. No `electron` import: the port is described structurally.
 */

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
  let connected = true;
  const close = (): void => {
    if (!connected) return;
    connected = false;
    proc.emit('disconnect');
  };
  Object.defineProperty(proc, 'connected', { get: () => connected, configurable: true });
  proc.disconnect = close;
  proc.send = (message: unknown, ...rest: unknown[]): boolean => {
    const done = rest.find((r): r is (err: Error | null) => void => typeof r === 'function');
    if (!connected) {
      if (done) setImmediate(() => done(new Error('Channel closed')));
      return false;
    }
    port.postMessage(message);
    // postMessage has no completion signal; the callback runs once the message is handed over.
    if (done) setImmediate(() => done(null));
    return true;
  };
  let listening = false;
  proc.on('newListener', (event: string | symbol) => {
    if (listening || (event !== 'message' && event !== 'disconnect')) return;
    listening = true;
    // newListener runs before the listener is attached: start the port once it is, or a port
    // that flushes its queue at once would deliver the first messages to nobody.
    queueMicrotask(() =>
      port.on('message', ({ data }) => {
        if (isDisconnect(data)) close();
        else if (connected) proc.emit('message', data, undefined);
      }),
    );
  });
  return true;
}
