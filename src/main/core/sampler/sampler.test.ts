import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcRow, StatsTick } from '../../../shared/contract';
import { applyProcDelta } from '../../../shared/stats/proc-delta';
import { StatsHistory } from '../../../shared/stats/stats-history';
import { Sampler } from './sampler';

let sampler: Sampler | null = null;
afterEach(() => {
  sampler?.stop();
  sampler = null;
});

/** Resolve with the next `n` ticks. */
function ticks(s: Sampler, n: number): Promise<StatsTick[]> {
  const got: StatsTick[] = [];
  return new Promise((resolve) => {
    const off = s.onSample((t) => {
      got.push(t);
      if (got.length === n) {
        off();
        resolve(got);
      }
    });
  });
}

describe.runIf(process.platform === 'linux')('Sampler (worker thread)', () => {
  it('streams ticks whose deltas rebuild the same table a new subscriber gets', async () => {
    sampler = new Sampler({ intervalMs: 250, resyncEvery: 4 });
    const snap0 = sampler.state();
    expect(snap0).toMatchObject({ seq: 0, latest: null, procs: [] });
    // A client that subscribes at the first tick: the table and seq it gets then.
    let table1: ProcRow[] = [];
    const first = sampler.onSample(() => {
      table1 = sampler!.state().procs;
      first();
    });
    sampler.start();
    const got = await ticks(sampler, 6);
    expect(got.map((t) => t.sample.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // The table came whole with the first reading (seq 0): the first delta builds on it, and
    // the next ones resend about a quarter of the rows whole.
    expect(got[0]!.procs.base).toBe(0);
    expect(got[0]!.procs.added.length).toBeLessThan(got[0]!.procs.count / 2);
    for (const t of got) expect(JSON.stringify(t).length).toBeLessThanOrEqual(30_000);
    // A client that took the table at the first tick and applies the stream holds exactly the
    // sampler's table; one that took it before the first reading (empty) must subscribe again.
    expect(applyProcDelta(new Map(), 0, got[0]!.procs)).toBe(false);
    const mine = new Map<string, ProcRow>(table1.map((r) => [r.key, r]));
    let seq = 1;
    let resent = 0;
    let roomy = 0;
    for (const t of got.slice(1)) {
      // The rolling resync: each tick resends whole the held rows of its turn (pid % 4), but for
      // the top rows (sent exact anyway), last and as room allows. So a row of the turn that
      // was held, is still there and was not resent means the tick had no room left for it (on
      // a loaded machine, new and changed processes fill the 30 KB first).
      const turn = (pid: number): boolean => pid % 4 === t.sample.seq % 4;
      for (const r of t.procs.resync) expect(turn(r.pid)).toBe(true);
      const gone = new Set(t.procs.removed);
      const top = new Set(t.top);
      const due = [...mine.values()].filter((r) => turn(r.pid) && !gone.has(r.key) && !top.has(r.key));
      const bytes = JSON.stringify(t).length;
      expect(applyProcDelta(mine, seq, t.procs)).toBe(true);
      // The encoder's estimate of the event's fixed part is at most a few hundred bytes high.
      const largest = Math.max(...[...mine.values()].map((r) => JSON.stringify(r).length));
      const full = bytes + largest + 1_000 > 30_000;
      if (t.procs.resync.length < due.length) expect(full).toBe(true);
      expect(due.length).toBeGreaterThan(0); // every turn has rows: the rule above was tested
      if (!full) roomy++;
      resent += t.procs.resync.length;
      seq = t.sample.seq;
    }
    // Some tick had room, so something was resent (unless every tick was full).
    if (roomy > 0) expect(resent).toBeGreaterThan(0);
    const snap = sampler.state();
    expect(snap.seq).toBe(6);
    expect(new Map(snap.procs.map((r) => [r.key, r]))).toEqual(mine);
    const me = snap.procs.find((r) => r.pid === process.pid);
    expect(me?.name).toBeTruthy();
    expect(me?.threads).toBeGreaterThan(1);
    const last = got.at(-1)!.sample;
    expect(last.self.pid).toBe(process.pid);
    expect(last.self.cpuMs).toBeGreaterThan(0);
    expect(last.mem?.total).toBeGreaterThan(0);
    expect(last.load).not.toBeNull();
    // The table is the one as sent: on a machine starting hundreds of processes at once (a
    // parallel test run) some rows wait for room in later ticks, so it matches the delta's
    // count, not this tick's process total (1,149 against 374 seen that way).
    expect(snap.procs.length).toBe(got.at(-1)!.procs.count);
    expect(last.tasks.processes).toBeGreaterThan(0);
    expect(snap.history.t).toHaveLength(6);
    expect(snap.history.series['cpu.busy']).toHaveLength(6);
    // Ticks never overlap and keep roughly to the interval.
    const gaps = got.slice(1).map((t, i) => t.sample.t - got[i]!.sample.t);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(200);
  });

  it('keeps per-process history for processes of interest and drops it when they exit', async () => {
    const child = spawn('sleep', ['30']);
    await once(child, 'spawn');
    sampler = new Sampler({ intervalMs: 250, topN: 0 });
    sampler.start();
    await ticks(sampler, 1);
    const row = [...sampler.table().values()].find((r) => r.pid === child.pid)!;
    sampler.setInterest('test', [row.key]);
    const [, second] = await ticks(sampler, 2);
    expect(sampler.state().history.procs[row.key]?.rss.at(-1)).toBe(row.rss);
    // The tick names it, so a window records the same series from its own table.
    expect(second!.interest).toEqual([row.key]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const [t] = await ticks(sampler, 1);
    expect(t!.procs.removed).toContain(row.key);
    expect(t!.interest).toEqual([]);
    expect(sampler.state().history.procs[row.key]).toBeUndefined();
  });

  it('ticks carry the tracked keys: a client recording top + interest holds the series core holds', async () => {
    const child = spawn('sleep', ['30']);
    await once(child, 'spawn');
    try {
      sampler = new Sampler({ intervalMs: 250, topN: 3 });
      sampler.start();
      const mine = new Map<string, ProcRow>();
      const history = new StatsHistory(60_000, 250);
      let seq = -1;
      const off = sampler.onSample((t) => {
        if (seq < 0) {
          // Subscribed at the first tick: the table and seq a subscriber gets then.
          for (const r of sampler!.state().procs) mine.set(r.key, r);
        } else expect(applyProcDelta(mine, seq, t.procs)).toBe(true);
        seq = t.sample.seq;
        history.push(t.sample, mine, t.top.concat(t.interest));
      });
      await ticks(sampler, 1);
      const key = [...sampler.table().values()].find((r) => r.pid === child.pid)!.key;
      sampler.setInterest('test', [key]);
      await ticks(sampler, 3);
      off();
      const core = sampler.state().history;
      const client = history.window();
      expect(client.procs[key]?.rss.filter((v) => v !== null).length).toBeGreaterThanOrEqual(3);
      // Same keys, same values, aligned to the same ticks (core started earlier by a tick at most).
      expect(Object.keys(client.procs).sort()).toEqual(Object.keys(core.procs).sort());
      for (const [k, p] of Object.entries(client.procs))
        expect(core.procs[k]!.rss.slice(-p.rss.length)).toEqual(p.rss);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('applies a new interval and retention', async () => {
    sampler = new Sampler({ intervalMs: 1000 });
    expect(sampler.configure({ intervalMs: 100, retentionMs: 60_000 })).toMatchObject({
      intervalMs: 250,
      retentionMs: 60_000,
    });
    sampler.start();
    const got = await ticks(sampler, 3);
    expect(got.at(-1)!.sample.intervalMs).toBe(250);
    expect(got.at(-1)!.sample.t - got[0]!.sample.t).toBeLessThan(2000);
    expect(() =>
      sampler!.setInterest(
        'x',
        Array.from({ length: 300 }, (_, i) => `${i}:1`),
      ),
    ).toThrow(/at most/);
  });
});
