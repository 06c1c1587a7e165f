/**
 * What a headless worker says about its host each second: cores, CPU busy %, load and memory,
 * read through the sampler's cheap procfs parsers (three small files, no process walk, no
 * systeminformation). Elsewhere than Linux, `os` gives load and memory and CPU busy stays null.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { parseLoadAvg, parseMemInfo } from '../../sampler/parse-system';
import { ProcReader } from '../../sampler/proc-reader';
import { cpuPct, parseProcStat, type CpuTimes } from '../../sampler/proc-stat';

/** The host half of a worker report (numbers; null when unknown). */
export interface HostFigures {
  cores: number;
  /** Busy share of all cores since the previous sample; null on the first one. */
  cpuBusyPct: number | null;
  /** Load average over 1, 5 and 15 minutes. */
  load: [number, number, number] | null;
  memTotalBytes: number | null;
  memUsedBytes: number | null;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Samples the host; keeps the previous CPU reading so each sample covers the time since the last. */
export class HostSampler {
  readonly #root: string;
  readonly #reader = new ProcReader(8 * 1024, 256 * 1024);
  #prev: CpuTimes | null = null;

  constructor(root = '/proc') {
    this.#root = root;
  }

  /** One reading; never throws (a missing file gives nulls). */
  sample(): HostFigures {
    const stat = this.#reader.text(`${this.#root}/stat`);
    if (typeof stat !== 'string') return this.#fallback();
    let cores = 0;
    let cpuBusyPct: number | null = null;
    try {
      const now = parseProcStat(stat);
      cores = now.cores.filter(Boolean).length;
      if (this.#prev) cpuBusyPct = round1(cpuPct(this.#prev, now.total).busy);
      this.#prev = now.total;
    } catch {
      return this.#fallback();
    }
    const loadText = this.#reader.text(`${this.#root}/loadavg`);
    const la = typeof loadText === 'string' ? parseLoadAvg(loadText) : null;
    const memText = this.#reader.text(`${this.#root}/meminfo`);
    const mem = typeof memText === 'string' ? parseMemInfo(memText) : null;
    return {
      cores: cores || cpus().length,
      cpuBusyPct,
      load: la ? [la.one, la.five, la.fifteen] : null,
      memTotalBytes: mem?.total ?? null,
      memUsedBytes: mem?.used ?? null,
    };
  }

  #fallback(): HostFigures {
    const [a = 0, b = 0, c = 0] = loadavg();
    const total = totalmem();
    return {
      cores: cpus().length,
      cpuBusyPct: null,
      load: [a, b, c],
      memTotalBytes: total,
      memUsedBytes: total - freemem(),
    };
  }
}
