import { z } from 'zod';
import { request } from './define';
import type { ErrorCode } from '../result';

/** How a control action ended: done, still running after its signal (processes), or refused with a code. */
export type AuditOutcome = 'ok' | 'running' | ErrorCode;

/** What a control action was aimed at. */
export interface AuditTarget {
  pid?: number;
  /** Process start time, ms since epoch (with pid, names one process for good). */
  startTime?: number;
  /** Process name, managed process name or pool name. */
  name?: string;
  /** Managed process or pool id. */
  id?: string;
}

/** One control action: who did what to what, and how it ended. */
export interface AuditEntry {
  seq: number;
  /** ms since epoch */
  t: number;
  /** "window" or "web 127.0.0.1:53122" */
  client: string;
  /** e.g. "signal SIGTERM", "end", "renice 10", "launch", "stop" */
  action: string;
  target: AuditTarget;
  outcome: AuditOutcome;
  /** A human sentence: "gone after 120 ms", "not permitted (owned by root)". */
  detail: string;
}

export const auditRequests = {
  /** The audit log, newest last (bounded), and subscribe to `audit` events. */
  'audit.list': request<AuditEntry[]>()(z.object({ subscribe: z.boolean().optional() }).strict().optional(), {
    control: false,
  }),
};

export interface AuditEvents {
  audit: AuditEntry;
}
