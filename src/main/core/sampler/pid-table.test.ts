/**
 * The per-thread gate against a real multi-threaded process (the C fixture, whose commands run
 * on a second thread while main sleeps in join): skipped while no thread runs, read in full on
 * the tick after any thread ran, its fields then as /proc shows them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cFixture } from './c-fixture';
import { childLines } from './child-lines';
import { MAX_GATED_THREADS, PidTable } from './pid-table';
import { ProcReader } from './proc-reader';
import { liveTick } from '../../../test-utils/sampler-fixtures';
import { until } from '../../../shared/until';

const fixture = process.platform === 'linux' ? cFixture() : null;
const children: ChildProcess[] = [];
const tables: PidTable[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const t of tables.splice(0)) t.close();
});

const threadsOf = (pid: number) => readdirSync(`/proc/${pid}/task`).length;

describe.runIf(fixture)('PidTable gate on threads (real processes)', () => {
  it('skips an idle multi-threaded process, and reads it in full on the tick after any thread ran', async () => {
    const child = spawn(fixture!, ['cmd', 'mt'], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    const next = childLines(child.stdout!);
    expect(await next()).toBe('ready');
    const pid = child.pid!;
    /**
     * Every thread asleep again: the one that printed 'ok' still has to return from write and
     * block in read, and on a loaded machine a tick can land between (it ran: a read in full).
     */
    const settled = () =>
      until(() =>
        readdirSync(`/proc/${pid}/task`).every((tid) => {
          const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
          return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'S';
        }),
      );
    const send = async (line: string) => {
      child.stdin!.write(line + '\n');
      expect(await next()).toBe('ok');
      await settled();
    };
    const table = new PidTable('/proc', new ProcReader(), 1000);
    tables.push(table);
    let tick = 0;
    let parentRead = false;
    /** One tick reading the fixture (and its parent, listed so the parent check stays quiet). */
    const read = () => {
      do tick++;
      while ((pid + tick) % 15 === 0); // not on its slow turn, which reads it anyway
      const ctx = liveTick(tick, 2);
      table.list([pid, process.pid], tick);
      // The parent is read once, on the first tick taken (tick 1 is skipped when it is the
      // fixture's slow turn): a parent with no entry is a parent gone, which forces a full read.
      if (!parentRead) parentRead = table.read(process.pid, ctx) !== null;
      const before = table.fullReads;
      const row = table.read(pid, ctx)!;
      return { row, full: table.fullReads - before };
    };
    await settled(); // as after a command: the thread that printed 'ready' may still be running
    expect(read().full).toBe(1); // first sight
    expect(read().full).toBe(1); // threads listed, their run times taken: read once more
    expect(read().full).toBe(0); // nothing ran
    expect(read().full).toBe(0);

    await send('open 3'); // the command thread runs; main stays asleep in join
    const opened = read();
    expect(opened.full).toBe(1);
    expect(opened.row.fds).toBe(readdirSync(`/proc/${pid}/fd`).length);
    expect(read().full).toBe(0);

    await send('threads 3'); // 2 threads -> 5: made by a thread that ran
    const grown = read();
    expect(grown.full).toBe(1);
    expect(grown.row.threads).toBe(threadsOf(pid));
    expect(grown.row.threads).toBe(5);
    expect(read().full).toBe(1); // the new threads listed
    expect(read().full).toBe(0);

    await send(`threads ${MAX_GATED_THREADS}`); // past the gate's limit: read on every tick
    expect(read().row.threads).toBe(5 + MAX_GATED_THREADS);
    expect(read().full).toBe(1);
    expect(read().full).toBe(1);
    // Its threads' schedstat fds are given back: at most 6 files per row for it and the parent.
    expect(table.keptFds).toBeLessThanOrEqual(12);
  });
});
