/**
 * Messages between core and the supervisor helper (a small Node child that owns every
 * managed process). Core sends spawn requests; the helper answers with pids, batched
 * output lines, pipe byte counts and exit statuses. Signals are sent by core directly.
 */
import type { StyleSpan, SupervisorErrorCode } from '../../../shared/contract';
import type { ProcEntry } from '../proc-tree/proc-table';

/** One stage as the helper spawns it: already validated and resolved by core. */
export interface SpawnStage {
  file: string;
  args: string[];
}

/** How the helper reports a stage that did not start (errno ENOENT, EACCES, anything else). */
export type SpawnErrorCode = Extract<SupervisorErrorCode, 'ENOENT_EXEC' | 'EACCES_EXEC' | 'ESPAWN'>;

/** core → helper */
export type ToHelper =
  | {
      t: 'spawn';
      runId: number;
      stages: SpawnStage[];
      cwd: string;
      env: Record<string, string>;
      maxLineBytes: number;
      /** Lines held per stream between flushes; older ones are dropped and counted. */
      maxPendingLines: number;
    }
  /** What the helper has tracked of the run with this mark (descendants cut from the tree). */
  | { t: 'known'; reqId: number; mark: string }
  /**
   * Start one of Spindle's own children (a pool worker process) here, so fork's cost is paid
   * by the helper, not by Spindle's main loop; it talks to Spindle over its own socket.
   */
  | { t: 'fork'; forkId: number; file: string; args: string[]; env: Record<string, string> }
  | { t: 'shutdown' };

/** One stage after spawn: pid and start time (clock ticks), or the reason it failed. */
export interface SpawnedStage {
  pid: number;
  starttime: number | null;
  /** The run's cgroup directory (the same for every stage), absent where cgroups are not used. */
  cgroup?: string | null;
}

/** helper → core */
export type FromHelper =
  | { t: 'ready'; pid: number }
  | { t: 'spawned'; runId: number; stages: SpawnedStage[] }
  | { t: 'spawnError'; runId: number; stage: number; code: SpawnErrorCode; message: string }
  | {
      t: 'lines';
      runId: number;
      stage: number;
      stream: 'out' | 'err';
      lines: string[];
      /** Colour spans per line (parallel to `lines`); absent when no line in the batch has any. */
      spans?: (StyleSpan[] | null)[];
      dropped: number;
    }
  | { t: 'bytes'; runId: number; bytes: number[] }
  | { t: 'known'; reqId: number; members: ProcEntry[] }
  | { t: 'forked'; forkId: number; pid: number; starttime: number | null }
  | { t: 'forkExit'; forkId: number; code: number | null; signal: NodeJS.Signals | null; error?: string }
  | {
      t: 'exit';
      runId: number;
      stages: { code: number | null; signal: string | null }[];
      bytes: number[];
    };
