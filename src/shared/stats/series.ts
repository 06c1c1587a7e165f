/** Which machine-wide series a sample contributes to history, by name. */
import type { CpuPct, HistoryWindow, SeriesName, StatsSample } from '../contract/stats';

const CPU_FIELDS = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'busy',
] as const satisfies readonly (keyof CpuPct)[];

/** Every series value of one sample (null = not known this tick). */
export function sampleSeries(s: StatsSample): [SeriesName, number | null][] {
  const out: [SeriesName, number | null][] = [];
  for (const f of CPU_FIELDS) out.push([`cpu.${f}`, s.cpu.total[f]]);
  s.cpu.cores.forEach((c, i) => {
    for (const f of CPU_FIELDS) out.push([`cpu${i}.${f}`, c[f]]);
  });
  out.push(['load.one', s.load?.one ?? null], ['load.five', s.load?.five ?? null]);
  out.push(['load.fifteen', s.load?.fifteen ?? null]);
  const m = s.mem;
  out.push(['mem.total', m?.total ?? null], ['mem.used', m?.used ?? null]);
  out.push(['mem.available', m?.available ?? null], ['mem.free', m?.free ?? null]);
  out.push(['mem.buffers', m?.buffers ?? null], ['mem.cached', m?.cached ?? null]);
  out.push(['mem.swapTotal', m?.swapTotal ?? null], ['mem.swapUsed', m?.swapUsed ?? null]);
  const k = s.tasks;
  out.push(['tasks.processes', k.processes], ['tasks.threads', k.threads]);
  out.push(['tasks.running', k.running], ['tasks.blocked', k.blocked]);
  out.push(['tasks.ctxtPerSec', k.ctxtPerSec], ['tasks.forksPerSec', k.forksPerSec]);
  out.push(['self.cpuMs', s.self.cpuMs], ['self.processCpuMs', s.self.processCpuMs]);
  out.push(['self.rssBytes', s.self.rssBytes], ['self.heapBytes', s.self.heapBytes]);
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
