/**
 * What to do when a managed process's run ends: stay down, restart after a backoff delay,
 * or give up (fatal) because it started too often. Pure and clocked by its caller, so the
 * arithmetic is tested with literal times.
 */
import type { Definition, ExitStatus } from '../../../shared/contract';

/** The decision after an exit. */
export type ExitDecision =
  { kind: 'stay' } | { kind: 'restart'; delayMs: number } | { kind: 'fatal'; reason: string };

type PolicySettings = Pick<Definition, 'restart' | 'backoff' | 'startLimit' | 'stableMs'>;

/** True when an exit counts as a failure (non-zero code, or ended by a signal). */
export const failed = (s: ExitStatus): boolean => s.signal !== null || (s.code ?? 1) !== 0;

/** Pipefail: the status of the last stage that failed, else the last stage's. */
export function pipelineStatus(stages: readonly ExitStatus[]): ExitStatus {
  for (let i = stages.length - 1; i >= 0; i--) if (failed(stages[i]!)) return stages[i]!;
  return stages.at(-1) ?? { code: null, signal: null };
}

/** "exit code 3" or "killed by SIGTERM". */
export const describeExit = (s: ExitStatus): string =>
  s.signal ? `killed by ${s.signal}` : `exit code ${s.code}`;

export class RestartPolicy {
  readonly #s: PolicySettings;
  // Start times within the start-limit window, oldest first (bounded by startLimit.count + 1).
  #starts: number[] = [];
  #nextDelay: number;

  constructor(settings: PolicySettings) {
    this.#s = settings;
    this.#nextDelay = settings.backoff.initialMs;
  }

  /** Record a start at `now`. */
  started(now: number): void {
    this.#starts.push(now);
    if (this.#starts.length > this.#s.startLimit.count + 1) this.#starts.shift();
  }

  /** A user start or restart: forget the crash history. */
  reset(): void {
    this.#starts = [];
    this.#nextDelay = this.#s.backoff.initialMs;
  }

  /** Decide after a run that began at `startedAt` ended at `now` with `status`. */
  exited(status: ExitStatus, startedAt: number, now: number): ExitDecision {
    const { restart, backoff, startLimit, stableMs } = this.#s;
    if (restart === 'never' || (restart === 'on-failure' && !failed(status))) return { kind: 'stay' };
    if (now - startedAt >= stableMs) this.#nextDelay = backoff.initialMs;
    const recent = this.#starts.filter((t) => now - t < startLimit.windowMs).length;
    if (recent >= startLimit.count) {
      return {
        kind: 'fatal',
        reason: `${recent} starts within ${startLimit.windowMs} ms (limit ${startLimit.count}); not restarting`,
      };
    }
    const delayMs = this.#nextDelay;
    this.#nextDelay = Math.min(backoff.maxMs, Math.round(this.#nextDelay * backoff.factor));
    return { kind: 'restart', delayMs };
  }
}
