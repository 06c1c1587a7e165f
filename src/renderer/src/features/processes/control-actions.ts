/** What a control action is, how the confirmation names it, and the request it becomes. */
import {
  PROCESS_LIMITS,
  type ControlOutcome,
  type ProcRow,
  type SignalName,
} from '../../../../shared/contract';
import type { Result } from '../../../../shared/result';
import type { Client } from '../../api/client';

export type ControlAction =
  | { kind: 'end'; timeoutMs: number }
  | { kind: 'kill' }
  | { kind: 'signal'; signal: SignalName }
  | { kind: 'end-tree'; timeoutMs: number; total: number | null }
  | { kind: 'renice'; nice: number };

/** Default wait between TERM and KILL. */
export const DEFAULT_END_TIMEOUT_MS = PROCESS_LIMITS.endTimeoutMs.default;

/** The confirmation's question, naming the process (and the tree's size). */
export function describe(a: ControlAction, r: Pick<ProcRow, 'pid' | 'name' | 'user'>): string {
  const who = `${r.name} (PID ${r.pid}${r.user ? `, ${r.user}` : ''})`;
  switch (a.kind) {
    case 'end':
      return `End ${who}? It gets SIGTERM, then SIGKILL if still running after ${a.timeoutMs / 1000} s.`;
    case 'kill':
      return `Kill ${who} now with SIGKILL? It gets no chance to clean up.`;
    case 'signal':
      return `Send SIG${a.signal} to ${who}?`;
    case 'end-tree':
      return `End ${who} and everything it started — ${a.total === null ? 'counting…' : `${a.total} process${a.total === 1 ? '' : 'es'} in all`}? Each is stopped, sent SIGTERM, and killed after ${a.timeoutMs / 1000} s.`;
    case 'renice':
      return `Set the nice value of ${who} to ${a.nice}? (${a.nice < 0 ? 'higher priority; needs privilege' : 'lower priority'})`;
  }
}

/** The button label of the confirmation. */
export function verb(a: ControlAction): string {
  return { end: 'End', kill: 'Kill', signal: 'Send', 'end-tree': 'End tree', renice: 'Renice' }[a.kind];
}

/** Send the request the action stands for. */
export function runAction(client: Client, key: string, a: ControlAction): Promise<Result<ControlOutcome>> {
  switch (a.kind) {
    case 'end':
      return client.api.request('processes.end', { key, timeoutMs: a.timeoutMs });
    case 'kill':
      return client.api.request('processes.kill', { key });
    case 'signal':
      return client.api.request('processes.signal', { key, signal: a.signal });
    case 'end-tree':
      return client.api.request('processes.endTree', { key, timeoutMs: a.timeoutMs });
    case 'renice':
      return client.api.request('processes.renice', { key, nice: a.nice });
  }
}
