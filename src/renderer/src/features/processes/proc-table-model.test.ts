import { describe, expect, it } from 'vitest';
import type { ProcRow } from '../../../../shared/contract';
import {
  comparator,
  compileFilter,
  assignSlots,
  createFlatSorter,
  facets,
  flatLines,
  moveIndex,
  sortRows,
  treeLines,
  type FilterSpec,
} from './proc-table-model';
import { LiveProcTable } from '../stats/table-view';

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
  it('sorts CPU by the tenths it shows, so rows that read the same keep PID order', () => {
    const rows = [
      row(3, 0, { cpu: 0.04 }),
      row(1, 0, { cpu: 0.01 }),
      row(5, 0, { cpu: 0.26 }),
      row(2, 0, { cpu: 0 }),
      row(4, 0, { cpu: 0.31 }),
    ];
    // 0.26 and 0.31 both read "0.3"; 0.04, 0.01 and 0 all read "0.0".
    expect(sortRows([...rows], { key: 'cpu', dir: 'desc' }).map((r) => r.pid)).toEqual([4, 5, 1, 2, 3]);
    expect(sortRows([...rows], { key: 'cpu', dir: 'asc' }).map((r) => r.pid)).toEqual([1, 2, 3, 4, 5]);
    expect([...rows].sort(comparator({ key: 'cpu', dir: 'desc' })).map((r) => r.pid)).toEqual([
      4, 5, 1, 2, 3,
    ]);
  });

  it('orders numeric columns exactly as the comparator does (nulls last, ties by pid)', () => {
    let s = 7;
    const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const rows = Array.from({ length: 500 }, (_, i) =>
      row(1000 - i, 1, {
        // Hundredths: the comparator and the sort must both tie on the shown tenths.
        cpu: Math.floor(rand() * 60) / 100,
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

describe('createFlatSorter', () => {
  // A machine whose rows are added, changed and removed at random, ticks applied through the
  // live table as the window applies them. Every call must equal a full sort of the table.
  function machine(seed: number) {
    let s = seed;
    const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const table = new LiveProcTable();
    let nextPid = 1;
    const rows = new Map<string, ProcRow>();
    const fresh = (): ProcRow => {
      const pid = nextPid++;
      return row(pid, 1, {
        // Few distinct values: many ties, broken by pid; CPU in hundredths, sorted on tenths.
        cpu: Math.floor(rand() * 40) / 100,
        rss: Math.floor(rand() * 8) * 1000,
        readBps: rand() < 0.3 ? null : Math.floor(rand() * 4),
        name: `n${Math.floor(rand() * 20)}`,
        user: rand() < 0.5 ? 'root' : 'me',
      });
    };
    for (let i = 0; i < 300; i++) {
      const r = fresh();
      rows.set(r.key, r);
    }
    let seq = 0;
    let view = table.reset([...rows.values()], seq);
    /** One tick touching about `rate` of the rows. */
    const tick = (rate: number): void => {
      const added: ProcRow[] = [];
      const removed: string[] = [];
      const changed: { key: string; cpu: number; rss: number; readBps: number | null }[] = [];
      for (const r of rows.values()) {
        const u = rand();
        if (u < rate / 3) removed.push(r.key);
        else if (u < rate)
          changed.push({
            key: r.key,
            cpu: Math.floor(rand() * 40) / 100,
            rss: Math.floor(rand() * 8) * 1000,
            readBps: rand() < 0.3 ? null : Math.floor(rand() * 4),
          });
      }
      for (let i = rand() * rate * 100; i > 0; i--) added.push(fresh());
      for (const k of removed) rows.delete(k);
      for (const r of added) rows.set(r.key, r);
      for (const c of changed) rows.set(c.key, { ...rows.get(c.key)!, ...c });
      expect(table.apply({ base: seq, added, removed, changed, resync: [], count: rows.size }, seq + 1)).toBe(
        true,
      );
      seq++;
      view = table.view();
    };
    return { tick, view: () => view, rand };
  }

  it("gives a full sort's lines on every tick, for every sort, with and without a filter", () => {
    for (const [i, key] of (['cpu', 'rss', 'readBps', 'pid', 'name', 'user'] as const).entries()) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const filter of [all, compileFilter({ text: 'n1', user: null, state: null })]) {
          const m = machine(i * 7 + (dir === 'asc' ? 1 : 2));
          const sorter = createFlatSorter();
          for (let t = 0; t < 60; t++) {
            // Mostly calm ticks (the sorter's own path), some busy ones (a full sort), ticks
            // that touch one row or none, and calls that skip a tick (two ticks' changes).
            m.tick(t % 10 === 9 ? 0.6 : t % 7 === 3 ? 0.004 : 0.04);
            if (m.rand() < 0.3) m.tick(0.04);
            const before = sorter(m.view(), { key, dir }, filter);
            const want = flatLines(m.view().values(), { key, dir }, filter).map((l) => l.row);
            expect(before.map((l) => l.row)).toEqual(want);
          }
        }
      }
    }
  });

  it('keeps the line objects of rows a tick did not touch', () => {
    const m = machine(3);
    const sorter = createFlatSorter();
    const sort = { key: 'cpu', dir: 'desc' } as const;
    const first = sorter(m.view(), sort, all);
    m.tick(0.04);
    const second = sorter(m.view(), sort, all);
    const old = new Map(first.map((l) => [l.row.key, l]));
    let kept = 0;
    for (const l of second) {
      const o = old.get(l.row.key);
      if (o && o.row === l.row) {
        expect(l).toBe(o);
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(second.length / 2);
    // A call with nothing changed returns the same array.
    expect(sorter(m.view(), sort, all)).toBe(second);
  });

  it('starts over on a new sort, a new filter, or a table that cannot say what changed', () => {
    const m = machine(5);
    const sorter = createFlatSorter();
    sorter(m.view(), { key: 'cpu', dir: 'desc' }, all);
    m.tick(0.04);
    const asc = sorter(m.view(), { key: 'cpu', dir: 'asc' }, all);
    expect(asc.map((l) => l.row)).toEqual(
      flatLines(m.view().values(), { key: 'cpu', dir: 'asc' }, all).map((l) => l.row),
    );
    const plain = new Map(m.view());
    const f = compileFilter({ text: 'n2', user: null, state: null });
    expect(sorter(plain, { key: 'cpu', dir: 'asc' }, f).map((l) => l.row)).toEqual(
      flatLines(plain.values(), { key: 'cpu', dir: 'asc' }, f).map((l) => l.row),
    );
  });
});

describe('assignSlots', () => {
  it('keeps the slot of a row still in view and gives a row coming into view a slot one left', () => {
    const a = assignSlots(new Map(), ['a', 'b', 'c']);
    expect([...a]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    // b leaves, d comes: d takes b's slot; a and c stay where they are, whatever the order.
    const b = assignSlots(a, ['c', 'd', 'a']);
    expect(Object.fromEntries(b)).toEqual({ a: 0, c: 2, d: 1 });
    // More rows in view: new slots past the used ones. Fewer: the rest keep theirs.
    const c = assignSlots(b, ['e', 'a', 'f', 'd']);
    expect(Object.fromEntries(c)).toEqual({ a: 0, d: 1, e: 2, f: 3 });
    expect(Object.fromEntries(assignSlots(c, ['f']))).toEqual({ f: 3 });
    // The same keys again: the same slots (a render run twice agrees with itself).
    expect(assignSlots(c, ['e', 'a', 'f', 'd'])).toEqual(c);
  });

  it('never gives two rows one slot, and stays below the most rows ever in view', () => {
    let s = 11;
    const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    let slots = new Map<string, number>();
    for (let t = 0; t < 500; t++) {
      const n = 20 + Math.floor(rand() * 20);
      const keys = Array.from({ length: n }, () => `k${Math.floor(rand() * 200)}`);
      const unique = [...new Set(keys)];
      slots = assignSlots(slots, unique);
      expect(slots.size).toBe(unique.length);
      expect(new Set(slots.values()).size).toBe(unique.length);
      expect(Math.max(...slots.values())).toBeLessThan(40);
    }
  });
});
