/**
 * One tick of the sampler thread: take a reading, measure what it cost, and turn the
 * process table into a delta of at most `TICK_BYTES` (tick-delta.ts), resending 1/`resyncEvery`
 * of the rows whole each tick as room allows (a rolling resync: no whole-table event, so no
 * main-loop spike when it is cloned and serialized). The first reading (`prime`) is the
 * initial table, handed over whole once, like a subscribe. Kept apart from the worker
 * plumbing so tests can drive it.
 */
import type { ProcRow, SamplerCost, StatsTick } from '../../../shared/contract';
import { loop, type Loop } from '../../../shared/loop';
import { round2, type Collector } from './collector';
import { threadCpuClock } from './thread-cpu';
import { DeltaEncoder, TICK_BYTES } from './tick-delta';

export interface LoopConfig {
  intervalMs: number;
  topN: number;
  resyncEvery: number;
}

export class SamplerLoop {
  readonly #collector: Collector;
  readonly #encoder = new DeltaEncoder();
  readonly #threadCpu = threadCpuClock();
  #config: LoopConfig;
  #seq = 0;
  #focus = new Set<string>();
  /** JSON bytes the focus keys can take as the event's `interest` (an upper bound). */
  #focusBytes = 0;
  #top: string[] = [];
  #lastProcessCpu = process.cpuUsage();

  constructor(collector: Collector, config: LoopConfig) {
    this.#collector = collector;
    this.#config = config;
  }

  get config(): LoopConfig {
    return this.#config;
  }

  configure(next: Partial<LoopConfig>): void {
    this.#config = { ...this.#config, ...next };
  }

  /** Keys read in full each tick even when idle (besides the top N, always included). */
  setFocus(keys: Iterable<string>): void {
    this.#focus = new Set(keys);
    this.#focusBytes = 0;
    for (const k of this.#focus) this.#focusBytes += k.length + 3;
  }

  /**
   * Take the first reading (no rates yet) and return its rows: the table at seq 0, which the
   * other side takes whole; the ticks that follow are deltas against it.
   */
  async prime(): Promise<ProcRow[]> {
    const c = await this.#collector.collect(this.#focus);
    this.#encoder.reset(c.rows);
    this.#seq = 0;
    this.#lastProcessCpu = process.cpuUsage();
    return c.rows;
  }

  async tick(): Promise<Omit<StatsTick, 'interest'>> {
    const wall0 = performance.now();
    const cpu0 = this.#threadCpu();
    const focus = new Set([...this.#focus, ...this.#top]);
    const c = await this.#collector.collect(focus);
    const seq = ++this.#seq;
    const { rows, ...system } = c;
    this.#top = topKeys(rows, this.#config.topN);
    // What the event carries besides the table: the machine-wide figures, the cost (written
    // below, ~250 bytes), top and interest keys, the event's own frame.
    const fixed = JSON.stringify(system).length + 400 + JSON.stringify(this.#top).length + this.#focusBytes;
    const every = Math.max(1, this.#config.resyncEvery);
    const turn = seq % every;
    const procs = this.#encoder.encode(
      rows,
      seq - 1,
      new Set([...this.#focus, ...this.#top]),
      TICK_BYTES - fixed,
      (row) => row.pid % every === turn,
    );
    const cpu1 = this.#threadCpu();
    const wallMs = performance.now() - wall0;
    const pc = process.cpuUsage(this.#lastProcessCpu);
    this.#lastProcessCpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const self: SamplerCost = {
      pid: process.pid,
      cpuMs: round2(cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : wallMs),
      cpuSource: cpu0 !== null && cpu1 !== null ? 'thread' : 'wall',
      processCpuMs: round2((pc.user + pc.system) / 1000),
      rssBytes: mem.rss,
      heapBytes: mem.heapUsed,
    };
    return { sample: { seq, intervalMs: this.#config.intervalMs, ...system, self }, procs, top: this.#top };
  }
}

/** Keys of the `n` busiest rows (cpu > 0), busiest first. */
export function topKeys(rows: readonly ProcRow[], n: number): string[] {
  if (n <= 0) return [];
  const busy = rows.filter((r) => r.cpu > 0);
  busy.sort((a, b) => b.cpu - a.cpu);
  return busy.slice(0, n).map((r) => r.key);
}

/** What the sampler thread posts to the main thread. */
/** The main thread adds `interest`, which only it knows. */
export type FromSamplerThread =
  | { type: 'table'; seq: number; rows: ProcRow[] }
  | { type: 'tick'; tick: Omit<StatsTick, 'interest'> }
  | { type: 'error'; message: string };

/** Wait before the first tick, so the first rates cover a short but real interval. */
const FIRST_TICK_MAX_MS = 500;
/** A new interval applies within this, rather than after the old (possibly 10 s) wait. */
const RECONFIGURE_MS = 250;

/**
 * The sampler thread's tick chain: prime, then tick and post, each tick planned after the
 * previous one ends (one chain whatever `configure` does, see shared/loop.ts), until `signal`
 * aborts.
 */
export function runTicks(
  sampler: SamplerLoop,
  post: (m: FromSamplerThread) => void,
  signal: AbortSignal,
): { configure(next: Partial<LoopConfig>): void } {
  let chain: Loop | null = null;
  const tick = async (): Promise<void> => {
    try {
      post({ type: 'tick', tick: await sampler.tick() });
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  // A configure before the first tick needs no wake: the first wait is read from the config.
  const start = (): void => {
    const first = Math.min(sampler.config.intervalMs, FIRST_TICK_MAX_MS);
    chain = loop(tick, (took) => sampler.config.intervalMs - took, signal, { firstMs: first });
  };
  sampler.prime().then(
    (rows) => {
      post({ type: 'table', seq: 0, rows });
      start();
    },
    (err: unknown) => {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      start();
    },
  );
  return {
    configure(next) {
      sampler.configure(next);
      if (next.intervalMs !== undefined) chain?.wake(Math.min(next.intervalMs, RECONFIGURE_MS));
    },
  };
}
