/**
 * The stats loop: one sample per interval, never overlapping, kept in a bounded history.
 * (Foundation version: per-core CPU from /proc/stat deltas, systeminformation elsewhere.)
 */
import { readFileSync } from 'node:fs';
import si from 'systeminformation';
import type { CpuPct, StatsSample, StatsSnapshot } from '../../../shared/contract';
import { cpuPct, parseProcStat, type CpuTimes } from './proc-stat';

export interface SamplerOptions {
  intervalMs?: number;
  retentionMs?: number;
}

export class Sampler {
  readonly intervalMs: number;
  readonly #capacity: number;
  readonly #history: StatsSample[] = [];
  readonly #listeners = new Set<(s: StatsSample) => void>();
  #prev: { total: CpuTimes; cores: CpuTimes[] } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;

  constructor(opts: SamplerOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.#capacity = Math.ceil((opts.retentionMs ?? 10 * 60_000) / this.intervalMs);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  onSample(listener: (s: StatsSample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): StatsSnapshot {
    return {
      intervalMs: this.intervalMs,
      latest: this.#history.at(-1) ?? null,
      history: [...this.#history],
    };
  }

  async #tick(): Promise<void> {
    const started = Date.now();
    try {
      const sample = await this.#sample();
      if (sample) {
        this.#history.push(sample);
        if (this.#history.length > this.#capacity) this.#history.shift();
        for (const l of this.#listeners) l(sample);
      }
    } catch (err) {
      console.error('spindle: sample failed', err);
    }
    if (!this.#running) return;
    // Reschedule after the tick finishes so ticks never overlap.
    const wait = Math.max(0, this.intervalMs - (Date.now() - started));
    this.#timer = setTimeout(() => void this.#tick(), wait);
  }

  async #sample(): Promise<StatsSample | null> {
    const t = Date.now();
    if (process.platform !== 'linux') {
      const load = await si.currentLoad();
      const toPct = (c: si.Systeminformation.CurrentLoadCpuData): CpuPct => ({
        user: c.load_user,
        nice: c.load_nice,
        system: c.load_system,
        idle: c.load_idle,
        iowait: 0,
        irq: c.load_irq,
        softirq: 0,
        steal: c.load_steal ?? 0,
        guest: c.load_guest ?? 0,
        busy: c.load,
      });
      return {
        t,
        cpu: {
          total: {
            ...toPct(load.cpus[0]!),
            busy: load.currentLoad,
            user: load.currentLoadUser,
            system: load.currentLoadSystem,
            idle: load.currentLoadIdle,
            nice: load.currentLoadNice,
            irq: load.currentLoadIrq,
          },
          cores: load.cpus.map(toPct),
        },
      };
    }
    const cur = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    const prev = this.#prev;
    this.#prev = cur;
    if (!prev) return null;
    return {
      t,
      cpu: {
        total: cpuPct(prev.total, cur.total),
        cores: cur.cores.map((c, i) => cpuPct(prev.cores[i] ?? c, c)),
      },
    };
  }
}
