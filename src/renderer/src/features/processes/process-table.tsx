import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useId, useRef, type KeyboardEvent } from 'react';
import type { Column } from './columns';
import { assignSlots, moveIndex, type Line, type SortKey, type SortSpec } from './proc-table-model';

const ROW_PX = 24;
/** Deeper levels stop indenting so the name stays readable (the depth shows on hover). */
const MAX_INDENT = 10;

/** The DOM id of a row, so the grid can point assistive tech at the selected one. */
const rowId = (prefix: string, key: string): string => `${prefix}row-${key.replace(/[^\w-]/g, '_')}`;

interface Props {
  lines: Line[];
  columns: Column[];
  sort: SortSpec;
  onSort: (s: SortSpec) => void;
  tree: boolean;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  onToggle: (key: string) => void;
  /** Keys the table does not handle itself (end, signal menu…). */
  onKey: (e: KeyboardEvent<HTMLDivElement>) => void;
  ownPid: number | null;
  /** Rows that are Spindle's managed processes: key → managed process name. */
  managed: ReadonlyMap<string, string>;
}

/** A virtualized process table: only the rows in view are in the DOM, so 5,000 rows stay smooth. */
export function ProcessTable({
  lines,
  columns,
  sort,
  onSort,
  tree,
  selectedKey,
  onSelect,
  onToggle,
  onKey,
  ownPid,
  managed,
}: Props) {
  const scroll = useRef<HTMLDivElement>(null);
  const template = columns.map((c) => (c.width ? `${c.width}px` : 'minmax(240px, 1fr)')).join(' ');
  // The virtualizer's functions are not memoizable; this component re-renders on every tick anyway.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virt = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroll.current,
    estimateSize: () => ROW_PX,
    // Every row in the DOM is rewritten on most ticks (sorted by a live column), so keep few
    // beyond the visible ones: enough for a wheel step, not a page.
    overscan: 6,
  });
  const selectedIndex = selectedKey === null ? -1 : lines.findIndex((l) => l.row.key === selectedKey);
  const idPrefix = useId();
  // aria-activedescendant must name an element in the DOM: only while the selected row is rendered.
  const items = virt.getVirtualItems();
  const activeId =
    selectedIndex >= 0 && items.some((v) => v.index === selectedIndex)
      ? rowId(idPrefix, lines[selectedIndex]!.row.key)
      : undefined;
  // Row elements by slot (see assignSlots). A cache across renders: the same keys give the
  // same slots, so a render run twice (StrictMode) or discarded leaves it consistent.
  const slotsRef = useRef<Map<string, number>>(new Map());
  const slots = (slotsRef.current = assignSlots(
    slotsRef.current,
    items.map((v) => lines[v.index]!.row.key),
  ));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor((scroll.current?.clientHeight ?? 400) / ROW_PX) - 1);
    const next = moveIndex(e.key, selectedIndex, lines.length, page);
    if (next !== null) {
      e.preventDefault();
      onSelect(lines[next]!.row.key);
      virt.scrollToIndex(next, { align: 'auto' });
      return;
    }
    const sel = lines[selectedIndex];
    if (tree && sel?.hasChildren && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      if ((e.key === 'ArrowLeft') !== sel.collapsed) onToggle(sel.row.key);
      e.preventDefault();
      return;
    }
    onKey(e);
  };

  const header = (c: Column) => {
    const active = sort.key === c.id;
    const next: SortSpec = {
      key: c.id as SortKey,
      dir: active ? (sort.dir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc',
    };
    return (
      <button
        key={c.id}
        role="columnheader"
        aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
        className={`pcell ${c.numeric ? 'num' : ''} ${active ? 'sorted' : ''}`}
        onClick={() => onSort(next)}
        title={`sort by ${c.label}`}
      >
        {c.label}
        {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    );
  };

  return (
    <div
      className="ptable"
      role="grid"
      aria-label="Processes"
      aria-rowcount={lines.length + 1}
      aria-activedescendant={activeId}
      tabIndex={0}
      data-testid="process-table"
      // The columns once, for every row (a row's own style is its place alone).
      style={{ '--pcols': template } as React.CSSProperties}
      onKeyDown={onKeyDown}
    >
      <div className="prow phead" role="row" aria-rowindex={1}>
        {columns.map(header)}
      </div>
      <div ref={scroll} className="pbody">
        {/* The rows' containing block keeps one size whatever the count: a spacer beside it sets
            the scroll height, so a process coming or going does not re-lay out every row. */}
        <div className="pspacer" style={{ height: virt.getTotalSize() }} />
        {/* Row elements stay in the DOM in one order (by slot) and move by transform alone: a
            process changing places (sorted by a live column, most do each tick) costs a
            transform, not a rewrite of every cell below it and a new layout of its text; a
            process coming into view reuses the element of one that left. The accessibility
            tree takes the visual order from aria-owns. */}
        <div
          className="prows"
          role="rowgroup"
          aria-owns={items.map((v) => rowId(idPrefix, lines[v.index]!.row.key)).join(' ')}
        >
          {items
            .slice()
            .sort((a, b) => slots.get(lines[a.index]!.row.key)! - slots.get(lines[b.index]!.row.key)!)
            .map((v) => {
              const l = lines[v.index]!;
              return (
                <Row
                  key={slots.get(l.row.key)}
                  id={rowId(idPrefix, l.row.key)}
                  rowIndex={v.index + 2}
                  line={l}
                  top={v.start}
                  columns={columns}
                  tree={tree}
                  selected={v.index === selectedIndex}
                  own={l.row.pid === ownPid}
                  managedAs={managed.get(l.row.key) ?? null}
                  onSelect={onSelect}
                  onToggle={onToggle}
                />
              );
            })}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  id: string;
  /** 1-based among all rows, header included (only a window of rows is in the DOM). */
  rowIndex: number;
  line: Line;
  top: number;
  columns: Column[];
  tree: boolean;
  selected: boolean;
  own: boolean;
  managedAs: string | null;
  onSelect: (key: string) => void;
  onToggle: (key: string) => void;
}

const sameRow = (a: RowProps, b: RowProps): boolean =>
  sameCells(a, b) &&
  a.id === b.id &&
  a.rowIndex === b.rowIndex &&
  a.top === b.top &&
  a.selected === b.selected &&
  a.own === b.own;

/**
 * One row; re-renders only when its row object (replaced on change by the store) or place changes.
 * Its cells are a child of their own that a move does not re-render: sorted by a live column,
 * most rows in view change places on most ticks while their figures stay the same.
 */
const Row = memo(function Row({
  id,
  rowIndex,
  line,
  top,
  columns,
  tree,
  selected,
  own,
  managedAs,
  onSelect,
  onToggle,
}: RowProps) {
  const r = line.row;
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={rowIndex}
      aria-selected={selected}
      data-key={r.key}
      data-pid={r.pid}
      className={`prow${selected ? ' selected' : ''}${line.matches ? '' : ' context'}${own ? ' own' : ''}${managedAs !== null ? ' managed' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onMouseDown={() => onSelect(r.key)}
    >
      <Cells line={line} columns={columns} tree={tree} managedAs={managedAs} onToggle={onToggle} />
    </div>
  );
}, sameRow);

type CellsProps = Pick<RowProps, 'line' | 'columns' | 'tree' | 'managedAs' | 'onToggle'>;

const sameCells = (a: CellsProps, b: CellsProps): boolean =>
  a.line.row === b.line.row &&
  a.line.depth === b.line.depth &&
  a.line.hasChildren === b.line.hasChildren &&
  a.line.collapsed === b.line.collapsed &&
  a.line.subCpu === b.line.subCpu &&
  a.line.subRss === b.line.subRss &&
  a.line.subCount === b.line.subCount &&
  a.line.matches === b.line.matches &&
  a.columns === b.columns &&
  a.tree === b.tree &&
  a.managedAs === b.managedAs &&
  a.onToggle === b.onToggle;

/** A row's cells: what it shows, apart from where it is. */
const Cells = memo(function Cells({ line, columns, tree, managedAs, onToggle }: CellsProps) {
  const r = line.row;
  const badge = managedAs !== null && (
    <span
      className="managed-badge"
      title={`managed by Spindle as “${managedAs}”`}
      data-testid="managed-badge"
    >
      M
    </span>
  );
  return columns.map((c) => {
    const text = c.text(line, tree);
    if (c.id === 'name' && tree) {
      return (
        <span
          key={c.id}
          role="gridcell"
          className="pcell name"
          style={{ paddingLeft: 4 + Math.min(line.depth, MAX_INDENT) * 12 }}
          title={line.depth > MAX_INDENT ? `depth ${line.depth}` : undefined}
        >
          {line.hasChildren ? (
            <button
              className="twisty"
              aria-label={line.collapsed ? `expand ${r.name}` : `collapse ${r.name}`}
              aria-expanded={!line.collapsed}
              onClick={(e) => {
                e.stopPropagation();
                onToggle(r.key);
              }}
            >
              {line.collapsed ? '▸' : '▾'}
            </button>
          ) : (
            <span className="twisty-space" />
          )}
          {badge}
          {text}
          {line.collapsed && <span className="subcount"> +{line.subCount - 1}</span>}
        </span>
      );
    }
    return (
      <span
        key={c.id}
        role="gridcell"
        className={`pcell ${c.numeric ? 'num' : ''} ${c.id}`}
        title={c.title?.(line, tree) ?? text}
      >
        {c.id === 'name' && badge}
        {text}
      </span>
    );
  });
}, sameCells);
