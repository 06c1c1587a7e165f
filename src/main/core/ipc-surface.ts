/**
 * Node's IPC surface on a child (`process.send`, `process.on('message')`, `connected`,
 * `disconnect()` and the `disconnect` event) over some other transport, so an entry written
 * against Node's channel runs unchanged whoever started it: Electron's `parentPort`
 * (parent-port.ts) or a Unix socket to Spindle (socket-channel.ts).
 */

/** The transport under the surface. */
export interface IpcTransport {
  /** Hand one message over; `done` runs once it is handed over (as Node's callback does). */
  write(message: unknown, done?: (err: Error | null) => void): boolean;
  /** Release the transport once the channel closes (it is closed once only). */
  end(): void;
  /** Start delivering incoming messages; called once, after the first listener is attached. */
  start(): void;
}

/** The channel as its transport sees it: whether it is open, and closing it from that side. */
export interface IpcSurface {
  connected(): boolean;
  close(): void;
}

/**
 * Give `proc` Node's IPC surface over `transport`. Incoming messages are held (the transport
 * is not started) until one of `startOn`'s events gets a listener, as Node's channel holds
 * them until the first `message` listener, so no message reaches nobody.
 */
export function giveIpcSurface(
  proc: NodeJS.Process,
  transport: IpcTransport,
  startOn: readonly string[] = ['message'],
): IpcSurface {
  let connected = true;
  const close = (): void => {
    if (!connected) return;
    connected = false;
    transport.end();
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
    return transport.write(message, done);
  };
  let listening = false;
  proc.on('newListener', (event: string | symbol) => {
    if (listening || typeof event !== 'string' || !startOn.includes(event)) return;
    listening = true;
    // newListener runs before the listener is attached: start once it is, or a transport
    // that flushes its queue at once would deliver the first messages to nobody.
    queueMicrotask(() => transport.start());
  });
  return { connected: () => connected, close };
}
