/**
 * The one contract between core and every client: each request (name, params schema,
 * result type) and each pushed event (name, payload). Both transports (Electron IPC and
 * the WebSocket) carry exactly this.
 */
import type { z } from 'zod';
import type { RequestDef } from './define';
import type { Result } from '../result';
import { systemRequests } from './system';
import { statsRequests, type StatsEvents } from './stats';
import { auditRequests, type AuditEvents } from './audit';
import { snapshotsRequests, type SnapshotsErrorCode } from './snapshots';
import { processesRequests, type ProcessesErrorCode } from './processes';
import { supervisorRequests, type SupervisorErrorCode, type SupervisorEvents } from './supervisor';
import { poolsRequests, type PoolsErrorCode, type PoolsEvents } from './pools';
import { hostsRequests, type HostsErrorCode, type HostsEvents } from './hosts';
import { queuesRequests, type QueuesErrorCode, type QueuesEvents } from './queues';
import type { TransportErrorCode } from './errors';

export * from './system';
export * from './stats';
export * from './audit';
export * from './snapshots';
export * from './processes';
export * from './supervisor';
export * from './pools';
export * from './hosts';
export * from './queues';
export * from './errors';
export * from './proc-fields';
export type { RequestDef } from './define';

export const requests = {
  ...systemRequests,
  ...statsRequests,
  ...auditRequests,
  ...snapshotsRequests,
  ...processesRequests,
  ...supervisorRequests,
  ...poolsRequests,
  ...hostsRequests,
  ...queuesRequests,
} as const;

export type Requests = typeof requests;
export type Method = keyof Requests;
export type ParamsOf<M extends Method> =
  Requests[M] extends RequestDef<infer P, unknown> ? z.input<P> : never;
export type ResultOf<M extends Method> = Requests[M] extends RequestDef<z.ZodType, infer R> ? R : never;
/** The requests declared `control: true`: refused read-only, audited by dispatch. */
export type ControlMethod = {
  [M in Method]: Requests[M] extends RequestDef<z.ZodType, unknown, true> ? M : never;
}[Method];

/** Every code a request can fail with: the transport's and each area's (system, stats and audit add none). */
export type ErrorCode =
  | TransportErrorCode
  | ProcessesErrorCode
  | SupervisorErrorCode
  | PoolsErrorCode
  | SnapshotsErrorCode
  | QueuesErrorCode
  | HostsErrorCode;

/** Every pushed event and its payload. */
export type Events = StatsEvents & AuditEvents & SupervisorEvents & PoolsEvents & HostsEvents & QueuesEvents;
export type EventName = keyof Events;

/** Where a request goes. */
export interface RequestOpts {
  host?: string;
}

/** What came with an event beside its payload. */
export interface EventMeta {
  host?: string;
}

/** A client's view of the contract, the same over IPC and WebSocket. */
export interface SpindleApi {
  /** `opts.host`: a remote host's id (hosts area); the request goes there through this server. */
  request<M extends Method>(
    method: M,
    params?: ParamsOf<M>,
    opts?: RequestOpts,
  ): Promise<Result<ResultOf<M>>>;
  /** `meta.host` is set on events of a remote host; absent for this server's own. */
  on<E extends EventName>(event: E, listener: (payload: Events[E], meta?: EventMeta) => void): () => void;
}

/** Largest request message accepted, in bytes (both transports). */
export const MAX_REQUEST_BYTES = 256 * 1024;

export { IPC_EVENT, IPC_REQUEST } from '../ipc-channels';
