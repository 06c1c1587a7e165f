/**
 * A loop that cannot double: `fn` runs, and the next run is planned only when it has finished,
 * so runs never overlap. At most one timer is pending at any time, and its handle is dropped
 * the moment it fires, so `wake` during a run can never start a second chain (it moves the
 * next run forward instead). Aborting the signal ends the loop; a run in progress finishes.
 * Node-free (global timers only).
 */

/** Control of a running {@link loop}. */
export interface Loop {
  /**
   * Run again within `ms`: a pending wait is cut short; during a run, the next one is planned
   * no later than `ms` after it ends. Never starts a run beside one in progress.
   */
  wake(ms?: number): void;
}

/** Options of {@link loop}. */
export interface LoopOptions {
  /** Wait before the first run (default: run at once). */
  firstMs?: number;
  /** Told about a run that threw; the loop goes on. Default: console.error. */
  onError?: (err: unknown) => void;
}

/**
 * Run `fn` until `signal` aborts. `ms` is the wait after each run, or a function of how long
 * the run took (ms) returning it, e.g. `(took) => interval - took` for a steady rate.
 */
export function loop(
  fn: () => unknown,
  ms: number | ((tookMs: number) => number),
  signal: AbortSignal,
  { firstMs = 0, onError = (err) => console.error('loop: a run failed', err) }: LoopOptions = {},
): Loop {
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** When the pending timer fires (performance.now() time). */
  let due = 0;
  let running = false;
  /** A wake that came during a run: the most the next wait may be. */
  let wokenWithin: number | null = null;

  const plan = (delay: number): void => {
    if (signal.aborted) return;
    due = performance.now() + Math.max(0, delay);
    timer = setTimeout(() => void run(), Math.max(0, delay));
  };
  const run = async (): Promise<void> => {
    timer = null;
    if (signal.aborted) return;
    running = true;
    const t0 = performance.now();
    try {
      await fn();
    } catch (err) {
      onError(err);
    }
    running = false;
    const took = performance.now() - t0;
    let next = typeof ms === 'number' ? ms : ms(took);
    if (wokenWithin !== null) next = Math.min(next, wokenWithin);
    wokenWithin = null;
    plan(next);
  };
  signal.addEventListener(
    'abort',
    () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
    { once: true },
  );
  plan(firstMs);
  return {
    wake(within = 0) {
      if (signal.aborted) return;
      if (running) {
        wokenWithin = Math.min(wokenWithin ?? within, within);
        return;
      }
      if (timer && due <= performance.now() + within) return;
      if (timer) clearTimeout(timer);
      plan(within);
    },
  };
}
