/** The contract over a WebSocket (web mode), with reconnect and a visible connection state. */
import type {
  EventMeta,
  EventName,
  Events,
  Method,
  ParamsOf,
  RequestOpts,
  ResultOf,
  SpindleApi,
} from '../../../shared/contract';
import type { ErrorValue, Result } from '../../../shared/result';
import { authHeader, wsProtocols } from './credential';

import type { ConnectionState } from './client-types';
export type { ConnectionState } from './client-types';

interface Pending {
  resolve: (r: Result<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

const REQUEST_TIMEOUT_MS = 30_000;

export class WsClient implements SpindleApi {
  state: ConnectionState = 'connecting';
  #ws: WebSocket | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(p: unknown, meta: EventMeta) => void>>();
  readonly #stateListeners = new Set<(s: ConnectionState) => void>();
  readonly #reopenListeners = new Set<() => void>();
  #retryMs = 500;
  /** Events the server has dropped for this socket so far (it counts them on each event it sends). */
  #dropped = 0;
  #everOpened = false;
  #session: string | null = null;

  /** `session` resolves to the tab's credential, or null when it has none (refused at once). */
  constructor(
    private readonly url: string,
    session: Promise<string | null>,
  ) {
    void session.then((s) => {
      this.#session = s;
      if (s === null) this.#setState('token-refused');
      else this.#open();
    });
  }

  onState(l: (s: ConnectionState) => void): () => void {
    this.#stateListeners.add(l);
    return () => void this.#stateListeners.delete(l);
  }

  /** Called after a reconnect, so subscribers can subscribe again. */
  onReconnect(l: () => void): () => void {
    this.#reopenListeners.add(l);
    return () => void this.#reopenListeners.delete(l);
  }

  #setState(s: ConnectionState): void {
    this.state = s;
    for (const l of this.#stateListeners) l(s);
  }

  #open(): void {
    const ws = new WebSocket(this.url, wsProtocols(this.#session ?? ''));
    this.#ws = ws;
    ws.onopen = () => {
      this.#retryMs = 500;
      this.#dropped = 0;
      const again = this.#everOpened;
      this.#everOpened = true;
      this.#setState('connected');
      if (again) for (const l of this.#reopenListeners) l();
    };
    ws.onmessage = (ev) => {
      let msg: {
        id?: number | null;
        event?: string;
        payload?: unknown;
        host?: string;
        ok?: boolean;
        value?: unknown;
        dropped?: number;
        error?: ErrorValue;
      };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        // The server dropped events for this (slow) client: a stream of deltas has a hole, so
        // this one may not apply. Subscribers subscribe again, as after a reconnect, and get
        // whole state (the history shows the gap) instead of silently losing what was dropped.
        if (typeof msg.dropped === 'number' && msg.dropped > this.#dropped) {
          this.#dropped = msg.dropped;
          for (const l of this.#reopenListeners) l();
          return;
        }
        const meta: EventMeta = typeof msg.host === 'string' ? { host: msg.host } : {};
        for (const l of this.#listeners.get(msg.event) ?? []) l(msg.payload, meta);
        return;
      }
      if (typeof msg.id === 'number') {
        const p = this.#pending.get(msg.id);
        if (!p) return;
        this.#pending.delete(msg.id);
        clearTimeout(p.timer);
        p.resolve(
          msg.ok
            ? { ok: true, value: msg.value }
            : { ok: false, error: msg.error ?? { code: 'EBAD_MESSAGE', message: 'malformed reply' } },
        );
      }
    };
    ws.onclose = () => {
      this.#ws = null;
      for (const [id, p] of this.#pending) {
        clearTimeout(p.timer);
        p.resolve({ ok: false, error: { code: 'EDISCONNECTED', message: 'connection lost' } });
        this.#pending.delete(id);
      }
      void this.#retry();
    };
  }

  async #retry(): Promise<void> {
    // A refused upgrade looks like any close to a browser; ask the server why.
    try {
      const res = await fetch('/api/ping', { headers: authHeader(this.#session ?? ''), credentials: 'omit' });
      if (res.status === 401) {
        this.#setState('token-refused');
        return;
      }
    } catch {
      // Server away: keep retrying.
    }
    this.#setState('reconnecting');
    setTimeout(() => this.#open(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, 5000);
  }

  /** Resolves when the socket is open, or false after `ms`. */
  #opened(ms: number): Promise<boolean> {
    if (this.#ws?.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, ms);
      const off = this.onState((s) => {
        if (s !== 'connected') return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  async request<M extends Method>(
    method: M,
    params?: ParamsOf<M>,
    opts?: RequestOpts,
  ): Promise<Result<ResultOf<M>>> {
    // Requests made while (re)connecting wait a little for the socket instead of failing.
    if (this.state === 'token-refused' || !(await this.#opened(5000)) || !this.#ws) {
      return { ok: false, error: { code: 'EDISCONNECTED', message: 'not connected to Spindle' } };
    }
    const ws = this.#ws;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, error: { code: 'ETIMEDOUT', message: `${method} timed out` } });
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer });
      ws.send(JSON.stringify({ id, method, params, ...(opts?.host ? { host: opts.host } : {}) }));
    });
  }

  /** A short-lived, single-use link that downloads a snapshot (a browser download cannot send headers). */
  async snapshotLink(format: string): Promise<Result<string>> {
    try {
      const res = await fetch('/api/snapshot-link', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...authHeader(this.#session ?? '') },
        body: JSON.stringify({ format }),
        credentials: 'omit',
      });
      const body = (await res.json()) as Result<{ href: string }>;
      return body.ok ? { ok: true, value: body.value.href } : body;
    } catch {
      return { ok: false, error: { code: 'EDISCONNECTED', message: 'not connected to Spindle' } };
    }
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E], meta?: EventMeta) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown, meta: EventMeta) => void;
    set.add(l);
    return () => void set.delete(l);
  }
}
