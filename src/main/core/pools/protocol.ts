/** Messages between a pool and its workers (thread or process); kept small and plain. */
import type { WorkloadSpec } from '../../../shared/contract/pools';

/** What a worker needs at start-up (workerData for threads, argv JSON for processes). */
export interface WorkerInit {
  module?: string;
  exportName?: string;
  cwd?: string;
  /** Threads: the started-task count, shared (see progress.ts). */
  progress?: SharedArrayBuffer;
  /** Processes: the progress file (see progress.ts). */
  progressFile?: string;
}

/** One task on the wire. */
export interface WireTask {
  id: number;
  s: WorkloadSpec;
  i: string | number;
}

/** [task id, ok, result or error text, run ms measured in the worker] */
export type WireDone = [number, boolean, string, number];

export type ToWorker = { t: 'run'; tasks: WireTask[] } | { t: 'batch'; repeat: number };

export type FromWorker =
  | { t: 'ready'; pid: number; tid: number | null; threadId: number | null }
  | { t: 'startFail'; error: string }
  | { t: 'done'; r: WireDone[] }
  | { t: 'batchDone'; ms: number };

/**
 * Results are flushed at least this often (in tasks) so the pool can refill a busy worker.
 * Batching is safe against crashes: unsent results go out as the worker's last words.
 */
export const FLUSH_EVERY = 8;
