/** A task inside core, and how it ended. */
import type { ErrorCode, WorkloadSpec } from '../../../shared/contract';

export interface Outcome {
  ok: boolean;
  /** Result or error text, capped. */
  text: string;
  runMs: number;
  /** Why it failed when not by its own error. */
  code?: Extract<ErrorCode, 'ETIMEDOUT' | 'EWORKER_EXIT' | 'ECANCELLED' | 'EPOOL_UNHEALTHY'>;
}

export interface Task {
  id: number;
  spec: WorkloadSpec;
  item: string | number;
  /** performance.now() at submit. */
  submittedAt: number;
  attempts: number;
  settled: boolean;
  /** Told the outcome; a returned promise holds the worker until it settles (back pressure). */
  onDone?: (o: Outcome) => void | Promise<unknown>;
}

/** A failure outcome not raised by the task itself. */
export const failure = (code: NonNullable<Outcome['code']>, text: string, runMs = 0): Outcome => ({
  ok: false,
  text,
  runMs,
  code,
});
