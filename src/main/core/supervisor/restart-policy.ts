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

/**
 * Counts failed starts (runs shorter than the minimum uptime) in a row, whatever the delays
 * between them: a window of wall-clock time cannot work with a doubling backoff, whose
 * delays soon spread the starts wider than any window, so a crash loop never ended.
 */
export class RestartPolicy {
  readonly #s: PolicySettings;
  #failedStarts = 0;
  #nextDelay: number;

  constructor(settings: PolicySettings) {
    this.#s = settings;
    this.#nextDelay = settings.backoff.initialMs;
  }

  /** Starts in a row that ended before the minimum uptime. */
  get failedStarts(): number {
    return this.#failedStarts;
  }

  /** A user start or restart: forget the crash history. */
  reset(): void {
    this.#failedStarts = 0;
    this.#nextDelay = this.#s.backoff.initialMs;
  }

  /** Decide after a run that began at `startedAt` ended at `now` with `status`. */
  exited(status: ExitStatus, startedAt: number, now: number): ExitDecision {
    const { restart, backoff, startLimit, stableMs } = this.#s;
    if (restart === 'never' || (restart === 'on-failure' && !failed(status))) return { kind: 'stay' };
    const uptime = now - startedAt;
    if (uptime >= stableMs) this.#nextDelay = backoff.initialMs;
    this.#failedStarts = uptime < startLimit.minUptimeMs ? this.#failedStarts + 1 : 0;
    if (this.#failedStarts >= startLimit.count) {
      return {
        kind: 'fatal',
        reason:
          `${this.#failedStarts} starts in a row ended within ${startLimit.minUptimeMs} ms ` +
          `(limit ${startLimit.count}); not restarting`,
      };
    }
    const delayMs = this.#nextDelay;
    this.#nextDelay = Math.min(backoff.maxMs, Math.round(this.#nextDelay * backoff.factor));
    return { kind: 'restart', delayMs };
  }
}
