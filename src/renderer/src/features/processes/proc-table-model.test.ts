import { describe, expect, it } from 'vitest';
import type { ProcRow } from '../../../../shared/contract';
import {
  comparator,
  compileFilter,
  facets,
  flatLines,
  moveIndex,
  sortRows,
  treeLines,
  type FilterSpec,
} from './proc-table-model';

const row = (pid: number, ppid: number, over: Partial<ProcRow> = {}): ProcRow => ({
  key: `${pid}:${pid * 10}`,
  pid,
  ppid,
  name: `p${pid}`,
  cmd: `/bin/p${pid} --flag`,
  user: 'root',
  state: 'S',
  cpu: 0,
  cpuNorm: 0,
  rss: 1000,
  vsize: 5000,
  threads: 1,
  fds: 3,
  startTime: pid,
  nice: 0,
  priority: 20,
  readBps: null,
  writeBps: null,
  ...over,
});

const none: FilterSpec = { text: '', user: null, state: null };
const all = compileFilter(none);

describe('filter', () => {
  const rows = [
    row(1, 0, { name: 'init' }),
    row(20, 1, { name: 'nginx', user: 'www' }),
    row(30, 1, { name: 'sleep', cmd: 'sleep 987654', state: 'R' }),
  ];
  const names = (f: FilterSpec): string[] =>
    flatLines(rows, { key: 'pid', dir: 'asc' }, compileFilter(f)).map((l) => l.row.name);

  it('matches text in the name or command, case-insensitively, or an exact pid', () => {
    expect(names({ ...none, text: 'NGI' })).toEqual(['nginx']);
    expect(names({ ...none, text: '987654' })).toEqual(['sleep']);
    expect(names({ ...none, text: '20' })).toEqual(['nginx']);
  });

  it('takes /regex/ with flags, and says when the regex is invalid', () => {
    expect(names({ ...none, text: '/^(init|sleep)$/' })).toEqual(['init', 'sleep']);
    expect(names({ ...none, text: '/NGINX/i' })).toEqual(['nginx']);
    const bad = compileFilter({ ...none, text: '/(/' });
    expect(bad.error).toMatch(/invalid regular expression/);
    expect(bad.test(rows[0]!)).toBe(false);
  });

  it('filters by user and by state', () => {
    expect(names({ ...none, user: 'www' })).toEqual(['nginx']);
    expect(names({ ...none, state: 'R' })).toEqual(['sleep']);
    expect(facets(rows)).toEqual({ users: ['root', 'www'], states: ['R', 'S'] });
  });
});

describe('sort', () => {
  it('sorts by any column both ways, nulls last, ties by pid', () => {
    const rows = [
      row(3, 0, { cpu: 5, fds: null }),
      row(1, 0, { cpu: 50, fds: 9 }),
      row(2, 0, { cpu: 5, fds: 4 }),
    ];
    const pids = (key: 'cpu' | 'fds' | 'name', dir: 'asc' | 'desc'): number[] =>
      flatLines(rows, { key, dir }, all).map((l) => l.row.pid);
    expect(pids('cpu', 'desc')).toEqual([1, 2, 3]);
    expect(pids('cpu', 'asc')).toEqual([2, 3, 1]);
    expect(pids('fds', 'asc')).toEqual([2, 1, 3]);
    expect(pids('fds', 'desc')).toEqual([1, 2, 3]);
    expect(pids('name', 'desc')).toEqual([3, 2, 1]);
  });
});

describe('tree', () => {
  const rows = [
    row(1, 0, { cpu: 1, rss: 10 }),
    row(10, 1, { cpu: 2, rss: 20 }),
    row(11, 10, { cpu: 3, rss: 30, name: 'leaf' }),
    row(12, 10, { cpu: 4, rss: 40 }),
    row(20, 1, { cpu: 5, rss: 50 }),
    // Its parent's PID (20) started later than it: not its parent, a root of its own.
    row(5, 20, { startTime: 1 }),
  ];
  const sort = { key: 'pid', dir: 'asc' } as const;

  it('puts children under parents, deepest totals summed', () => {
    const lines = treeLines(rows, sort, all, new Set());
    expect(lines.map((l) => `${'-'.repeat(l.depth)}${l.row.pid}`)).toEqual([
      '1',
      '-10',
      '--11',
      '--12',
      '-20',
      '5',
    ]);
    const top = lines[0]!;
    expect(top).toMatchObject({ subCpu: 15, subRss: 150, subCount: 5, hasChildren: true });
    expect(lines[1]).toMatchObject({ subCpu: 9, subCount: 3 });
  });

  it('hides the descendants of a collapsed row but keeps its totals', () => {
    const lines = treeLines(rows, sort, all, new Set(['10:100']));
    expect(lines.map((l) => l.row.pid)).toEqual([1, 10, 20, 5]);
    expect(lines[1]).toMatchObject({ collapsed: true, subCount: 3 });
  });

  it('sorts siblings by the sort spec', () => {
    const lines = treeLines(rows, { key: 'cpu', dir: 'desc' }, all, new Set());
    expect(lines.map((l) => l.row.pid)).toEqual([1, 20, 10, 12, 11, 5]);
  });

  it('shows a match with its ancestors, marking which lines match', () => {
    const lines = treeLines(rows, sort, compileFilter({ ...none, text: 'leaf' }), new Set());
    expect(lines.map((l) => [l.row.pid, l.matches])).toEqual([
      [1, false],
      [10, false],
      [11, true],
    ]);
  });

  it('handles a very deep chain without recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => row(i + 2, i + 1, { startTime: i + 2 }));
    const lines = treeLines(chain, sort, all, new Set());
    expect(lines.length).toBe(20_000);
    expect(lines.at(-1)!.depth).toBe(19_999);
  });
});

describe('keyboard moves', () => {
  it('moves by one, by a page, to the ends, clamped', () => {
    expect(moveIndex('ArrowDown', -1, 10, 5)).toBe(0);
    expect(moveIndex('ArrowDown', 9, 10, 5)).toBe(9);
    expect(moveIndex('ArrowUp', 0, 10, 5)).toBe(0);
    expect(moveIndex('PageDown', 3, 10, 5)).toBe(8);
    expect(moveIndex('PageUp', 3, 10, 5)).toBe(0);
    expect(moveIndex('End', 3, 10, 5)).toBe(9);
    expect(moveIndex('Home', 3, 10, 5)).toBe(0);
    expect(moveIndex('x', 3, 10, 5)).toBeNull();
  });
});

describe('sortRows', () => {
  it('orders numeric columns exactly as the comparator does (nulls last, ties by pid)', () => {
    let s = 7;
    const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const rows = Array.from({ length: 500 }, (_, i) =>
      row(1000 - i, 1, {
        cpu: Math.floor(rand() * 6),
        readBps: rand() < 0.3 ? null : Math.floor(rand() * 4),
      }),
    );
    for (const key of ['cpu', 'readBps', 'pid'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const want = [...rows].sort(comparator({ key, dir })).map((r) => r.pid);
        expect(sortRows([...rows], { key, dir }).map((r) => r.pid)).toEqual(want);
      }
    }
  });
});
