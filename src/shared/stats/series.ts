/** Which machine-wide series a sample contributes to history, by name. */
import type { CpuPct, SeriesName, StatsSample } from '../contract/stats';

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
  return out;
}
