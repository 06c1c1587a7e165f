/**
 * The process table's flat sort, tick by tick: a full sort of every row (`flatLines`) against
 * the incremental sorter (`createFlatSorter`) on the same ticks, at 5,000 rows with 1 %, 5 %
 * and 30 % of them changing a tick (the synthetic machine of the renderer bench changes 30 %).
 * Both run on each tick in turn, in one process, and every incremental result is checked
 * against the full sort. `npx tsx bench/table-sort.ts` → bench/results/table-sort.json.
 */
import { pathToFileURL } from 'node:url';
import type { ProcRow } from '../src/shared/contract';
import {
  compileFilter,
  createFlatSorter,
  flatLines,
  type Line,
  type SortSpec,
} from '../src/renderer/src/features/processes/proc-table-model';
import { LiveProcTable } from '../src/renderer/src/features/stats/table-view';
import { procRow } from '../src/test-utils/sampler-fixtures';
import { writeResult } from './results';

const ROWS = 5000;
const TICKS = Number(process.env.SPINDLE_BENCH_TICKS ?? 400);

function machine(rate: number) {
  let s = 7;
  const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const mk = (pid: number): ProcRow =>
    procRow(pid, {
      name: `p${(pid * 7919) % ROWS}`,
      cpu: Math.round(rand() * rand() * 400) / 10,
      rss: Math.floor(rand() * 1e8),
    });

  const table = new LiveProcTable();
  const rows = Array.from({ length: ROWS }, (_, i) => mk(i + 1));
  const keys = rows.map((r) => r.key);
  let view = table.reset(rows, 0);
  let seq = 0;
  return {
    view: () => view,
    tick(): void {
      const changed = [];
      for (const key of keys)
        if (rand() < rate)
          changed.push({ key, cpu: Math.round(rand() * rand() * 400) / 10, rss: Math.floor(rand() * 1e8) });
      table.apply({ base: seq, added: [], removed: [], changed, resync: [], count: ROWS }, seq + 1);
      seq++;
      view = table.view();
    },
  };
}

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function run(): Promise<void> {
  const sort: SortSpec = { key: 'cpu', dir: 'desc' };
  const all = compileFilter({ text: '', user: null, state: null });
  const out: Record<string, unknown>[] = [];
  for (const rate of [0.01, 0.05, 0.3]) {
    const m = machine(rate);
    const sorter = createFlatSorter();
    sorter(m.view(), sort, all);
    const full: number[] = [];
    const inc: number[] = [];
    for (let t = 0; t < TICKS; t++) {
      m.tick();
      // Alternate which goes first, so neither always pays for the other's garbage.
      const first = t % 2 === 0;
      let a = 0;
      let b = 0;
      let want: Line[] = [];
      let got: Line[] = [];
      for (const which of first ? ['full', 'inc'] : ['inc', 'full']) {
        const t0 = performance.now();
        if (which === 'full') want = flatLines(m.view().values(), sort, all);
        else got = sorter(m.view(), sort, all);
        if (which === 'full') a = performance.now() - t0;
        else b = performance.now() - t0;
      }
      if (got.length !== want.length || got.some((l, i) => l.row !== want[i]!.row))
        throw new Error(`incremental sort differs at tick ${t}`);
      // The first ticks warm the JIT.
      if (t >= 20) {
        full.push(a);
        inc.push(b);
      }
    }
    out.push({
      changedPct: rate * 100,
      fullP50Ms: r3(pct(full, 50)),
      incrementalP50Ms: r3(pct(inc, 50)),
      fullP95Ms: r3(pct(full, 95)),
      incrementalP95Ms: r3(pct(inc, 95)),
      ratioP50: r3(pct(inc, 50) / pct(full, 50)),
    });
  }
  console.table(out);
  writeResult('table-sort', {
    rows: ROWS,
    ticks: TICKS,
    sort,
    note: 'ms per tick; ratio = incremental / full at p50 (below 1: the incremental sorter is cheaper)',
    results: out,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
