import { describe, expect, it } from 'vitest';
import type { ProcRow } from '../../../../shared/contract';
import { FlatLines } from './flat-lines';
import { compileFilter, flatLines, type SortSpec } from './proc-table-model';

/** A small deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const row = (pid: number, rand: () => number): ProcRow => ({
  key: `${pid}:${pid * 10}`,
  pid,
  ppid: 1,
  name: ['node', 'bash', 'nginx', 'Zsh'][Math.floor(rand() * 4)]!,
  cmd: `/bin/x --n ${pid}`,
  user: rand() < 0.5 ? 'root' : 'alice',
  state: 'S',
  // Few distinct values, so ties (broken by pid) are common.
  cpu: Math.floor(rand() * 5),
  cpuNorm: 0,
  rss: Math.floor(rand() * 1000),
  vsize: 5000,
  threads: 1,
  fds: 3,
  startTime: pid,
  nice: 0,
  priority: 20,
  readBps: rand() < 0.3 ? null : Math.floor(rand() * 10),
  writeBps: null,
});

describe('FlatLines', () => {
  const sorts: SortSpec[] = [
    { key: 'cpu', dir: 'desc' },
    { key: 'rss', dir: 'asc' },
    { key: 'readBps', dir: 'desc' },
    { key: 'name', dir: 'asc' },
  ];

  it('gives what a full sort and filter gives, tick after tick', () => {
    for (const sort of sorts) {
      for (const filter of [
        compileFilter({ text: '', user: null, state: null }),
        compileFilter({ text: '', user: 'root', state: null }),
      ]) {
        const rand = rng(7);
        let pid = 1;
        const table = new Map<string, ProcRow>();
        for (; pid <= 300; pid++) table.set(`${pid}:${pid * 10}`, row(pid, rand));
        const flat = new FlatLines();
        for (let tick = 0; tick < 30; tick++) {
          // A few changes most ticks, a big churn now and then, and some ticks with none.
          const share = tick % 7 === 0 ? 0.8 : tick % 5 === 0 ? 0 : 0.1;
          for (const [key, r] of table) {
            if (rand() < share)
              table.set(key, { ...r, cpu: Math.floor(rand() * 5), rss: Math.floor(rand() * 1000) });
            else if (rand() < share / 4) table.delete(key);
          }
          for (let n = 0; n < share * 20; n++, pid++) table.set(`${pid}:${pid * 10}`, row(pid, rand));
          const got = flat.update(table, sort, filter).map((l) => l.row);
          expect(got).toEqual(flatLines(table.values(), sort, filter).map((l) => l.row));
        }
      }
    }
  });

  it('returns the same array when nothing changed, and starts over on a new sort', () => {
    const rand = rng(1);
    const table = new Map([1, 2, 3].map((p) => [`${p}:${p * 10}`, row(p, rand)] as const));
    const flat = new FlatLines();
    const all = compileFilter({ text: '', user: null, state: null });
    const a = flat.update(table, sorts[0]!, all);
    expect(flat.update(table, sorts[0]!, all)).toBe(a);
    expect(flat.update(table, { key: 'pid', dir: 'desc' }, all).map((l) => l.row.pid)).toEqual([3, 2, 1]);
  });
});
