/** The process table's columns: label, width, how a cell reads, and which show by default. */
import { formatBytes } from '../../lib/format';
import type { Line, SortKey } from './proc-table-model';

export interface Column {
  id: SortKey;
  label: string;
  /** Width in px; the command column takes what is left. */
  width: number;
  numeric: boolean;
  /** Default visibility. */
  shown: boolean;
  text: (l: Line, tree: boolean) => string;
  /** Tooltip text (exact value) where the cell abbreviates. */
  title?: (l: Line, tree: boolean) => string;
}

const num = (v: number | null): string => (v === null ? '—' : String(v));
const rate = (v: number | null): string => (v === null ? '—' : v === 0 ? '0' : `${formatBytes(v)}/s`);
const time = (ms: number): string => {
  const d = new Date(ms);
  return Date.now() - ms < 86_400_000 ? d.toLocaleTimeString() : d.toLocaleDateString();
};

export const COLUMNS = [
  { id: 'pid', label: 'PID', width: 72, numeric: true, shown: true, text: (l) => String(l.row.pid) },
  { id: 'ppid', label: 'PPID', width: 72, numeric: true, shown: false, text: (l) => String(l.row.ppid) },
  { id: 'name', label: 'Name', width: 230, numeric: false, shown: true, text: (l) => l.row.name },
  { id: 'user', label: 'User', width: 90, numeric: false, shown: true, text: (l) => l.row.user ?? '?' },
  { id: 'state', label: 'S', width: 34, numeric: false, shown: true, text: (l) => l.row.state },
  {
    id: 'cpu',
    label: 'CPU %',
    width: 84,
    numeric: true,
    shown: true,
    // In the tree a collapsed or parent row shows its subtree's total, its own value on hover.
    text: (l, tree) => (tree && l.hasChildren ? `Σ ${l.subCpu.toFixed(1)}` : l.row.cpu.toFixed(1)),
    title: (l, tree) =>
      tree && l.hasChildren
        ? `own ${l.row.cpu}% · subtree of ${l.subCount}: ${l.subCpu}%`
        : `${l.row.cpu}% (${l.row.cpuNorm}% of the machine)`,
  },
  {
    id: 'rss',
    label: 'Memory',
    width: 90,
    numeric: true,
    shown: true,
    text: (l, tree) => (tree && l.hasChildren ? `Σ ${formatBytes(l.subRss)}` : formatBytes(l.row.rss)),
    title: (l, tree) =>
      tree && l.hasChildren
        ? `own ${formatBytes(l.row.rss)} · subtree of ${l.subCount}: ${formatBytes(l.subRss)}`
        : `${l.row.rss} bytes`,
  },
  {
    id: 'vsize',
    label: 'Virtual',
    width: 84,
    numeric: true,
    shown: false,
    text: (l) => formatBytes(l.row.vsize),
  },
  { id: 'threads', label: 'Thr', width: 50, numeric: true, shown: true, text: (l) => num(l.row.threads) },
  { id: 'fds', label: 'FDs', width: 56, numeric: true, shown: false, text: (l) => num(l.row.fds) },
  { id: 'nice', label: 'NI', width: 40, numeric: true, shown: true, text: (l) => String(l.row.nice) },
  {
    id: 'priority',
    label: 'PRI',
    width: 44,
    numeric: true,
    shown: false,
    text: (l) => String(l.row.priority),
  },
  { id: 'readBps', label: 'Read', width: 84, numeric: true, shown: false, text: (l) => rate(l.row.readBps) },
  {
    id: 'writeBps',
    label: 'Write',
    width: 84,
    numeric: true,
    shown: false,
    text: (l) => rate(l.row.writeBps),
  },
  {
    id: 'startTime',
    label: 'Started',
    width: 90,
    numeric: true,
    shown: false,
    text: (l) => time(l.row.startTime),
    title: (l) => new Date(l.row.startTime).toLocaleString(),
  },
  {
    id: 'cmd',
    label: 'Command',
    width: 0,
    numeric: false,
    shown: true,
    text: (l) => l.row.cmd || `[${l.row.name}]`,
    title: (l) => l.row.cmd,
  },
] as const satisfies readonly Column[];

// Every sortable ProcRow field has a column: a field added to the contract fails here until it has one.
type Missing = Exclude<SortKey, (typeof COLUMNS)[number]['id']>;
export type ColumnsComplete = [Missing] extends [never] ? true : { missing: Missing };
const complete: ColumnsComplete = true;
void complete;

/** Column ids shown by default, in table order. */
export const DEFAULT_COLUMNS: SortKey[] = COLUMNS.filter((c) => c.shown).map((c) => c.id);

const IDS = new Set<string>(COLUMNS.map((c) => c.id));
/** A stored column list is valid when it names known columns and keeps the name. */
export const isColumnList = (v: unknown): v is SortKey[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && IDS.has(x)) && v.includes('name');
/** A stored sort is valid when it names a known column and a direction. */
export const isSortSpec = (v: unknown): v is { key: SortKey; dir: 'asc' | 'desc' } =>
  typeof v === 'object' &&
  v !== null &&
  IDS.has((v as { key: string }).key) &&
  ['asc', 'desc'].includes((v as { dir: string }).dir);
