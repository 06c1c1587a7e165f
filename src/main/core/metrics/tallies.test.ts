import { describe, expect, it } from 'vitest';
import type { CpuPct, StatsSample, StatsTick } from '../../../shared/contract';
import { CPU_MODES, Tallies } from './tallies';

const pct = (user: number): CpuPct => ({
  user,
  nice: 0,
  system: 0,
  idle: 100 - user,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  guest: 0,
  busy: user,
});

const tick = (seq: number, t: number, user: number): StatsTick => ({
  sample: {
    seq,
    t,
    intervalMs: 1000,
    cpu: { total: pct(user), cores: [pct(user)] },
    load: null,
    mem: null,
    tasks: { processes: 1, threads: 1, running: 1, blocked: 0, ctxtPerSec: 1000, forksPerSec: 2 },
    self: { pid: 1, cpuMs: 5, cpuSource: 'thread', processCpuMs: 7, rssBytes: 1, heapBytes: 1 },
  } satisfies StatsSample,
  procs: { base: seq - 1, added: [], removed: [], changed: [], resync: [], count: 0 },
  top: [],
  interest: [],
});

/** Tallies fed literal ticks through the same listener the sampler calls. */
function fed(): { tallies: Tallies; send: (t: StatsTick) => void } {
  let listener: (t: StatsTick) => void = () => {};
  const tallies = new Tallies({
    sampler: { onSample: (l) => ((listener = l), () => {}), table: () => new Map(), lastTickMainMs: 0 },
    supervisor: { list: () => [], onManagedKeys: () => () => {} },
  });
  return { tallies, send: (t) => listener(t) };
}

describe('counters summed from the sampler’s rates', () => {
  it('weighs each sample by the real time since the previous one, late or not', () => {
    const { tallies, send } = fed();
    const user = (): number => tallies.cpu[0]![CPU_MODES.indexOf('user')]!;
    send(tick(1, 10_000, 50)); // the first sample: its span is unknown, it adds nothing
    expect(user()).toBe(0);
    send(tick(2, 13_000, 50)); // 3 s late on a loaded machine: 50 % of 3 s
    expect(user()).toBeCloseTo(1.5);
    expect(tallies.contextSwitches).toBeCloseTo(3000);
    // The sampler thread restarted: its sequence starts again, and that sample adds nothing.
    send(tick(1, 20_000, 100));
    expect(user()).toBeCloseTo(1.5);
    send(tick(2, 21_000, 100));
    expect(user()).toBeCloseTo(2.5);
    // Every mode of a core together is the wall time covered.
    expect(tallies.cpu[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(4);
    expect(tallies.samplerCpu).toBeCloseTo(0.02);
  });
});
