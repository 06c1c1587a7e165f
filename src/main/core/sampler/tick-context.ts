/**
 * What one tick of the Linux collector shares with every process it reads, and the clock
 * arithmetic on it: /proc/<pid>/stat dates a start in clock ticks since boot (CLOCK_BOOTTIME),
 * which /proc/uptime reads on the same clock.
 */

/** USER_HZ: clock ticks per second in /proc times; 100 on every mainstream Linux ABI. */
export const CLK_TCK = 100;

/** What one tick shares with every row. */
export interface TickContext {
  tick: number;
  /** Seconds since the previous reading (0 on the first). */
  dtSec: number;
  nCores: number;
  /** Wall clock (ms) and the kernel's uptime (s) read together at the start of the tick. */
  nowMs: number;
  uptimeSec: number;
  /** performance.now() when uptimeSec was read, to age a process read later in the tick. */
  mono: number;
  /** Uptime in ticks at the previous reading: a process started at or after it is new, not unseen. */
  prevUptimeTicks: number;
  focus: ReadonlySet<string>;
}

/** Seconds since a process started (`starttime` from its stat), at least one clock tick, at most the tick's span. */
export function ageSec(starttime: number, ctx: TickContext): number {
  const up = ctx.uptimeSec + (performance.now() - ctx.mono) / 1000;
  return Math.max(1 / CLK_TCK, Math.min(ctx.dtSec, up - starttime / CLK_TCK));
}

/**
 * Wall-clock ms of a process's start: the kernel's clock (uptime) against the wall clock read
 * with it. Whole-second btime and a wall-clock age were 0.19 s off here, enough to misjudge a
 * new process as old.
 */
export function startWallMs(starttime: number, ctx: TickContext): number {
  return Math.round(ctx.nowMs - (ctx.uptimeSec - starttime / CLK_TCK) * 1000);
}
