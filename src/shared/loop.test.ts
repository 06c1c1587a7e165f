import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loop } from './loop';

/** A run that holds until `release` is called, counting how many are in progress at once. */
function gatedRuns(): { fn: () => Promise<void>; release(): void; runs: number; maxAtOnce: number } {
  const s = {
    runs: 0,
    maxAtOnce: 0,
    open: 0,
    gate: null as (() => void) | null,
    fn: async (): Promise<void> => {
      s.runs++;
      s.open++;
      s.maxAtOnce = Math.max(s.maxAtOnce, s.open);
      await new Promise<void>((r) => (s.gate = r));
      s.open--;
    },
    release(): void {
      s.gate?.();
      s.gate = null;
    },
  };
  return s;
}

describe('loop', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('plans each run after the previous one ends, and stops on abort', async () => {
    const stop = new AbortController();
    const r = gatedRuns();
    loop(r.fn, 100, stop.signal);
    await vi.advanceTimersByTimeAsync(1000); // the first run holds: nothing else starts
    expect(r.runs).toBe(1);
    r.release();
    await vi.advanceTimersByTimeAsync(99);
    expect(r.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.runs).toBe(2);
    stop.abort();
    r.release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.runs).toBe(2);
  });

  it('a wake during a run brings the next run forward without starting a second chain', async () => {
    const stop = new AbortController();
    let runs = 0;
    let gate: (() => void) | null = null;
    const l = loop(
      async () => {
        runs++;
        if (runs === 1) await new Promise<void>((r) => (gate = r));
      },
      1000,
      stop.signal,
    );
    await vi.advanceTimersByTimeAsync(0);
    l.wake(250); // lands during the first run
    gate!();
    await vi.advanceTimersByTimeAsync(250);
    expect(runs).toBe(2);
    // From here one run per second, not two.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(12);
    stop.abort();
  });

  it('a wake while waiting cuts the wait short, but never delays a sooner run', async () => {
    const stop = new AbortController();
    let runs = 0;
    const l = loop(() => void runs++, 1000, stop.signal, { firstMs: 1000 });
    l.wake(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(900);
    l.wake(5000); // the planned run is due sooner: it stays
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    stop.abort();
  });

  it('a run that throws is reported and the loop goes on', async () => {
    const stop = new AbortController();
    const errors: unknown[] = [];
    let runs = 0;
    loop(
      () => {
        runs++;
        throw new Error('boom');
      },
      10,
      stop.signal,
      { onError: (e) => errors.push(e) },
    );
    await vi.advanceTimersByTimeAsync(25);
    expect(runs).toBe(3);
    expect(errors).toHaveLength(3);
    stop.abort();
  });
});
