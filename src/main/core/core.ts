/**
 * The engine every adapter serves: one object, many sessions (the Electron window, web
 * clients). Adapters turn wire messages into `session.request(raw)` and pass pushed
 * events back out; nothing here knows about Electron or HTTP.
 */
import type { EventName, Events, SystemInfo } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { dispatch, type ClientInfo, type Handlers, type HandlerContext, type Push } from './rpc';
import { Sampler } from './sampler/sampler';
import { AuditLog } from './audit/audit-log';
import { readSystemInfo } from './system/system-info';
import { APP_VERSION } from './version';

export interface CoreOptions {
  intervalMs?: number;
  retentionMs?: number;
}

/** One attached client. */
export interface Session {
  request(raw: unknown): Promise<Result<unknown>>;
  close(): void;
}

interface SessionState {
  client: ClientInfo;
  push: Push;
  topics: Set<EventName>;
}

export class Core {
  readonly sampler: Sampler;
  /** Every control action, bounded; areas record into it. */
  readonly audit = new AuditLog();
  readonly #sessions = new Set<SessionState>();
  readonly #handlers: Handlers;
  #systemInfo: Promise<SystemInfo> | null = null;

  constructor(opts: CoreOptions = {}) {
    this.sampler = new Sampler(opts);
    this.sampler.onSample((s) => this.publish('stats', s));
    this.audit.onEntry((e) => this.publish('audit', e));
    this.#handlers = {
      'system.info': () => this.systemInfo(),
      'app.info': (_p, ctx) => ({
        version: APP_VERSION,
        transport: ctx.client.transport,
        readOnly: ctx.client.readOnly,
      }),
      'stats.subscribe': (_p, ctx) => {
        ctx.subscribe('stats');
        return this.sampler.snapshot();
      },
      'audit.list': (p, ctx) => {
        if (p?.subscribe) ctx.subscribe('audit');
        return this.audit.list();
      },
      'stats.unsubscribe': (_p, ctx) => {
        ctx.unsubscribe('stats');
        return null;
      },
    };
  }

  /** Static system info, read once and shared. */
  systemInfo(): Promise<SystemInfo> {
    this.#systemInfo ??= readSystemInfo();
    return this.#systemInfo;
  }

  start(): void {
    this.sampler.start();
    void this.systemInfo();
  }

  async stop(): Promise<void> {
    this.sampler.stop();
    for (const s of this.#sessions) s.topics.clear();
    this.#sessions.clear();
  }

  /** Send an event to every session subscribed to it. */
  publish<E extends EventName>(event: E, payload: Events[E]): void {
    for (const s of this.#sessions) if (s.topics.has(event)) s.push(event, payload);
  }

  openSession(client: ClientInfo, push: Push): Session {
    const state: SessionState = { client, push, topics: new Set() };
    this.#sessions.add(state);
    const ctx: HandlerContext = {
      client,
      subscribe: (e) => state.topics.add(e),
      unsubscribe: (e) => state.topics.delete(e),
    };
    return {
      request: (raw) => dispatch(this.#handlers, raw, ctx),
      close: () => {
        state.topics.clear();
        this.#sessions.delete(state);
      },
    };
  }
}
