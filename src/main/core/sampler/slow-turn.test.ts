/**
 * The slow turn against a real sleeping process: what only the process itself can change
 * (command line, I/O counters, and with the native gate its stat line) is not read again while
 * it does not run; what another process can change (nice by setpriority, memory) is followed
 * within `SLOW_EVERY` ticks. Reads are counted by a real ProcReader that names each file it
 * reads (a pread by its fd's link in /proc/self/fd).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureNative } from '../../../../scripts/ensure.mjs';
import { until } from '../../../test-utils/until';
import { loadCpuClocks } from './native-clock';
import { PidTable, SLOW_EVERY } from './pid-table';
import { ProcReader, type ReadFailure } from './proc-reader';
import { liveTick } from '../../../test-utils/sampler-fixtures';

const linux = process.platform === 'linux';
if (linux && process.env.SPINDLE_NO_NATIVE !== '1') ensureNative();
const native = linux ? loadCpuClocks() : null;

/** A ProcReader that records the path of every file it reads. */
class NamingReader extends ProcReader {
  paths: string[] = [];
  override read(path: string, limit?: number): number | ReadFailure {
    this.paths.push(path);
    return super.read(path, limit);
  }
  override pread(fd: number): number | ReadFailure {
    try {
      this.paths.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      /* closed under us: the read below says so */
    }
    return super.pread(fd);
  }
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Field 19 (nice) of a pid's stat line. */
const statNice = (pid: number): number => {
  const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[16]);
};

const gates = [
  { name: 'native gate', on: !!native?.clocks && !!native.prio },
  { name: 'schedstat gate', on: linux },
];

describe.each(gates)('the slow turn ($name)', ({ name, on }) => {
  it.runIf(on)(
    're-reads only what can change from outside, and follows a renice from another process',
    async () => {
      const isNative = name === 'native gate';
      const child = spawn('sleep', ['600'], { stdio: 'ignore' });
      children.push(child);
      await once(child, 'spawn');
      const pid = child.pid!;
      const reader = new NamingReader();
      const table = isNative
        ? new PidTable('/proc', reader, 256, native!.clocks, native!.prio)
        : new PidTable('/proc', reader, 256);
      let tick = 0;
      const step = (): { row: ReturnType<PidTable['read']>; paths: string[] } => {
        tick++;
        const ctx = liveTick(tick);
        // Its parent (this process) is listed too, or the parent check would read it every tick.
        table.list([process.pid, pid], tick);
        table.read(process.pid, ctx);
        reader.paths = [];
        const row = table.read(pid, ctx);
        table.sweep(tick);
        return { row, paths: reader.paths.filter((p) => p.startsWith(`/proc/${pid}/`)) };
      };
      try {
        // Until it has exec'd sleep and stopped running: a tick with no read of it at all.
        await until(() => step().paths.every((p) => p.endsWith('/schedstat')), { timeout: 10_000 });
        const files = new Map<string, number>();
        for (let i = 0; i < 2 * SLOW_EVERY; i++) {
          for (const p of step().paths) files.set(p, (files.get(p) ?? 0) + 1);
        }
        // Two slow turns: statm each time; never io or cmdline (only a thread of its own moves
        // them); with the native gate not stat either (nice and priority come from the addon).
        expect(files.get(`/proc/${pid}/statm`)).toBe(2);
        expect(files.has(`/proc/${pid}/io`)).toBe(false);
        expect(files.has(`/proc/${pid}/cmdline`)).toBe(false);
        expect(files.has(`/proc/${pid}/stat`)).toBe(!isNative);

        setPriority(pid, 7); // from this process: the sleeper does not run
        let row = step().row!;
        for (let i = 0; i < SLOW_EVERY && row.nice !== 7; i++) row = step().row!;
        expect(row.nice).toBe(statNice(pid));
        expect(row).toMatchObject({ nice: 7, priority: 27, cpu: 0 });
      } finally {
        table.close();
      }
    },
  );
});
