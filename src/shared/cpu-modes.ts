import type { CpuPct } from './contract/stats';

/** The kernel's CPU time modes (/proc/stat's columns), in its order; `busy` is derived from them. */
export const CPU_MODES = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
] as const satisfies readonly (keyof CpuPct)[];
