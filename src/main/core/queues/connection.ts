/**
 * One Redis server watched by the dashboard: one ioredis client, its state pushed as it
 * changes (connecting → up → down(error) → reconnecting(backoff) → up …, closed at the end).
 * Commands never queue while the link is down (enableOfflineQueue off): a poll or a control
 * fails at once with ECONNECTION_DOWN instead of piling up behind a dead socket.
 */
import { Redis } from 'ioredis';
import type { ConnectionState, QueueConnection } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { classify, type CodedError } from './classify';
import { publicUrl, redisOptions, scrub, type ConnectionSettings } from './redis-url';

/** How long `queues.connect` waits for a first answer (the "codes within 2 s"). */
export const FIRST_CONNECT_MS = 2000;
/** How long one command may take before the link counts the server as not answering. */
export const COMMAND_TIMEOUT_MS = 3000;
/** Backoff between reconnect attempts: 200 ms doubling to 5 s. */
export const backoffMs = (attempt: number): number => Math.min(200 * 2 ** Math.max(0, attempt - 1), 5000);

export interface LinkOptions {
  id: string;
  settings: ConnectionSettings;
  saved: boolean;
  managedId?: string | null;
  /** Called on every state change (the engine pushes a 'change' event). */
  onChange(): void;
}

export class RedisLink {
  readonly id: string;
  readonly settings: ConnectionSettings;
  readonly client: Redis;
  saved: boolean;
  managedId: string | null;
  /** Queues found but not watched (past the per-connection bound); set by discovery. */
  omitted = 0;
  redisVersion: string | null = null;
  #state: ConnectionState = 'connecting';
  #error: CodedError | null = null;
  #attempt = 0;
  #retryInMs: number | null = null;
  #since = Date.now();
  /** A socket reached the server in the current attempt (tells "not Redis" from "unreachable"). */
  #socketUp = false;
  /** Redis answered in the current attempt (the link reached 'ready'). */
  #answered = false;
  readonly #onChange: () => void;
  readonly #upListeners = new Set<() => void>();

