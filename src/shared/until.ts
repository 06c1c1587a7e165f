/**
 * The one way tests wait: poll a condition until it holds, never a fixed sleep. The timeout is a
 * ceiling for a hang, not a promise about speed, so it is generous by default (a loaded 2-core
 * machine can stall a process for seconds). Node-free (global timers only), so renderer tests
 * use the same one; `src/test-utils/until.ts` re-exports it.
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long `until` waits and how often it looks. */
export interface UntilOptions {
  /** Give up after this many ms (default 15 000). */
  timeout?: number;
  /** Look again after this many ms (default 20). */
  interval?: number;
  /** Says what was awaited, for the error when it never happened. */
  message?: string;
}

/** Thrown when the condition did not hold in time; `last` is what `fn` returned (or threw) last. */
export class UntilTimeoutError extends Error {
  readonly code = 'EUNTIL_TIMEOUT';
  readonly last: unknown;
  constructor(message: string, last: unknown) {
    super(message);
    this.name = 'UntilTimeoutError';
    this.last = last;
  }
}

/**
 * Call `fn` until it returns a truthy value (which is returned) without throwing. The condition is
 * always checked once more after the deadline passes, so a stalled event loop never times out a
 * condition that holds.
 */
export async function until<T>(
  fn: () => T | Promise<T>,
  { timeout = 15_000, interval = 20, message }: UntilOptions = {},
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeout;
  let last: unknown;
  for (;;) {
    const late = performance.now() >= deadline;
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (late) {
      const what = message ?? (fn.toString().replace(/\s+/g, ' ').slice(0, 120) || 'condition');
      const got = last instanceof Error ? `threw ${last.message}` : `returned ${String(last)}`;
      throw new UntilTimeoutError(`not met within ${timeout} ms: ${what} (last ${got})`, last);
    }
    await sleep(interval);
  }
}
