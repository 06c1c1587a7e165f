/**
 * Spindle's side of socket-channel.ts: a child started by someone else (the supervisor helper)
 * that Spindle talks to directly over a Unix socket, with the same surface as a child it forked
 * ({@link ChildHandle}). The exit status comes from whoever started it (`exited`); `close`
 * follows once both the exit is known and every message the child sent has been read.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildHandle } from './launcher';
import { starttimeOf } from './proc-tree/proc-table';
import { CHANNEL_ENV, lineReader } from './socket-channel';

/** How long a child has to connect once it is known to run. */
const CONNECT_MS = 20_000;
/** After the socket closed with no exit status (its starter died), how long to wait for one. */
const ORPHAN_EXIT_MS = 1_000;

/** One child reached through the socket. */
export class SocketChild extends EventEmitter implements ChildHandle {
  pid: number | undefined;
  #starttime: number | null = null;
  #sock: Socket | null = null;
  /** Lines posted before the child connected, sent in order once it does. */
  #queue: string[] = [];
  #open = true;
  #exit: [number | null, NodeJS.Signals | null] | null = null;
  #sockClosed = false;
  #closeSent = false;
  #pendingKill: NodeJS.Signals | null = null;
  #timer: NodeJS.Timeout | null = null;

  get connected(): boolean {
    return this.#open;
  }

  send(message: unknown): boolean {
    if (!this.#open) return false;
    const line = JSON.stringify(message) + '\n';
    if (this.#sock) return this.#sock.write(line);
    this.#queue.push(line);
    return true;
  }

  disconnect(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#sock?.end();
  }

  /** Signal it (by pid and start time, so a reused pid is never hit); before it is known, once it is. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.#exit) return false;
    if (this.pid === undefined || this.#starttime === null) {
      this.#pendingKill = signal;
      return true;
    }
    if (starttimeOf(this.pid) !== this.#starttime) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** The starter reports the child running. */
  started(pid: number, starttime: number | null): void {
    this.pid = pid;
    this.#starttime = starttime;
    this.#timer = setTimeout(() => {
      if (!this.#sock) this.kill('SIGKILL');
    }, CONNECT_MS);
    this.#timer.unref();
    if (this.#pendingKill) this.kill(this.#pendingKill);
  }

  /** The starter reports the child gone (or that it could not start: `err`). */
  exited(code: number | null, signal: NodeJS.Signals | null, err?: Error): void {
    if (this.#exit) return;
    this.#exit = [code, signal];
    if (this.#timer) clearTimeout(this.#timer);
    if (err) this.emit('error', err);
    this.emit('exit', code, signal);
    // A child that never connected has nothing left to deliver.
    if (!this.#sock) this.#sockClosed = true;
    this.#maybeClose();
  }

  /** The child connected and said its token. */
  attach(sock: Socket, rest: string): void {
    this.#sock = sock;
    const read = lineReader((m) => this.emit('message', m));
    if (rest) read(rest);
    sock.on('data', read);
    for (const line of this.#queue) sock.write(line);
    this.#queue = [];
    if (!this.#open) sock.end();
    sock.on('error', () => {});
    sock.on('close', () => {
      this.#open = false;
      this.#sockClosed = true;
      if (!this.#exit) {
        // Its starter may be gone and never report: then call it ended once the process is.
        const t = setTimeout(() => this.#exit || this.exited(null, null), ORPHAN_EXIT_MS);
        t.unref();
      }
      this.#maybeClose();
    });
  }

  #maybeClose(): void {
    if (this.#closeSent || !this.#exit || !this.#sockClosed) return;
    this.#closeSent = true;
    this.#open = false;
    this.emit('close', ...this.#exit);
  }
}

/** Where children connect: one listening socket in a private folder, and the children expected. */
export class ChannelServer {
  readonly #expected = new Map<string, SocketChild>();
  #server: Server | null = null;
  #dir: string | null = null;
  #path: string | null = null;

  /** Expect one child; returns it and the environment that leads it here. */
  expect(): { child: SocketChild; env: Record<string, string> } {
    const path = this.#listen();
    const token = randomBytes(16).toString('hex');
    const child = new SocketChild();
    this.#expected.set(token, child);
    const forget = (): void => void this.#expected.delete(token);
    child.once('exit', forget);
    return { child, env: { [CHANNEL_ENV.path]: path, [CHANNEL_ENV.token]: token } };
  }

  #listen(): string {
    if (this.#path) return this.#path;
    // A folder only this user can enter: no other user can connect to the socket in it.
    this.#dir = mkdtempSync(join(tmpdir(), 'spindle-ch-'));
    this.#path = join(this.#dir, 's');
    this.#server = createServer((sock) => this.#accept(sock));
    this.#server.on('error', (err) => console.error('spindle: child channel socket failed', err));
    this.#server.listen(this.#path);
    this.#server.unref();
    return this.#path;
  }

  /** The first line is the token; anything else is refused. */
  #accept(sock: Socket): void {
    sock.setEncoding('utf8');
    let head = '';
    const onData = (d: string): void => {
      head += d;
      const nl = head.indexOf('\n');
      if (nl < 0) {
        if (head.length > 64) sock.destroy();
        return;
      }
      sock.off('data', onData);
      const child = this.#expected.get(head.slice(0, nl));
      if (!child) return void sock.destroy();
      this.#expected.delete(head.slice(0, nl));
      child.attach(sock, head.slice(nl + 1));
    };
    sock.on('data', onData);
    sock.on('error', () => sock.destroy());
  }

  /** Stop listening and remove the folder (children already connected keep their sockets). */
  close(): void {
    this.#server?.close();
    this.#server = null;
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = null;
    this.#path = null;
  }
}