  constructor(o: LinkOptions) {
    this.id = o.id;
    this.settings = o.settings;
    this.saved = o.saved;
    this.managedId = o.managedId ?? null;
    this.#onChange = o.onChange;
    this.client = new Redis({
      ...redisOptions(o.settings),
      lazyConnect: true,
      // Longer than our own first-answer deadline, so that deadline (and its code) decides first.
      connectTimeout: FIRST_CONNECT_MS + 1000,
      // A server that stops answering (stopped, swapped out) fails a poll after this long.
      commandTimeout: COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectionName: 'spindle',
      retryStrategy: (times) => backoffMs(times),
    });
    const c = this.client;
    c.on('connect', () => (this.#socketUp = true));
    c.on('ready', () => {
      this.#answered = true;
      this.#attempt = 0;
      this.#retryInMs = null;
      this.#error = null;
      this.#set('up');
      for (const l of this.#upListeners) l();
      void this.#readVersion();
    });
    c.on('error', (err: unknown) => {
      this.#error = this.#coded(err);
      if (this.#state === 'up') this.#set('down');
      else this.#onChange();
    });
    c.on('close', () => {
      this.#socketUp = false;
      this.#answered = false;
      if (this.#state === 'closed') return;
      this.#error ??= { code: 'EREDIS_UNREACHABLE', message: 'the connection was closed' };
      this.#set('down');
    });
    c.on('reconnecting', (delay: number) => {
      this.#attempt++;
      this.#retryInMs = delay;
      this.#set('reconnecting');
    });
    c.on('end', () => this.#set('closed'));
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get up(): boolean {
    return this.#state === 'up';
  }

  get error(): CodedError | null {
    return this.#error;
  }

  /** Start connecting (and reconnecting by itself for ever, until `close`). */
  start(): void {
    this.client.connect().catch(() => {
      // Reported through the 'error'/'close' events; ioredis keeps retrying.
    });
  }

  /**
   * Start and wait for the first answer: resolves when up, else throws the coded error
   * (within FIRST_CONNECT_MS; a socket that opened but never answered like Redis is
   * EREDIS_NOT_REDIS). The link keeps retrying after a failure; the caller closes it.
   */
  async firstConnect(timeoutMs = FIRST_CONNECT_MS): Promise<void> {
    const up = new Promise<void>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const done = (err?: CodedError): void => {
        timers.forEach(clearTimeout);
        this.#upListeners.delete(onUp);
        this.client.off('error', onError);
        if (err) reject(new SpindleError(err.code, err.message));
        else resolve();
      };
      const onUp = (): void => done();
      const onError = (e: unknown): void => done(this.#coded(e));
      const timer = setTimeout(() => {
        const where = `${this.settings.host}:${this.settings.port}`;
        // ioredis says 'connect' only after the TLS handshake: a TCP socket that is open
        // while 'connect' never came means the handshake stalled (e.g. a plain Redis port).
        const stream = (this.client as unknown as { stream?: { connecting?: boolean; destroyed?: boolean } })
          .stream;
        const tcpOnly =
          this.settings.tls && !this.#socketUp && stream?.connecting === false && !stream.destroyed;
        done(
          tcpOnly
            ? {
                code: 'EREDIS_TLS',
                message: `TLS handshake with ${where} did not complete (not a TLS port?)`,
              }
            : this.#socketUp
              ? {
                  code: 'EREDIS_NOT_REDIS',
                  message: `${where} accepted the connection but gave no Redis answer`,
                }
              : { code: 'EREDIS_UNREACHABLE', message: `no connection to ${where} within ${timeoutMs} ms` },
        );
      }, timeoutMs);
      timers.push(timer);
      this.#upListeners.add(onUp);
      this.client.on('error', onError);
    });
    this.start();
    await up;
  }

  /** Run something that needs the link up; ECONNECTION_DOWN otherwise (errors coded, password scrubbed). */
  async use<T>(fn: (c: Redis) => Promise<T>): Promise<T> {
    if (!this.up) {
      const why = this.#error ? `: ${this.#error.message}` : '';
      throw new SpindleError('ECONNECTION_DOWN', `${this.settings.name} is ${this.#state}${why}`);
    }
    try {
      return await fn(this.client);
    } catch (e) {
      if (e instanceof SpindleError) throw e;
      const coded = this.#coded(e);
      throw new SpindleError(coded.code, coded.message);
    }
  }

  /**
   * The server stopped answering on an open socket (a command timed out): drop the socket and
   * reconnect, so the state says down with the reason instead of "up" over a dead server.
   */
  notAnswering(): void {
    if (this.#state !== 'up') return;
    this.#error = {
      code: 'EREDIS_UNREACHABLE',
      message: `${this.settings.host}:${this.settings.port} stopped answering (no reply within ${COMMAND_TIMEOUT_MS} ms)`,
    };
    this.client.disconnect(true);
  }

  /** Close for good (no more reconnects). */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#set('closed');
    this.client.disconnect(false);
  }

  /** The public view: never the password. */
  info(): QueueConnection {
    const s = this.settings;
    return {
      id: this.id,
      name: s.name,
      url: publicUrl(s),
      tls: s.tls,
      host: s.host,
      port: s.port,
      db: s.db,
      prefix: s.prefix,
      username: s.username,
      hasPassword: s.password !== null,
      state: this.#state,
      error: this.#state === 'up' ? null : this.#error,
      attempt: this.#attempt,
      retryInMs: this.#state === 'reconnecting' ? this.#retryInMs : null,
      since: this.#since,
      saved: this.saved,
      managedId: this.managedId,
      omitted: this.omitted,
      redisVersion: this.redisVersion,
    };
  }

  #coded(err: unknown): CodedError {
    const c = classify(err, { tls: this.settings.tls, connected: this.#socketUp, answered: this.#answered });
    return { code: c.code, message: scrub(c.message, this.settings) };
  }

  #set(state: ConnectionState): void {
    if (state === this.#state && state !== 'reconnecting') return;
    if (state !== this.#state) this.#since = Date.now();
    this.#state = state;
    this.#onChange();
  }

  async #readVersion(): Promise<void> {
    try {
      const text = await this.client.info('server');
      this.redisVersion = /redis_version:([^\r\n]+)/.exec(text)?.[1] ?? null;
      this.#onChange();
    } catch {
      // The version is decoration; a failure here shows as a connection error elsewhere.
    }
  }
}
