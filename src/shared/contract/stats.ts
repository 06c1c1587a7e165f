import { z } from 'zod';
import { request } from './define';

/** CPU time split, in percent of that core (or of all cores for the total). */
export interface CpuPct {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  /** 100 - idle - iowait */
  busy: number;
}

/** One tick of system metrics. Fields later issues add are optional until they land. */
export interface StatsSample {
  /** ms since epoch */
  t: number;
  cpu: { total: CpuPct; cores: CpuPct[] };
}

/** What a new subscriber gets at once: the latest sample and the history window. */
export interface StatsSnapshot {
  intervalMs: number;
  latest: StatsSample | null;
  history: StatsSample[];
}

export const statsRequests = {
  /** Start receiving `stats` events; returns the current state and history. */
  'stats.subscribe': request<StatsSnapshot>()(z.object({}).strict().optional(), {
    control: false,
  }),
  'stats.unsubscribe': request<null>()(z.object({}).strict().optional(), { control: false }),
};

export interface StatsEvents {
  stats: StatsSample;
}
