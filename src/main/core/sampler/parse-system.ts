/** Parsers for machine-wide procfs files other than the CPU lines: /proc/stat counters, loadavg, meminfo. */
import type { LoadAvg, MemStats } from '../../../shared/contract';
import { field } from './parse-pid';

/** Counters and gauges from /proc/stat besides the CPU lines; null where this kernel lacks one. */
export interface StatCounters {
  ctxt: number | null;
  /** Forks since boot. */
  processes: number | null;
  running: number | null;
  blocked: number | null;
  /** Boot time, seconds since epoch. */
  btime: number | null;
}

const lineValue = (text: string, key: string): number | null => {
  const at = text.indexOf('\n' + key + ' ');
  if (at < 0) return null;
  const end = text.indexOf('\n', at + 1);
  const n = Number(text.slice(at + key.length + 2, end < 0 ? undefined : end).trim());
  return Number.isFinite(n) ? n : null;
};

/** Parse the non-CPU lines of /proc/stat. */
export function parseStatCounters(text: string): StatCounters {
  return {
    ctxt: lineValue(text, 'ctxt'),
    processes: lineValue(text, 'processes'),
    running: lineValue(text, 'procs_running'),
    blocked: lineValue(text, 'procs_blocked'),
    btime: lineValue(text, 'btime'),
  };
}

/** Parse /proc/loadavg (`0.12 0.31 0.18 7/108 5595`). */
export function parseLoadAvg(text: string): LoadAvg | null {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((v) => Number.isFinite(v))) return null;
  return { one: a!, five: b!, fifteen: c! };
}

/** Parse /proc/meminfo into bytes. Without MemAvailable (kernels < 3.14) available = free + buffers + cached. */
export function parseMemInfo(text: string): MemStats | null {
  const kb = (key: string): number | null => {
    const v = field(text, key);
    if (v === null) return null;
    const n = Number(v.replace(/\s*kB$/, ''));
    return Number.isFinite(n) ? n * 1024 : null;
  };
  const total = kb('MemTotal');
  const free = kb('MemFree');
  if (total === null || free === null) return null;
  const buffers = kb('Buffers') ?? 0;
  const cached = (kb('Cached') ?? 0) + (kb('SReclaimable') ?? 0);
  const available = kb('MemAvailable') ?? Math.min(total, free + buffers + cached);
  const swapTotal = kb('SwapTotal') ?? 0;
  const swapUsed = Math.max(0, swapTotal - (kb('SwapFree') ?? swapTotal));
  return { total, used: total - available, available, free, buffers, cached, swapTotal, swapUsed };
}
