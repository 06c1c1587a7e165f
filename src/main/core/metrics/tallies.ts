/**
 * Counters Prometheus wants in base units, summed from the sampler's ticks as they arrive:
 * the sampler hands out rates (CPU %, switches per second) computed from the kernel's own
 * counters over each interval, so rate × interval added up is the counter again, starting at
 * zero when the metrics start (a counter reset, which Prometheus' rate() handles). Work per
 * tick is cores × modes plus the managed stages, never the whole process table.
 */
import { CPU_MODES, type ProcRow, type StatsSample, type StatsTick } from '../../../shared/contract';
import type { ManagedStatus } from '../../../shared/contract/supervisor';

/** The modes of `spindle_cpu_seconds_total`: the contract's; together they are the whole interval (guest is not inside user here). */
export { CPU_MODES };

/** What the tallies read from the core: ticks, the table they update, the managed list. */
export interface TallySources {
  sampler: {
    onSample(l: (t: StatsTick) => void): () => void;
    table(): ReadonlyMap<string, ProcRow>;
    readonly lastTickMainMs: number;
  };
  supervisor: {
    list(): ManagedStatus[];
    onManagedKeys(l: (keys: string[]) => void): () => void;
  };
}

export class Tallies {
  /** CPU seconds, per core, in CPU_MODES order. */
  readonly cpu: number[][] = [];
  contextSwitches = 0;
  forks = 0;
  ticks = 0;
  /** CPU seconds of the sampler thread's collection, and of the main thread applying ticks. */
  samplerCpu = 0;
  mainCpu = 0;
  /** CPU seconds of the whole Spindle process (all threads). */
  selfCpu = 0;
  /** Managed id → CPU seconds of its stages, across runs. */
  readonly managedCpu = new Map<string, number>();
  latest: StatsSample | null = null;
  top: readonly string[] = [];
  readonly #sources: TallySources;
  readonly #off: (() => void)[] = [];
  /** Stage key → managed id; rebuilt on the next tick after the managed keys change. */
  #owner: Map<string, string> | null = null;

  constructor(sources: TallySources) {
    this.#sources = sources;
    this.#off.push(sources.sampler.onSample((t) => this.#onTick(t)));
    this.#off.push(sources.supervisor.onManagedKeys(() => (this.#owner = null)));
  }

  close(): void {
    for (const off of this.#off.splice(0)) off();
  }

  #onTick(tick: StatsTick): void {
    const s = tick.sample;
    // The interval this sample's rates cover: the time since the previous sample, however late
    // it came (the collector measures its rates over the same span). The first sample, and the
    // first after the sampler thread restarted (its sequence starts again), add nothing: the span
    // its rates cover is not known here, and a counter may start late but never jump.
    const prev = this.latest;
    const dt = prev !== null && s.seq === prev.seq + 1 && s.t > prev.t ? (s.t - prev.t) / 1000 : 0;
    this.latest = s;
    this.top = tick.top;
    this.ticks++;
    s.cpu.cores.forEach((core, i) => {
      const acc = (this.cpu[i] ??= CPU_MODES.map(() => 0));
      // A mode the platform does not report (null) adds nothing: unknown is never counted as time.
      CPU_MODES.forEach((m, j) => (acc[j]! += ((core[m] ?? 0) / 100) * dt));
    });
    if (s.tasks.ctxtPerSec !== null) this.contextSwitches += s.tasks.ctxtPerSec * dt;
    if (s.tasks.forksPerSec !== null) this.forks += s.tasks.forksPerSec * dt;
    this.samplerCpu += s.self.cpuMs / 1000;
    this.selfCpu += s.self.processCpuMs / 1000;
    // Measured after the listeners run, so this is the previous tick's: one tick late, never lost.
    this.mainCpu += this.#sources.sampler.lastTickMainMs / 1000;
    const table = this.#sources.sampler.table();
    for (const [key, id] of this.#owners()) {
      const row = table.get(key);
      if (row) this.managedCpu.set(id, (this.managedCpu.get(id) ?? 0) + (row.cpu / 100) * dt);
    }
  }

  #owners(): Map<string, string> {
    if (this.#owner) return this.#owner;
    const owner = new Map<string, string>();
    const ids = new Set<string>();
    for (const m of this.#sources.supervisor.list()) {
      ids.add(m.id);
      for (const k of m.procKeys) owner.set(k, m.id);
    }
    // A removed definition's seconds go with it, so launching and removing forever stays bounded.
    for (const id of this.managedCpu.keys()) if (!ids.has(id)) this.managedCpu.delete(id);
    this.#owner = owner;
    return owner;
  }
}
