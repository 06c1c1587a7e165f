/**
 * The fallback on systems without procfs: systeminformation's currentLoad, mem and
 * processes. Slower and poorer (no thread or fd counts, no iowait or softirq: those are null,
 * unknown, never 0), but the same shape. Keys use the start time in ms, since there is no boot-relative starttime.
 */
import os from 'node:os';
import si from 'systeminformation';
import type { CpuPct, ProcRow } from '../../../shared/contract';
import { round1, round2, type Collected, type Collector } from './collector';

const toPct = (c: si.Systeminformation.CurrentLoadCpuData): CpuPct => ({
  user: c.loadUser,
  nice: c.loadNice,
  system: c.loadSystem,
  idle: c.loadIdle,
  iowait: null,
  irq: c.loadIrq,
  softirq: null,
  steal: c.loadSteal ?? null,
  guest: c.loadGuest ?? null,
  busy: c.load,
});

export class SiCollector implements Collector {
  readonly source = 'systeminformation' as const;

  async collect(): Promise<Collected> {
    const t = Date.now();
    const [load, mem, procs] = await Promise.all([si.currentLoad(), si.mem(), si.processes()]);
    const nCores = Math.max(1, load.cpus.length);
    const rows: ProcRow[] = procs.list.map((p) => {
      const started = Date.parse(p.started);
      const startTime = Number.isFinite(started) ? started : 0;
      const cpu = round1(p.cpu * nCores); // si divides by the core count; rows use 100% = one core
      return {
        key: `${p.pid}:${startTime}`,
        pid: p.pid,
        ppid: p.parentPid,
        name: p.name,
        cmd: [p.command, p.params].filter(Boolean).join(' '),
        user: p.user || null,
        state: (p.state || '?').charAt(0).toUpperCase(),
        cpu,
        cpuNorm: round2(cpu / nCores),
        rss: p.memRss * 1024,
        vsize: p.memVsz * 1024,
        threads: null,
        fds: null,
        startTime,
        nice: p.nice,
        priority: p.priority,
        readBps: null,
        writeBps: null,
      };
    });
    const [one, five, fifteen] = os.loadavg() as [number, number, number];
    return {
      t,
      cpu: {
        total: {
          user: load.currentLoadUser,
          nice: load.currentLoadNice,
          system: load.currentLoadSystem,
          idle: load.currentLoadIdle,
          iowait: null,
          irq: load.currentLoadIrq,
          softirq: null,
          steal: load.currentLoadSteal ?? null,
          guest: load.currentLoadGuest ?? null,
          busy: load.currentLoad,
        },
        cores: load.cpus.map(toPct),
      },
      load: process.platform === 'win32' ? null : { one, five, fifteen },
      mem: {
        total: mem.total,
        used: mem.total - mem.available,
        available: mem.available,
        free: mem.free,
        buffers: mem.buffers,
        cached: mem.cached,
        swapTotal: mem.swaptotal,
        swapUsed: mem.swapused,
      },
      tasks: {
        processes: rows.length,
        threads: null,
        running: procs.running,
        blocked: procs.blocked,
        ctxtPerSec: null,
        forksPerSec: null,
      },
      rows,
    };
  }
}
