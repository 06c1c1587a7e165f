/**
 * A child's channel to Spindle over a Unix socket, for children that Spindle does not start
 * itself (pool worker processes are started by the supervisor helper, so fork's cost stays off
 * the main loop; see socket-child.ts for Spindle's side). Spindle listens on a socket in a
 * private (0700) folder; the child connects, says the one-time token it was given, then both
 * sides exchange newline-delimited JSON, as Node's own IPC channel does. This gives the child
 * Node's IPC surface (`process.send`, `process.on('message')`, `connected`, `disconnect`), so an
 * entry runs unchanged whoever started it.
 */
import { connect, type Socket } from 'node:net';
import { giveIpcSurface } from './ipc-surface';

/** The variables that tell a child where its channel is; removed once read, so its own children do not inherit them. */
export const CHANNEL_ENV = { path: 'SPINDLE_CHANNEL', token: 'SPINDLE_CHANNEL_TOKEN' } as const;

/** Split a stream of newline-delimited JSON into messages. */
export function lineReader(onMessage: (m: unknown) => void): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const p of parts) if (p) onMessage(JSON.parse(p));
  };
}

/**
 * Give `proc` Node's IPC surface over the socket named in its environment. Does nothing (false)
 * for a child that already has `process.send` or was given no socket.
 */
export function adoptSocketChannel(proc: NodeJS.Process, env: NodeJS.ProcessEnv = proc.env): boolean {
  const path = env[CHANNEL_ENV.path];
  const token = env[CHANNEL_ENV.token];
  delete env[CHANNEL_ENV.path];
  delete env[CHANNEL_ENV.token];
  if (proc.send || !path || !token) return false;
  const sock: Socket = connect(path);
  sock.setEncoding('utf8');
  sock.write(`${token}\n`);
  // Nothing is read until the entry listens, so no message reaches nobody.
  sock.pause();
  const read = lineReader((m) => channel.connected() && proc.emit('message', m, undefined));
  const channel = giveIpcSurface(proc, {
    // The callback runs once the bytes are handed to the kernel, as with Node's channel.
    write: (message, done) =>
      sock.write(JSON.stringify(message) + '\n', done && ((err) => done(err ?? null))),
    end: () => sock.destroy(),
    start: () => sock.on('data', read).resume(),
  });
  const close = channel.close;
  sock.on('end', close);
  sock.on('close', close);
  sock.on('error', close);
  return true;
}
