import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Collected, Collector } from './collector';
import { runTicks, SamplerLoop } from './sampler-loop';

/** A collector whose readings wait for `release` when `hold` is set, counting reads at once. */
class HeldCollector implements Collector {
  readonly source = 'procfs' as const;
  hold = false;
  reads = 0;
  open = 0;
  maxAtOnce = 0;
  #gate: (() => void) | null = null;
  async collect(): Promise<Collected> {
    this.reads++;
    this.open++;
    this.maxAtOnce = Math.max(this.maxAtOnce, this.open);
    if (this.hold) await new Promise<void>((r) => (this.#gate = r));
    this.open--;
    return {
      t: Date.now(),
      cpu: { total: null as never, cores: [] },
      load: null,
      mem: null,
      tasks: null as never,
      rows: [],
    };
  }
  release(): void {
    this.hold = false;
    this.#gate?.();
  }
}

describe('the sampler thread tick chain', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('stays one chain after a configure that lands during a tick', async () => {
    const c = new HeldCollector();
    const stop = new AbortController();
    const posted: string[] = [];
    const ticks = runTicks(
      new SamplerLoop(c, { intervalMs: 1000, topN: 5, resyncEvery: 30 }),
      (m) => m.type === 'tick' && posted.push(m.type),
      stop.signal,
    );
    await vi.advanceTimersByTimeAsync(0); // primed
    c.hold = true;
    await vi.advanceTimersByTimeAsync(500); // the first tick starts and holds
    expect(c.open).toBe(1);
    ticks.configure({ intervalMs: 1000 });
    c.release();
    await vi.advanceTimersByTimeAsync(10_000);
    // One tick a second (the first planned sooner by the configure); two chains would give ~20.
    expect(posted.length).toBeGreaterThanOrEqual(10);
    expect(posted.length).toBeLessThanOrEqual(12);
    expect(c.maxAtOnce).toBe(1);
    stop.abort();
    const after = c.reads;
    await vi.advanceTimersByTimeAsync(5000);
    expect(c.reads).toBe(after);
  });

  it('a shorter interval applies within 250 ms, not after the old wait', async () => {
    const c = new HeldCollector();
    const stop = new AbortController();
    let ticks = 0;
    const t = runTicks(
      new SamplerLoop(c, { intervalMs: 10_000, topN: 5, resyncEvery: 30 }),
      (m) => m.type === 'tick' && ticks++,
      stop.signal,
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(ticks).toBe(1);
    t.configure({ intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(100);
    expect(ticks).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ticks).toBe(12);
    stop.abort();
  });
});
