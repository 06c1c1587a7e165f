/**
 * The stats service on the main thread. Collection runs in the `sampler-worker` thread;
 * here each tick's delta is applied to the full table, recorded in history and handed to
 * listeners, so the main loop only ever does work proportional to what changed.
 */
import type { Worker } from 'node:worker_threads';
import {
  RESYNC_EVERY,
  STATS_LIMITS,
  type HistoryWindow,
  type ProcRow,
  type StatsConfig,
  type StatsSample,
  type StatsInitialState,
  type StatsTick,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { applyProcDelta } from '../../../shared/stats/proc-delta';
import { MAX_TRACKED_PROCS, StatsHistory } from '../../../shared/stats/stats-history';
import { startWorker } from '../launcher';
import type { FromSamplerThread, LoopConfig } from './sampler-loop';
import { threadCpuClock } from './thread-cpu';

export interface SamplerOptions {
  intervalMs?: number;
  retentionMs?: number;
  topN?: number;
  /** Every row is resent whole once every this many ticks (default RESYNC_EVERY). */
  resyncEvery?: number;
}

/** Messages the main thread sends the sampler thread. */
export type ToWorker =
  { type: 'configure'; config: Partial<LoopConfig> } | { type: 'focus'; keys: string[] } | { type: 'stop' };

/** The worker's tick (without `interest`, which only the main thread knows) or its error. */
type FromWorker = FromSamplerThread;

const clamp = (v: number, lim: { min: number; max: number }): number =>
  Math.min(lim.max, Math.max(lim.min, v));

export class Sampler {
  #config: StatsConfig;
  readonly #history: StatsHistory;
  readonly #table = new Map<string, ProcRow>();
  readonly #listeners = new Set<(t: StatsTick) => void>();
  readonly #interest = new Map<string, Set<string>>();
  #worker: Worker | null = null;
  #seq = 0;
  #latest: StatsSample | null = null;
  #top: string[] = [];
  #running = false;
  #lastTickMainMs = 0;
  readonly #mainCpu = threadCpuClock();

  constructor(opts: SamplerOptions = {}) {
    this.#config = {
      intervalMs: clamp(opts.intervalMs ?? 1000, STATS_LIMITS.intervalMs),
      retentionMs: clamp(opts.retentionMs ?? 10 * 60_000, STATS_LIMITS.retentionMs),
      topN: clamp(opts.topN ?? 20, STATS_LIMITS.topN),
      resyncEvery: opts.resyncEvery ?? RESYNC_EVERY,
      source: process.platform === 'linux' ? 'procfs' : 'systeminformation',
    };
    this.#history = new StatsHistory(this.#config.retentionMs, this.#config.intervalMs);
  }

  get intervalMs(): number {
    return this.#config.intervalMs;
  }

  get config(): StatsConfig {
    return { ...this.#config };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { intervalMs, topN, resyncEvery } = this.#config;
    const w = startWorker('sampler-worker', {
      workerData: { intervalMs, topN, resyncEvery } satisfies LoopConfig,
    });
    this.#worker = w;
    w.on('message', (m: FromWorker) => {
      if (m.type === 'tick') this.#onTick(m.tick);
      else if (m.type === 'table') this.#onTable(m.seq, m.rows);
      else console.error(`spindle: sample failed: ${m.message}`);
    });
    w.on('error', (err) => console.error('spindle: sampler thread failed', err));
    w.on('exit', () => {
      if (this.#worker !== w) return;
      this.#worker = null;
      // An unexpected exit: start again after a pause, keeping history.
      if (this.#running) {
        this.#running = false;
        setTimeout(() => this.start(), 1000).unref();
      }
    });
    this.#postFocus();
  }

  stop(): void {
    this.#running = false;
    const w = this.#worker;
    this.#worker = null;
    if (!w) return;
    w.postMessage({ type: 'stop' } satisfies ToWorker);
    // Let it close its fds, but never wait on it.
    setTimeout(() => void w.terminate(), 200).unref();
  }

  /** Called with every tick (system sample plus process delta). */
  onSample(listener: (t: StatsTick) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Current state for a new subscriber: the full table at `seq` and the history window. */
  state(): StatsInitialState {
    return {
      config: this.config,
      seq: this.#seq,
      latest: this.#latest,
      procs: [...this.#table.values()],
      top: this.#top,
      history: this.#history.window(),
    };
  }

  /** Main-thread CPU ms (wall ms where thread CPU is unknown) of the last tick: apply, history, listeners. */
  get lastTickMainMs(): number {
    return this.#lastTickMainMs;
  }

  /** The history window (a copy of the columns). */
  historyWindow(): HistoryWindow {
    return this.#history.window();
  }

  /** The full process table as of the last tick. */
  table(): ReadonlyMap<string, ProcRow> {
    return this.#table;
  }

  /** Change interval, retention or top N; history keeps what still fits. */
  configure(next: Partial<Pick<StatsConfig, 'intervalMs' | 'retentionMs' | 'topN'>>): StatsConfig {
    const c = { ...this.#config };
    if (next.intervalMs !== undefined) c.intervalMs = clamp(next.intervalMs, STATS_LIMITS.intervalMs);
    if (next.retentionMs !== undefined) c.retentionMs = clamp(next.retentionMs, STATS_LIMITS.retentionMs);
    if (next.topN !== undefined) c.topN = clamp(next.topN, STATS_LIMITS.topN);
    this.#config = c;
    this.#history.reconfigure(c.retentionMs, c.intervalMs);
    this.#worker?.postMessage({
      type: 'configure',
      config: { intervalMs: c.intervalMs, topN: c.topN },
    } satisfies ToWorker);
    return this.config;
  }

  /** Processes `owner` (a session, the supervisor) wants per-process history for; replaces its set. */
  setInterest(owner: string, keys: readonly string[]): void {
    if (keys.length > STATS_LIMITS.interestKeys) {
      throw new SpindleError(
        'EINVAL',
        `at most ${STATS_LIMITS.interestKeys} keys of interest, got ${keys.length}`,
      );
    }
    if (keys.length) this.#interest.set(owner, new Set(keys));
    else this.#interest.delete(owner);
    this.#postFocus();
  }

  #interestKeys(): Set<string> {
    const all = new Set<string>();
    for (const s of this.#interest.values()) for (const k of s) all.add(k);
    return all;
  }

  #postFocus(): void {
    this.#worker?.postMessage({ type: 'focus', keys: [...this.#interestKeys()] } satisfies ToWorker);
  }

  /**
   * The sampler thread's first reading, whole: the table its deltas build on. A subscriber that
   * took the table before it arrived fails its next delta's count and subscribes again.
   */
  #onTable(seq: number, rows: ProcRow[]): void {
    this.#table.clear();
    for (const r of rows) this.#table.set(r.key, r);
    this.#seq = seq;
  }

  #onTick(collected: Omit<StatsTick, 'interest'>): void {
    const wall0 = performance.now();
    const cpu0 = this.#mainCpu();
    if (!applyProcDelta(this.#table, this.#seq, collected.procs)) {
      // Cannot happen over an ordered port; if it did, the rolling resync repairs it.
      console.error(`spindle: stats delta ${collected.sample.seq} does not follow tick ${this.#seq}`);
    }
    this.#seq = collected.sample.seq;
    this.#latest = collected.sample;
    this.#top = collected.top;
    // Keys with a row, beside top: what a client needs to record the same per-process series.
    // Bounded like the history's tracked set (about 14 bytes a key on the wire).
    const extra: string[] = [];
    const top = new Set(collected.top);
    for (const k of this.#interestKeys()) {
      if (extra.length >= MAX_TRACKED_PROCS) break;
      if (!top.has(k) && this.#table.has(k)) extra.push(k);
    }
    const tick: StatsTick = { ...collected, interest: extra };
    this.#history.push(tick.sample, this.#table, [...tick.top, ...extra]);
    for (const l of this.#listeners) l(tick);
    const cpu1 = cpu0 === null ? null : this.#mainCpu();
    this.#lastTickMainMs = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : performance.now() - wall0;
  }
}
