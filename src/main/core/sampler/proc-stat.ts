/** Parse /proc/stat CPU lines and turn two readings into percentages. */
import type { CpuPct } from '../../../shared/contract';

/** Cumulative jiffies of one CPU line, in /proc/stat order. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

/** Parse the `cpu` and `cpuN` lines; fields a kernel lacks read as 0. */
export function parseProcStat(text: string): { total: CpuTimes; cores: CpuTimes[] } {
  let total: CpuTimes | null = null;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const parts = line.trim().split(/\s+/);
    const n = (i: number): number => Number(parts[i] ?? 0) || 0;
    const times: CpuTimes = {
      user: n(1),
      nice: n(2),
      system: n(3),
      idle: n(4),
      iowait: n(5),
      irq: n(6),
      softirq: n(7),
      steal: n(8),
      guest: n(9),
      guestNice: n(10),
    };
    if (parts[0] === 'cpu') total = times;
    else cores[Number(parts[0]!.slice(3))] = times;
  }
  if (!total) throw new Error('no cpu line in /proc/stat');
  return { total, cores };
}

/**
 * Percentages between two readings. The kernel counts guest time inside user time (and
 * guest_nice inside nice), so they are subtracted there to avoid counting them twice.
 */
export function cpuPct(prev: CpuTimes, cur: CpuTimes): CpuPct {
  const d = (k: keyof CpuTimes): number => Math.max(0, cur[k] - prev[k]);
  const guest = d('guest') + d('guestNice');
  const user = Math.max(0, d('user') - d('guest'));
  const nice = Math.max(0, d('nice') - d('guestNice'));
  const parts = {
    user,
    nice,
    system: d('system'),
    idle: d('idle'),
    iowait: d('iowait'),
    irq: d('irq'),
    softirq: d('softirq'),
    steal: d('steal'),
    guest,
  };
  const sum = Object.values(parts).reduce((a, b) => a + b, 0);
  const pct = (v: number): number => (sum > 0 ? (100 * v) / sum : 0);
  const out = {
    user: pct(parts.user),
    nice: pct(parts.nice),
    system: pct(parts.system),
    idle: pct(parts.idle),
    iowait: pct(parts.iowait),
    irq: pct(parts.irq),
    softirq: pct(parts.softirq),
    steal: pct(parts.steal),
    guest: pct(parts.guest),
  };
  return { ...out, busy: sum > 0 ? 100 - out.idle - out.iowait : 0 };
}
