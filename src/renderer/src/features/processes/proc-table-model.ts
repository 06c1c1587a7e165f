/**
 * The process table's pure logic: filter (text or /regex/, user, state), sort by any
 * column, and the tree with collapse and subtree totals. No DOM: unit-tested with literals.
 */
import { PROC_FIELD_NAMES, PROC_FIELDS, type ProcField, type ProcRow } from '../../../../shared/contract';

/** Columns a row can be sorted by: every ProcRow field but the key and cpuNorm (shown in the CPU tooltip). */
export type SortKey = Exclude<ProcField, 'key' | 'cpuNorm'>;

export interface SortSpec {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface FilterSpec {
  /** Plain text (case-insensitive substring of name, command, user or pid), or `/regex/flags`. */
  text: string;
  user: string | null;
  state: string | null;
}

/** One visible line of the table. Flat mode: depth 0 and no subtree fields that matter. */
export interface Line {
  row: ProcRow;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
  /** Totals over the row and all its descendants (tree mode; the row's own values in flat mode). */
  subCpu: number;
  subRss: number;
  subCount: number;
  /** False for an ancestor shown only so a matching descendant has its place in the tree. */
  matches: boolean;
}

/** A compiled filter: the predicate, and an error message when the regex is invalid. */
export interface CompiledFilter {
  test: (row: ProcRow) => boolean;
  error: string | null;
  active: boolean;
}

const REGEX = /^\/(.+)\/([a-z]*)$/;

/** Turn the filter inputs into one predicate. An invalid regex matches nothing and says why. */
export function compileFilter(f: FilterSpec): CompiledFilter {
  const text = f.text.trim();
  let textTest: ((r: ProcRow) => boolean) | null = null;
  let error: string | null = null;
  const m = REGEX.exec(text);
  if (m) {
    try {
      const re = new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
      textTest = (r) => re.test(r.name) || re.test(r.cmd) || re.test(String(r.pid));
    } catch (err) {
      error = `invalid regular expression: ${(err as Error).message}`;
      textTest = () => false;
    }
  } else if (text) {
    const needle = text.toLowerCase();
    textTest = (r) =>
      r.name.toLowerCase().includes(needle) ||
      r.cmd.toLowerCase().includes(needle) ||
      (r.user ?? '').toLowerCase() === needle ||
      String(r.pid) === needle;
  }
  const { user, state } = f;
  const active = !!textTest || user !== null || state !== null;
  return {
    active,
    error,
    test: (r) =>
      (!textTest || textTest(r)) &&
      (user === null || r.user === user) &&
      (state === null || r.state === state),
  };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The value a numeric column sorts by: what the cell shows. CPU % shows one decimal, so it
 * sorts on tenths: rows that read the same (an idle machine's hundreds of "0.0") keep PID
 * order instead of trading places every tick on differences no one can see. The exact value
 * is in the cell's tooltip.
 */
export function sortValue(key: SortKey, v: number): number {
  return key === 'cpu' ? Math.round(v * 10) : v;
}

/** A comparator for a sort spec; ties fall back to pid so order is stable between updates. */
export function comparator(sort: SortSpec): (a: ProcRow, b: ProcRow) => number {
  const k = sort.key;
  const sign = sort.dir === 'asc' ? 1 : -1;
  const textual = k === 'name' || k === 'user' || k === 'state' || k === 'cmd';
  return (a, b) => {
    let c: number;
    if (textual) c = collator.compare((a[k] as string | null) ?? '', (b[k] as string | null) ?? '');
    else {
      // null (not permitted) sorts below every number whichever the direction.
      const x = a[k] as number | null;
      const y = b[k] as number | null;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        c = 0;
      } else c = sortValue(k, x) - sortValue(k, y);
    }
    return c !== 0 ? c * sign : a.pid - b.pid;
  };
}

const flatLine = (row: ProcRow): Line => ({
  row,
  depth: 0,
  hasChildren: false,
  collapsed: false,
  subCpu: row.cpu,
  subRss: row.rss,
  subCount: 1,
  matches: true,
});

/** Flat mode: the rows that pass, sorted. */
export function flatLines(rows: Iterable<ProcRow>, sort: SortSpec, filter: CompiledFilter): Line[] {
  let out: ProcRow[];
  if (filter.active) {
    out = [];
    for (const r of rows) if (filter.test(r)) out.push(r);
  } else out = Array.from(rows);
  return sortRows(out, sort).map(flatLine);
}

/** A table that can say which rows changed between two of its views (the live table). */
export interface ChangingRows extends ReadonlyMap<string, ProcRow> {
  /** Keys added or replaced, and keys removed, since `earlier`; null when it cannot tell. */
  changedSince?(
    earlier: ReadonlyMap<string, ProcRow>,
  ): { changed: readonly string[]; removed: readonly string[] } | null;
}

/**
 * Flat mode from one tick to the next, with the same lines as `flatLines`. The table replaces
 * a row's object when its figures change and never mutates one (`applyProcDelta`), so a row
 * the table did not touch filters and sorts as it did: its line keeps its place among the
 * other untouched lines. Only the rows added, replaced or removed since the last call are
 * looked at: each old line to drop and each new row to put in is found by binary search, and
 * the runs between are copied. O(n + k log n) for k touched rows, with no per-row lookups,
 * instead of a sort of all n; untouched lines keep their objects, so a tick allocates for
 * what changed alone. A new sort or filter, or a table that cannot say what changed, starts
 * over. A pure cache: every call returns `flatLines`' result (a test holds it to that).
 */
export function createFlatSorter(): (rows: ChangingRows, sort: SortSpec, filter: CompiledFilter) => Line[] {
  let lastSort: SortSpec | null = null;
  let lastFilter: CompiledFilter | null = null;
  let lastRows: ChangingRows | null = null;
  let lines: Line[] = [];
  // Numeric sorts: each line's `keyOf` and pid, in line order (reading `row[key]` in a
  // search costs a keyed load per step; these are read once per row).
  let keys = new Float64Array(0);
  let pids = new Float64Array(0);
  let byKey = new Map<string, Line>();
  let indexed = false;
  return (rows, sort, filter) => {
    const same = lastSort?.key === sort.key && lastSort.dir === sort.dir && lastFilter === filter;
    const since = same && lastRows ? (rows.changedSince?.(lastRows) ?? null) : null;
    lastSort = sort;
    lastFilter = filter;
    lastRows = rows;
    const numeric = !TEXT_KEYS.has(sort.key);
    const keyOf = numeric ? keyReader(sort) : () => 0;
    const index = (): void => {
      indexed = true;
      byKey = new Map(lines.map((l) => [l.row.key, l]));
      keys = new Float64Array(numeric ? lines.length : 0);
      pids = new Float64Array(numeric ? lines.length : 0);
      if (numeric)
        for (let i = 0; i < lines.length; i++) {
          keys[i] = keyOf(lines[i]!.row);
          pids[i] = lines[i]!.row.pid;
        }
    };
    // A full sort; the index is built again when a later tick needs it.
    const full = (): Line[] => {
      indexed = false;
      return (lines = flatLines(rows.values(), sort, filter));
    };
    const touched = since ? since.changed.length + since.removed.length : 0;
    // Past about a fifth of the rows, hash lookups per touched row cost more than a full
    // sort (measured at 5,000 rows).
    if (!since || touched > lines.length / 5 + 64) return full();
    if (touched === 0) return lines;
    if (!indexed) index();
    const cmp = comparator(sort);
    // How many old lines go before a row with key `x` (numeric sorts) or before `row`.
    const at = (row: ProcRow, x: number): number => {
      let lo = 0;
      let hi = lines.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (numeric ? precedes(keys[mid]!, pids[mid]!, x, row.pid) : cmp(lines[mid]!.row, row) < 0)
          lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    // Each touched key once, however many ticks listed it: drop its old line, if any, and
    // put in its current row, if it has one that passes the filter.
    const done = new Set<string>();
    const drop: number[] = [];
    const fresh: Line[] = [];
    for (const k of since.removed.concat(since.changed)) {
      if (done.has(k)) continue;
      done.add(k);
      const old = byKey.get(k);
      if (old) {
        const i = at(old.row, keyOf(old.row));
        // Not where its row sorts: a row was changed in place. Sort everything again.
        if (lines[i] !== old) return full();
        drop.push(i);
        byKey.delete(k);
      }
      const r = rows.get(k);
      if (r && filter.test(r)) {
        const l = flatLine(r);
        byKey.set(k, l);
        fresh.push(l);
      }
    }
    // A typed array sorts numerically without a comparator call per step.
    const drops = Uint32Array.from(drop).sort();
    // The new lines in sort order, with their keys, and where each goes among the old lines.
    let added = fresh;
    const addKeys = new Float64Array(numeric ? fresh.length : 0);
    if (numeric) {
      const k = new Float64Array(fresh.length);
      const p = new Float64Array(fresh.length);
      for (let j = 0; j < fresh.length; j++) {
        k[j] = keyOf(fresh[j]!.row);
        p[j] = fresh[j]!.row.pid;
      }
      const idx = sortIndex(k, p);
      added = Array.from(idx, (j) => fresh[j]!);
      for (let j = 0; j < idx.length; j++) addKeys[j] = k[idx[j]!]!;
    } else fresh.sort((a, b) => cmp(a.row, b.row));
    const addAt = new Uint32Array(added.length);
    for (let j = 0; j < added.length; j++) addAt[j] = at(added[j]!.row, numeric ? addKeys[j]! : 0);
    const n = lines.length - drops.length + added.length;
    const out = new Array<Line>(n);
    const outKeys = new Float64Array(numeric ? n : 0);
    const outPids = new Float64Array(numeric ? n : 0);
    let i = 0;
    let o = 0;
    let d = 0;
    const copyTo = (end: number): void => {
      for (; i < end; i++) {
        if (d < drops.length && drops[d] === i) {
          d++;
          continue;
        }
        out[o] = lines[i]!;
        if (numeric) {
          outKeys[o] = keys[i]!;
          outPids[o] = pids[i]!;
        }
        o++;
      }
    };
    for (let j = 0; j < added.length; j++) {
      copyTo(addAt[j]!);
      out[o] = added[j]!;
      if (numeric) {
        outKeys[o] = addKeys[j]!;
        outPids[o] = added[j]!.row.pid;
      }
      o++;
    }
    copyTo(lines.length);
    keys = outKeys;
    pids = outPids;
    return (lines = out);
  };
}

const TEXT_KEYS = new Set<ProcField>(PROC_FIELD_NAMES.filter((f) => PROC_FIELDS[f].kind === 'text'));

/**
 * Sort rows by a spec. Numeric columns are read once into typed arrays and indices sorted by
 * them with an inlined merge sort: reading `row[key]` inside a comparator (a keyed load per
 * comparison), and even a comparator call per comparison, were most of the table's cost per
 * tick at 5,000 rows. The order is exactly `comparator(sort)`'s.
 */
export function sortRows(rows: ProcRow[], sort: SortSpec): ProcRow[] {
  if (TEXT_KEYS.has(sort.key)) return rows.sort(comparator(sort));
  const n = rows.length;
  const keyOf = keyReader(sort);
  const keys = new Float64Array(n);
  const pids = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = keyOf(rows[i]!);
    pids[i] = rows[i]!.pid;
  }
  const idx = sortIndex(keys, pids);
  const out = new Array<ProcRow>(n);
  for (let i = 0; i < n; i++) out[i] = rows[idx[i]!]!;
  return out;
}

type TextKey = { [K in SortKey]: (typeof PROC_FIELDS)[K]['kind'] extends 'text' ? K : never }[SortKey];

/**
 * Named reads of each numeric column. `row[key]` with a variable key, in a loop over
 * thousands of rows of several shapes, is a megamorphic keyed load: a third of the incremental
 * sort's time in a profile. Each of these is a plain property read.
 */
const READ: { [K in Exclude<SortKey, TextKey>]: (r: ProcRow) => number | null } = {
  pid: (r) => r.pid,
  ppid: (r) => r.ppid,
  cpu: (r) => r.cpu,
  rss: (r) => r.rss,
  vsize: (r) => r.vsize,
  threads: (r) => r.threads,
  fds: (r) => r.fds,
  nice: (r) => r.nice,
  priority: (r) => r.priority,
  readBps: (r) => r.readBps,
  writeBps: (r) => r.writeBps,
  startTime: (r) => r.startTime,
};

/**
 * A numeric column's sort key of a row: the shown value times the direction (so the sort is
 * always ascending), NaN for null.
 */
function keyReader(sort: SortSpec): (row: ProcRow) => number {
  const read = READ[sort.key as Exclude<SortKey, TextKey>];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return (row) => {
    const v = read(row);
    return v === null ? NaN : sortValue(sort.key, v) * sign;
  };
}

/** Whether key `x` of pid `p` goes before key `y` of pid `q`: ascending, NaN (null) last, ties by pid. */
function precedes(x: number, p: number, y: number, q: number): boolean {
  if (x < y) return true;
  if (x > y) return false;
  if (x === y) return p < q;
  // One or both NaN: a number goes before null, two nulls by pid.
  if (Number.isNaN(x)) return Number.isNaN(y) && p < q;
  return true;
}

/** Whether row `a` goes before row `b` in `sortIndex`'s arrays. */
function before(keys: Float64Array, pids: Float64Array, a: number, b: number): boolean {
  return precedes(keys[a]!, pids[a]!, keys[b]!, pids[b]!);
}

const RUN = 8;

/** Indices 0..n-1 in `before` order: insertion-sorted runs, then bottom-up merges. */
function sortIndex(keys: Float64Array, pids: Float64Array): Uint32Array {
  const n = keys.length;
  let src = new Uint32Array(n);
  let dst = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const v = src[i]!;
      let j = i - 1;
      for (; j >= lo && before(keys, pids, v, src[j]!); j--) src[j + 1] = src[j]!;
      src[j + 1] = v;
    }
  }
  for (let w = RUN; w < n; w *= 2) {
    for (let lo = 0; lo < n; lo += 2 * w) {
      const mid = Math.min(n, lo + w);
      const hi = Math.min(n, lo + 2 * w);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) dst[o++] = before(keys, pids, src[j]!, src[i]!) ? src[j++]! : src[i++]!;
      while (i < mid) dst[o++] = src[i++]!;
      while (j < hi) dst[o++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

interface Node {
  row: ProcRow;
  children: Node[];
  subCpu: number;
  subRss: number;
  subCount: number;
  /** The row or a descendant passes the filter. */
  keep: boolean;
}

/**
 * Tree mode: parents before children, siblings sorted, subtree totals. A row whose parent is
 * not in the table (or started after it: a reused PID) is a root. With a filter, matching
 * rows are shown with their ancestors; collapsed keys hide their descendants.
 */
export function treeLines(
  rows: Iterable<ProcRow>,
  sort: SortSpec,
  filter: CompiledFilter,
  collapsed: ReadonlySet<string>,
): Line[] {
  const byPid = new Map<number, Node>();
  for (const row of rows)
    byPid.set(row.pid, { row, children: [], subCpu: 0, subRss: 0, subCount: 0, keep: false });
  const roots: Node[] = [];
  for (const n of byPid.values()) {
    const parent = n.row.ppid !== n.row.pid ? byPid.get(n.row.ppid) : undefined;
    if (parent && parent.row.startTime <= n.row.startTime) parent.children.push(n);
    else roots.push(n);
  }
  const cmp = comparator(sort);
  const byRow = (a: Node, b: Node): number => cmp(a.row, b.row);
  // Post-order without recursion: deep trees (thousands of levels) must not blow the stack.
  const order: Node[] = [];
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    n.subCpu = n.row.cpu;
    n.subRss = n.row.rss;
    n.subCount = 1;
    n.keep = filter.test(n.row);
    for (const c of n.children) {
      n.subCpu += c.subCpu;
      n.subRss += c.subRss;
      n.subCount += c.subCount;
      n.keep ||= c.keep;
    }
    n.children.sort(byRow);
  }
  roots.sort(byRow);
  const out: Line[] = [];
  const walk: { n: Node; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) walk.push({ n: roots[i]!, depth: 0 });
  while (walk.length) {
    const { n, depth } = walk.pop()!;
    if (!n.keep) continue;
    const isCollapsed = collapsed.has(n.row.key);
    out.push({
      row: n.row,
      depth,
      hasChildren: n.children.length > 0,
      collapsed: isCollapsed,
      subCpu: round1(n.subCpu),
      subRss: n.subRss,
      subCount: n.subCount,
      matches: !filter.active || filter.test(n.row),
    });
    if (isCollapsed) continue;
    for (let i = n.children.length - 1; i >= 0; i--) walk.push({ n: n.children[i]!, depth: depth + 1 });
  }
  return out;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Distinct users and states present, sorted, for the filter menus. */
export function facets(rows: Iterable<ProcRow>): { users: string[]; states: string[] } {
  const users = new Set<string>();
  const states = new Set<string>();
  for (const r of rows) {
    if (r.user) users.add(r.user);
    states.add(r.state);
  }
  return { users: [...users].sort(collator.compare), states: [...states].sort() };
}

/**
 * DOM slots for the rows in view. A row still in view keeps its slot; a row coming into view
 * takes a slot a row going out of view left. The table keys row elements by slot, so a row
 * sorting or scrolling into view rewrites the cells of an element that is already there
 * instead of one element being unmounted and another mounted. Slots stay below the most rows
 * ever in view at once.
 */
export function assignSlots(prev: ReadonlyMap<string, number>, keys: readonly string[]): Map<string, number> {
  const next = new Map<string, number>();
  const used = new Set<number>();
  for (const k of keys) {
    const s = prev.get(k);
    if (s !== undefined) {
      next.set(k, s);
      used.add(s);
    }
  }
  let free = 0;
  for (const k of keys) {
    if (next.has(k)) continue;
    while (used.has(free)) free++;
    next.set(k, free);
    used.add(free);
  }
  return next;
}

/** The index to move the selection to for a key press, or null when the key is not a move. */
export function moveIndex(key: string, current: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const at = current < 0 ? -1 : current;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(at + 1);
    case 'ArrowUp':
      return clamp(at < 0 ? 0 : at - 1);
    case 'PageDown':
      return clamp(at + page);
    case 'PageUp':
      return clamp(at - page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
