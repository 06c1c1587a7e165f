/** Which machine-wide series a sample contributes to history, by name. */
import {
  CPU_MODES,
  type CpuPct,
  type HistoryWindow,
  type SeriesName,
  type StatsSample,
} from '../contract/stats';

const CPU_FIELDS = [...CPU_MODES, 'busy'] as const satisfies readonly (keyof CpuPct)[];

/** Per-core series names, built once: a tick names ten series per core (640 at 64 cores). */
const coreNames: SeriesName[][] = [];
const namesOfCore = (i: number): SeriesName[] =>
  (coreNames[i] ??= CPU_FIELDS.map((f) => `cpu${i}.${f}` as SeriesName));
const TOTAL_NAMES = CPU_FIELDS.map((f) => `cpu.${f}` as SeriesName);

/**
 * Visit every series value of one sample (null = not known this tick), without building
 * the list: the renderer does this every tick for every core.
 */
export function eachSeries(s: StatsSample, visit: (name: SeriesName, v: number | null) => void): void {
  for (let j = 0; j < CPU_FIELDS.length; j++) visit(TOTAL_NAMES[j]!, s.cpu.total[CPU_FIELDS[j]!]);
  const cores = s.cpu.cores;
  for (let i = 0; i < cores.length; i++) {
    const names = namesOfCore(i);
    const c = cores[i]!;
    for (let j = 0; j < CPU_FIELDS.length; j++) visit(names[j]!, c[CPU_FIELDS[j]!]);
  }
  visit('load.one', s.load?.one ?? null);
  visit('load.five', s.load?.five ?? null);
  visit('load.fifteen', s.load?.fifteen ?? null);
  const m = s.mem;
  visit('mem.total', m?.total ?? null);
  visit('mem.used', m?.used ?? null);
  visit('mem.available', m?.available ?? null);
  visit('mem.free', m?.free ?? null);
  visit('mem.buffers', m?.buffers ?? null);
  visit('mem.cached', m?.cached ?? null);
  visit('mem.swapTotal', m?.swapTotal ?? null);
  visit('mem.swapUsed', m?.swapUsed ?? null);
  const k = s.tasks;
  visit('tasks.processes', k.processes);
  visit('tasks.threads', k.threads);
  visit('tasks.running', k.running);
  visit('tasks.blocked', k.blocked);
  visit('tasks.ctxtPerSec', k.ctxtPerSec);
  visit('tasks.forksPerSec', k.forksPerSec);
  visit('self.cpuMs', s.self.cpuMs);
  visit('self.processCpuMs', s.self.processCpuMs);
  visit('self.rssBytes', s.self.rssBytes);
  visit('self.heapBytes', s.self.heapBytes);
}

/** Every series value of one sample (null = not known this tick). */
export function sampleSeries(s: StatsSample): [SeriesName, number | null][] {
  const out: [SeriesName, number | null][] = [];
  eachSeries(s, (name, v) => out.push([name, v]));
  return out;
}

/**
 * The sample at index `i` of a history window, rebuilt from its columns (the inverse of
 * `sampleSeries`), for replaying a snapshot. Unknown readings come back as NaN or null.
 */
export function sampleFromSeries(win: HistoryWindow, i: number, intervalMs: number): StatsSample {
  const v = (name: SeriesName): number | null => win.series[name]?.[i] ?? null;
  const n = (name: SeriesName): number => v(name) ?? Number.NaN;
  const cpu = (prefix: string): CpuPct =>
    Object.fromEntries(CPU_FIELDS.map((f) => [f, n(`${prefix}.${f}` as SeriesName)])) as unknown as CpuPct;
  let cores = 0;
  while (win.series[`cpu${cores}.busy` as SeriesName]) cores++;
  const has = (name: SeriesName): boolean => v(name) !== null;
  return {
    seq: i + 1,
    t: win.t[i] ?? 0,
    intervalMs,
    cpu: { total: cpu('cpu'), cores: Array.from({ length: cores }, (_, c) => cpu(`cpu${c}`)) },
    load: has('load.one') ? { one: n('load.one'), five: n('load.five'), fifteen: n('load.fifteen') } : null,
    mem: has('mem.total')
      ? {
          total: n('mem.total'),
          used: n('mem.used'),
          available: n('mem.available'),
          free: n('mem.free'),
          buffers: n('mem.buffers'),
          cached: n('mem.cached'),
          swapTotal: n('mem.swapTotal'),
          swapUsed: n('mem.swapUsed'),
        }
      : null,
    tasks: {
      processes: n('tasks.processes'),
      threads: n('tasks.threads'),
      running: v('tasks.running'),
      blocked: v('tasks.blocked'),
      ctxtPerSec: v('tasks.ctxtPerSec'),
      forksPerSec: v('tasks.forksPerSec'),
    },
    self: {
      pid: 0,
      cpuMs: n('self.cpuMs'),
      cpuSource: 'thread',
      processCpuMs: n('self.processCpuMs'),
      rssBytes: n('self.rssBytes'),
      heapBytes: n('self.heapBytes'),
    },
  };
}
