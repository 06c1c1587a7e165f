/** The history columns the overview draws: it cuts only these from the store's history. */
import type { SeriesName } from '../../../../shared/contract';
import { CPU_PARTS } from '../../lib/history-rows';
import { SMALL_MULTIPLES_MAX } from './core-charts';

const FIXED: SeriesName[] = [
  'cpu.busy',
  ...CPU_PARTS.map((p) => `cpu.${p}` as const),
  'load.one',
  'load.five',
  'load.fifteen',
  'mem.used',
  'mem.cached',
  'mem.swapUsed',
  'mem.total',
  'tasks.processes',
  'tasks.threads',
  'tasks.ctxtPerSec',
  'tasks.forksPerSec',
  'self.processCpuMs',
];

let memo: { cores: number; names: SeriesName[] } | null = null;

/** Series for a machine of `cores` cores: busy % per core, and the split where small multiples draw it. */
export function overviewSeries(cores: number): SeriesName[] {
  if (memo?.cores === cores) return memo.names;
  const names = [...FIXED];
  for (let i = 0; i < cores; i++) {
    names.push(`cpu${i}.busy`);
    if (cores <= SMALL_MULTIPLES_MAX) for (const p of CPU_PARTS) names.push(`cpu${i}.${p}`);
  }
  memo = { cores, names };
  return names;
}
