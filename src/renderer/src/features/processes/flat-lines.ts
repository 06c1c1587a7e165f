/**
 * The flat table's lines kept from one tick to the next. Sorting 5,000 rows every tick was
 * most of the Processes view's cost, yet a tick changes only some rows: rows are immutable
 * (the store replaces a changed row with a new object), so the unchanged ones keep their
 * order and only the changed ones are sorted and merged in.
 */
import type { ProcRow } from '../../../../shared/contract';
import {
  comparator,
  flatLines,
  sortRows,
  type CompiledFilter,
  type Line,
  type SortSpec,
} from './proc-table-model';

const lineOf = (row: ProcRow): Line => ({
  row,
  depth: 0,
  hasChildren: false,
  collapsed: false,
  subCpu: row.cpu,
  subRss: row.rss,
  subCount: 1,
  matches: true,
});

/** `flatLines`, recomputed incrementally across calls with the same sort and filter. */
export class FlatLines {
  #sort: SortSpec | null = null;
  #filter: CompiledFilter | null = null;
  /** Every row of the table as last seen (passing the filter or not), by key. */
  #seen = new Map<string, ProcRow>();
  /** Invariant: equals `flatLines(#seen.values(), #sort, #filter)`. */
  #lines: Line[] = [];

  /** The lines for `rows`; the same array when nothing changed since the last call. */
  update(rows: ReadonlyMap<string, ProcRow>, sort: SortSpec, filter: CompiledFilter): Line[] {
    if (sort !== this.#sort || filter !== this.#filter) return this.#full(rows, sort, filter);
    const seen = this.#seen;
    const changed: ProcRow[] = [];
    for (const row of rows.values()) {
      if (seen.get(row.key) === row) continue;
      changed.push(row);
      seen.set(row.key, row);
    }
    // `seen` holds every key of `rows` now, so a larger size means some rows left.
    const removed = seen.size !== rows.size;
    if (removed) for (const key of seen.keys()) if (!rows.has(key)) seen.delete(key);
    if (!changed.length && !removed) return this.#lines;
    // Past half the table changed, a plain sort is cheaper than sort-and-merge.
    if (changed.length * 2 > rows.size) return this.#full(rows, sort, filter);
    const kept = this.#lines.filter((l) => rows.get(l.row.key) === l.row);
    const fresh = sortRows(changed.filter(filter.test), sort);
    const cmp = comparator(sort);
    const out = new Array<Line>(kept.length + fresh.length);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < kept.length && j < fresh.length)
      out[o++] = cmp(kept[i]!.row, fresh[j]!) <= 0 ? kept[i++]! : lineOf(fresh[j++]!);
    while (i < kept.length) out[o++] = kept[i++]!;
    while (j < fresh.length) out[o++] = lineOf(fresh[j++]!);
    return (this.#lines = out);
  }

  #full(rows: ReadonlyMap<string, ProcRow>, sort: SortSpec, filter: CompiledFilter): Line[] {
    this.#sort = sort;
    this.#filter = filter;
    this.#seen = new Map(rows);
    return (this.#lines = flatLines(rows.values(), sort, filter));
  }
}
