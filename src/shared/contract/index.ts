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
import { snapshotsRequests } from './snapshots';
import { processesRequests } from './processes';
import { supervisorRequests, type SupervisorEvents } from './supervisor';
import { poolsRequests, type PoolsEvents } from './pools';
import { queuesRequests, type QueuesEvents } from './queues';

export * from './system';
export * from './stats';
export * from './audit';
export * from './snapshots';
export * from './processes';
export * from './supervisor';
export * from './pools';
export * from './queues';
export type { RequestDef } from './define';

export const requests = {
  ...systemRequests,
  ...statsRequests,
  ...auditRequests,
  ...snapshotsRequests,
  ...processesRequests,
  ...supervisorRequests,
  ...poolsRequests,
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

/** Every pushed event and its payload. */
export type Events = StatsEvents & AuditEvents & SupervisorEvents & PoolsEvents & QueuesEvents;
export type EventName = keyof Events;

/** A client's view of the contract, the same over IPC and WebSocket. */
export interface SpindleApi {
  request<M extends Method>(method: M, params?: ParamsOf<M>): Promise<Result<ResultOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** Largest request message accepted, in bytes (both transports). */
export const MAX_REQUEST_BYTES = 256 * 1024;

export { IPC_EVENT, IPC_REQUEST } from '../ipc-channels';
