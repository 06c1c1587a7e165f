/** Fixtures the sampler and stats tests share: a process row, and a tick context read now. */
import { readFileSync } from 'node:fs';
import type { ProcRow } from '../shared/contract';
import type { TickContext } from '../main/core/sampler/tick-context';

/** A sleeping process's row (key `pid:1`), with `over` on top. */
export const procRow = (pid: number, over: Partial<ProcRow> = {}): ProcRow => ({
  key: `${pid}:1`,
  pid,
  ppid: 1,
  name: 'p',
  cmd: 'p',
  user: 'root',
  state: 'S',
  cpu: 0,
  cpuNorm: 0,
  rss: 1000,
  vsize: 2000,
  threads: 1,
  fds: 3,
  startTime: 0,
  nice: 0,
  priority: 20,
  readBps: null,
  writeBps: null,
  ...over,
});

/** Tick `tick` of a 1 s interval, with the kernel's uptime and the clocks read now (Linux). */
export const liveTick = (tick: number, nCores = 1): TickContext => ({
  tick,
  dtSec: 1,
  nCores,
  nowMs: Date.now(),
  uptimeSec: Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]),
  mono: performance.now(),
  prevUptimeTicks: 0,
  focus: new Set(),
});
