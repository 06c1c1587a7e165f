/**
 * One WebSocket to another Spindle server, opened by this server (never by a window), with
 * its credential as `Authorization: Bearer`. It reconnects by itself with a capped backoff;
 * requests made while it is down fail at once with EHOST_DOWN instead of waiting, and every
 * request has a deadline, so a remote that stops answering holds nothing here for long.
 */
import tls from 'node:tls';
import WebSocket from 'ws';
import { fail, type Result } from '../../../shared/result';
import { HOSTS_LIMITS, type HostState } from '../../../shared/contract/hosts';

/** The subprotocol every Spindle server selects. */
const WS_PROTOCOL = 'spindle.v1';
/** Requests of one link waiting for their answers; past it a request fails with EBUSY. */
const MAX_PENDING = 256;
/** A connection attempt that has not opened within this is given up (and retried). */
const OPEN_TIMEOUT_MS = 5_000;

export interface LinkError {
  code: string;
  message: string;
}

export interface RemoteLinkOptions {
  /** Base URL of the remote, http(s)://host:port */
  url: string;
  token: string;
  /** PEM certificates trusted for this remote besides the system's CAs (a self-signed host). */
  certificate?: string;
  onEvent(event: string, payload: unknown): void;
  onState(state: HostState, error: LinkError | null): void;
  /** Called on every (re)open before the state turns `up`, e.g. to subscribe again. */
  onOpen?(link: RemoteLink): Promise<void> | void;
  backoffMs?: { min: number; max: number };
}

/** The ws(s):// address of a remote's /ws for its http(s):// base URL. */
export function wsUrlOf(base: string): string {
  const u = new URL(base);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = '/ws';
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** A connection failure as a code and a sentence the Hosts view shows. */
export function linkErrorOf(err: unknown, status?: number): LinkError {
  if (status === 401) return { code: 'EHOST_AUTH', message: 'the remote refused the credential (401)' };
  if (status !== undefined) return { code: 'EHOST_REFUSED', message: `the remote answered HTTP ${status}` };
  const e = err as NodeJS.ErrnoException | undefined;
  const code = e?.code ?? '';
  if (code === 'ECONNREFUSED') return { code: 'EHOST_UNREACHABLE', message: 'connection refused' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { code: 'EHOST_UNREACHABLE', message: `no such host (${code})` };
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { code: 'EHOST_UNREACHABLE', message: `unreachable (${code})` };
  if (/CERT|SSL|TLS|self.signed/i.test(`${code} ${e?.message ?? ''}`)) {
    const untrusted = /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/.test(code);
    return {
      code: 'EHOST_TLS',
      message: `TLS failure: ${e?.message ?? code}${untrusted ? ' (a self-signed host: add it again with its certificate to trust it)' : ''}`,
    };
  }
  return { code: 'EHOST_DOWN', message: e?.message ?? String(err) };
}

export class RemoteLink {
  readonly #opts: RemoteLinkOptions;
  #ws: WebSocket | null = null;
  #state: HostState = 'connecting';
  #error: LinkError | null = null;
  #closed = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | null = null;
  #nextId = 1;
  readonly #settled: Promise<void>;
  #settle: () => void = () => {};
  readonly #pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: NodeJS.Timeout }>();

  constructor(opts: RemoteLinkOptions) {
    this.#opts = opts;
    this.#settled = new Promise((resolve) => (this.#settle = resolve));
    this.#connect();
  }

  get state(): HostState {
    return this.#state;
  }

  get error(): LinkError | null {
    return this.#error;
  }

  /** Resolves once the first attempt has opened or failed (or the link was closed). */
  settled(): Promise<void> {
    return this.#settled;
  }

  /** Send one request; the answer is the remote's result, or a coded failure. Never throws. */
  request(
    method: string,
    params?: unknown,
    timeoutMs: number = HOSTS_LIMITS.requestTimeoutMs,
  ): Promise<Result<unknown>> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.#closed) {
      const why = this.#error ? `: ${this.#error.message}` : '';
      return Promise.resolve(fail('EHOST_DOWN', `the host is not connected${why}`));
    }
    if (this.#pending.size >= MAX_PENDING) {
      return Promise.resolve(fail('EBUSY', `more than ${MAX_PENDING} requests waiting for the host`));
    }
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(fail('EHOST_TIMEOUT', `${method}: no answer from the host within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, timer });
      ws.send(JSON.stringify({ id, method, ...(params === undefined ? {} : { params }) }));
    });
  }

  /** Close for good: no reconnect; waiting requests fail with EHOST_DOWN. */
  close(): void {
    this.#closed = true;
    this.#settle();
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#ws?.terminate();
    this.#ws = null;
    this.#failPending('the link was closed');
  }

  #setState(state: HostState, error: LinkError | null): void {
    if (state === 'up' || state === 'down') this.#settle();
    this.#state = state;
    this.#error = error;
    if (!this.#closed) this.#opts.onState(state, error);
  }

  #failPending(why: string): void {
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.resolve(fail('EHOST_DOWN', `the host went away before answering (${why})`));
    }
  }

  #connect(): void {
    if (this.#closed) return;
    let status: number | undefined;
    let failure: unknown = null;
    const ws = new WebSocket(wsUrlOf(this.#opts.url), WS_PROTOCOL, {
      headers: { Authorization: `Bearer ${this.#opts.token}` },
      // Verified in the handshake, before the credential is sent: the chain must end at one of
      // these (or a system CA) and the name must match, as for any https host.
      ...(this.#opts.certificate ? { ca: [...tls.rootCertificates, this.#opts.certificate] } : {}),
      handshakeTimeout: OPEN_TIMEOUT_MS,
      maxPayload: 64 * 1024 * 1024,
      perMessageDeflate: false,
    });
    this.#ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      status = res.statusCode;
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => (failure = err));
    ws.on('open', () => {
      this.#attempt = 0;
      void (async () => {
        try {
          await this.#opts.onOpen?.(this);
        } catch (err) {
          // A failed re-subscribe leaves the link up; the next tick shows what is missing.
          console.error('spindle: host link on-open failed', err);
        }
        if (ws.readyState === WebSocket.OPEN) this.#setState('up', null);
      })();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: { id?: unknown; event?: unknown; payload?: unknown; ok?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return; // Not ours to crash on: a remote sending garbage is shown by its missing ticks.
      }
      if (typeof msg.event === 'string') return this.#opts.onEvent(msg.event, msg.payload);
      if (typeof msg.id !== 'number') return;
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      clearTimeout(p.timer);
      const { id: _id, ...result } = msg;
      p.resolve(result as Result<unknown>);
    });
    ws.on('close', () => {
      if (this.#ws === ws) this.#ws = null;
      this.#failPending('connection closed');
      if (this.#closed) return;
      const error =
        status !== undefined || failure
          ? linkErrorOf(failure, status)
          : { code: 'EHOST_DOWN', message: 'the connection closed' };
      const { min, max } = this.#opts.backoffMs ?? { min: 500, max: 10_000 };
      const delay = Math.min(max, min * 2 ** Math.min(this.#attempt++, 10));
      this.#setState('down', error);
      this.#retry = setTimeout(() => {
        this.#retry = null;
        this.#setState('reconnecting', error);
        this.#connect();
      }, delay);
    });
  }
}
