import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcDelta, ProcRow } from '../../../shared/contract';
import { applyProcDelta } from '../../../shared/stats/proc-delta';
import type { Collected, Collector } from './collector';
import { LinuxCollector } from './linux-collector';
import { SamplerLoop } from './sampler-loop';
import { DeltaEncoder, TICK_BYTES } from './tick-delta';
import { procRow } from '../../../test-utils/sampler-fixtures';

/** A row with a 500-byte command line, so a few dozen fill a tick's budget. */
const row = (pid: number, over: Partial<ProcRow> = {}): ProcRow =>
  procRow(pid, { cmd: 'x'.repeat(500), ...over });

const bytes = (d: ProcDelta): number => JSON.stringify(d).length;

describe('DeltaEncoder', () => {
  it('sends at most the budget a tick, the must rows exactly, and the rest on later ticks', () => {
    const enc = new DeltaEncoder();
    const old = Array.from({ length: 200 }, (_, i) => row(i + 1));
    enc.reset(old);
    const client = new Map(old.map((r) => [r.key, r]));
    // 1,000 rows appear, 100 change, 50 go: about 600 KB of news at once.
    const now = [
      ...old.slice(50).map((r, i) => (i < 100 ? { ...r, cpu: 5, rss: 7777 } : r)),
      ...Array.from({ length: 1000 }, (_, i) => row(1000 + i)),
    ];
    const must = new Set(['1000:1', '60:1']);
    let seq = 0;
    for (; seq < 100; seq++) {
      const d = enc.encode(now, seq, must, 20_000, () => false);
      expect(bytes(d)).toBeLessThanOrEqual(20_000);
      expect(applyProcDelta(client, seq, d)).toBe(true);
      // The rows that must be exact are, from the first tick.
      expect(client.get('1000:1')).toEqual(now.find((r) => r.key === '1000:1'));
      expect(client.get('60:1')).toEqual(now.find((r) => r.key === '60:1'));
      if (d.added.length + d.changed.length + d.removed.length === 0) break;
    }
    expect(client).toEqual(new Map(now.map((r) => [r.key, r])));
    expect(seq).toBeGreaterThan(20); // spread over many ticks, not one 600 KB event
  });

  it('removes a row of interest on the tick it goes, however full that tick is', () => {
    const enc = new DeltaEncoder();
    const mine = row(7, { key: `7:${'9'.repeat(60)}` });
    const old = [mine, ...Array.from({ length: 1000 }, (_, i) => row(100 + i))];
    enc.reset(old);
    const client = new Map(old.map((r) => [r.key, r]));
    // Every other row changed: more than the budget in changes alone, and mine is gone.
    const now = old.slice(1).map((r) => ({ ...r, cpu: 1, rss: 123456789 }));
    const d = enc.encode(now, 0, new Set([mine.key]), 20_000, () => false);
    expect(d.changed.length).toBeLessThan(now.length);
    expect(d.removed).toEqual([mine.key]);
    expect(applyProcDelta(client, 0, d)).toBe(true);
    expect(client.has(mine.key)).toBe(false);
  });

  it('a change left out for want of room is merged into the next one, never lost', () => {
    const enc = new DeltaEncoder();
    const a = [row(1), row(2)];
    enc.reset(a);
    const client = new Map(a.map((r) => [r.key, r]));
    const b = [row(1, { cpu: 9 }), row(2)];
    // Room for nothing but the frame: the change waits.
    const d1 = enc.encode(b, 0, new Set(), 130, () => false);
    expect(d1.changed).toEqual([]);
    expect(applyProcDelta(client, 0, d1)).toBe(true);
    const c = [row(1, { cpu: 9, rss: 5 }), row(2)];
    const d2 = enc.encode(c, 1, new Set(), 10_000, () => false);
    expect(d2.changed).toEqual([{ key: '1:1', cpu: 9, rss: 5 }]);
    expect(applyProcDelta(client, 1, d2)).toBe(true);
    expect(client.get('1:1')).toEqual(c[0]);
  });
});

const kids: ChildProcess[] = [];
afterEach(() => {
  for (const k of kids.splice(0)) k.kill('SIGKILL');
});

/** The collector the loop reads, keeping its last rows for the test to compare with. */
class Recording implements Collector {
  readonly source = 'procfs' as const;
  last: ProcRow[] = [];
  constructor(readonly inner: LinuxCollector) {}
  collect(focus: ReadonlySet<string>): Collected {
    const c = this.inner.collect(focus);
    this.last = c.rows;
    return c;
  }
}

describe.runIf(process.platform === 'linux')('stats ticks on the wire', () => {
  it(`stay within ${TICK_BYTES} bytes when 150 processes with long command lines start at once`, async () => {
    const rec = new Recording(new LinuxCollector());
    const loop = new SamplerLoop(rec, { intervalMs: 1000, topN: 20, resyncEvery: 30 });
    const client = new Map((await loop.prime()).map((r) => [r.key, r]));
    const me = rec.last.find((r) => r.pid === process.pid)!.key;
    loop.setFocus([me]);
    // `sleep` sums its arguments: 600 s, with a command line of about 1 KB.
    const args = ['600', ...Array<string>(500).fill('0')];
    await Promise.all(
      Array.from({ length: 150 }, () => {
        const k = spawn('sleep', args, { stdio: 'ignore' });
        kids.push(k);
        return once(k, 'spawn');
      }),
    );
    const pids = new Set(kids.map((k) => k.pid));
    let seq = 0;
    let ticks = 0;
    const seen = (): number => [...client.values()].filter((r) => pids.has(r.pid)).length;
    try {
      while (seen() < pids.size) {
        expect(++ticks).toBeLessThan(60);
        const t = await loop.tick();
        const wire = JSON.stringify({ event: 'stats', payload: { ...t, interest: [me] } }).length;
        expect(wire).toBeLessThanOrEqual(TICK_BYTES);
        expect(applyProcDelta(client, seq, t.procs)).toBe(true);
        seq = t.sample.seq;
        // What the window charts is exact on every tick: the top rows and the focus.
        for (const key of [...t.top, me])
          expect(client.get(key)).toEqual(rec.last.find((r) => r.key === key));
      }
    } finally {
      rec.inner.close();
    }
    // Over 150 KB of new rows: the old codec sent them in one tick; now they take several.
    expect(ticks).toBeGreaterThan(3);
    const mine = [...client.values()].find((r) => r.pid === kids[0]!.pid)!;
    expect(mine.cmd.length).toBeGreaterThan(1000);
  });
});
