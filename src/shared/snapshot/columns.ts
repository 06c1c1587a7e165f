import type { ProcRow } from '../contract';

/** Process table columns in CSV order. */
export const PROC_COLUMNS = [
  'pid',
  'ppid',
  'name',
  'user',
  'state',
  'cpu',
  'cpuNorm',
  'rss',
  'vsize',
  'threads',
  'fds',
  'nice',
  'priority',
  'readBps',
  'writeBps',
  'startTime',
  'key',
  'cmd',
] as const satisfies readonly (keyof ProcRow)[];
