import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import type { ProcRow } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { usePref } from '../../lib/prefs';
import { onShowProcess, takeShowProcess } from '../../lib/navigate';
import { useReadOnly } from '../../lib/read-only';
import { useProcTable } from '../stats/stats-frame';
import { SubscribeError } from '../../lib/subscribe-error';
import { useStores } from '../../stores';
import { AuditPanel } from './audit-panel';
import { COLUMNS, DEFAULT_COLUMNS, isColumnList, isSortSpec } from './columns';
import { DEFAULT_END_TIMEOUT_MS, type ControlAction } from './control-actions';
import { ControlDialog, type DialogState } from './control-dialog';
import { ProcessDetails } from './process-details';
import { ProcessTable } from './process-table';
import { useManagedKeys } from './use-managed-keys';
import { compileFilter, createFlatSorter, facets, treeLines, type SortSpec } from './proc-table-model';
import './processes.css';

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

/** Every process on the machine: sort, filter, tree, details, and safe control. */
export function ProcessesView({ client }: { client: Client }) {
  const { stats } = useStores();
  const table = useProcTable(stats);
  const statsError = useSyncExternalStore(stats.subscribe, () => stats.get().error);
  const [sort, setSort] = usePref<SortSpec>('processes.sort', { key: 'cpu', dir: 'desc' }, isSortSpec);
  const [columnIds, setColumnIds] = usePref('processes.columns', DEFAULT_COLUMNS, isColumnList);
  const [tree, setTree] = usePref('processes.tree', false, isBool);
  const [text, setText] = useState('');
  const [user, setUser] = useState<string | null>(null);
  const [state, setState] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [showDetails, setShowDetails] = useState(true);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const filterInput = useRef<HTMLInputElement>(null);
  const tableEl = useRef<HTMLDivElement>(null);

  const columns = useMemo(() => COLUMNS.filter((c) => columnIds.includes(c.id)), [columnIds]);
  const filter = useMemo(() => compileFilter({ text, user, state }), [text, user, state]);
  const rows = table.rows;
  // Typing in the filter stays responsive: the table catches up a frame later.
  const deferredFilter = useDeferredValue(filter);
  // Flat mode re-sorts only the rows a tick changed (a cache: its result is a full sort's).
  const [sortFlat] = useState(createFlatSorter);
  const lines = useMemo(
    () =>
      tree ? treeLines(rows.values(), sort, deferredFilter, collapsed) : sortFlat(rows, sort, deferredFilter),
    [rows, sort, deferredFilter, collapsed, tree, sortFlat],
  );
  const { users, states } = useMemo(() => facets(rows.values()), [rows]);
  const selectedRow = selectedKey ? (rows.get(selectedKey) ?? null) : null;

  const toggle = useCallback(
    (key: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const select = useCallback((key: string) => setSelectedKey(key), []);
  const selectPid = useCallback(
    (pid: number) => {
      for (const r of rows.values()) if (r.pid === pid) return setSelectedKey(r.key);
    },
    [rows],
  );
  // Opened from a pid link elsewhere: filter to that pid and select it once its row is here.
  const [focusPid, setFocusPid] = useState<number | null>(takeShowProcess);
  useEffect(() => onShowProcess((pid) => setFocusPid(takeShowProcess() ?? pid)), []);
  useEffect(() => {
    if (focusPid === null) return;
    setText(String(focusPid));
    setUser(null);
    setState(null);
    setShowDetails(true);
    for (const r of rows.values()) {
      if (r.pid !== focusPid) continue;
      setSelectedKey(r.key);
      setFocusPid(null);
      return;
    }
  }, [focusPid, rows]);
  const readOnly = useReadOnly();
  const ask = useCallback(
    (action: ControlAction, row: ProcRow) => {
      if (!readOnly) setDialog({ mode: 'confirm', row, action });
    },
    [readOnly],
  );
  const closeDialog = useCallback(() => {
    setDialog(null);
    tableEl.current?.querySelector<HTMLElement>('[role=grid]')?.focus();
  }, []);

  // `/` focuses the filter from anywhere in the view, as in less, vim and htop.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA');
      if (e.key === '/' && !typing && !dialog) {
        e.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [dialog]);

  const onTableKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (!selectedRow) return;
    if (e.key === 'Delete' || e.key === 'k')
      ask({ kind: 'end', timeoutMs: DEFAULT_END_TIMEOUT_MS }, selectedRow);
    else if (e.key === 'K') ask({ kind: 'kill' }, selectedRow);
    else if (e.key === 's' && !readOnly) setDialog({ mode: 'menu', row: selectedRow });
    else if (e.key === 'T')
      ask({ kind: 'end-tree', timeoutMs: DEFAULT_END_TIMEOUT_MS, total: null }, selectedRow);
    else if (e.key === 'Enter') setShowDetails(true);
    else return;
    e.preventDefault();
  };

  const ownPid = table.latest?.self.pid ?? null;
  const managed = useManagedKeys();
  return (
    <div className="processes">
      <div className="toolbar" role="toolbar" aria-label="Process table controls">
        <input
          ref={filterInput}
          className={`filter${filter.error ? ' invalid' : ''}`}
          type="search"
          placeholder="Filter: text or /regex/  (press /)"
          aria-label="Filter processes"
          aria-invalid={!!filter.error}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setText('');
            if (e.key === 'Enter' || e.key === 'ArrowDown') {
              e.preventDefault();
              if (lines[0] && !lines.some((l) => l.row.key === selectedKey)) setSelectedKey(lines[0].row.key);
              tableEl.current?.querySelector<HTMLElement>('[role=grid]')?.focus();
            }
          }}
        />
        <select aria-label="User" value={user ?? ''} onChange={(e) => setUser(e.target.value || null)}>
          <option value="">all users</option>
          {users.map((u) => (
            <option key={u}>{u}</option>
          ))}
        </select>
        <select aria-label="State" value={state ?? ''} onChange={(e) => setState(e.target.value || null)}>
          <option value="">all states</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {s} {STATE_NAMES[s] ?? ''}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={tree} onChange={(e) => setTree(e.target.checked)} /> tree
        </label>
        <ColumnPicker ids={columnIds} onChange={setColumnIds} />
        <span className="count" data-testid="process-count" role="status">
          {filter.error ?? `${lines.length.toLocaleString()} of ${rows.size.toLocaleString()} processes`}
        </span>
        <SubscribeError what="the process table" error={statsError} />
      </div>
      <div className={`processes-main${showDetails && selectedKey ? ' with-details' : ''}`} ref={tableEl}>
        <ProcessTable
          lines={lines}
          columns={columns}
          sort={sort}
          onSort={setSort}
          tree={tree}
          selectedKey={selectedKey}
          onSelect={select}
          onToggle={toggle}
          onKey={onTableKey}
          ownPid={ownPid}
          managed={managed}
        />
        {showDetails && selectedKey && (
          <ProcessDetails
            key={selectedKey}
            client={client}
            selectedKey={selectedKey}
            row={selectedRow}
            table={table}
            onAction={ask}
            onMenu={(row) => setDialog({ mode: 'menu', row })}
            onSelect={select}
            onSelectPid={selectPid}
            onClose={() => setShowDetails(false)}
          />
        )}
      </div>
      <AuditPanel client={client} />
      <p className="keys sub">
        ↑↓ PgUp PgDn Home End move · / filter · Del or k end · K kill · s signal menu · T end tree · ←→ fold ·
        Esc close
      </p>
      {dialog && (
        <ControlDialog
          client={client}
          state={dialog}
          onChoose={(action) => setDialog({ mode: 'confirm', row: dialog.row, action })}
          onClose={closeDialog}
        />
      )}
    </div>
  );
}

const STATE_NAMES: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk wait',
  Z: 'zombie',
  T: 'stopped',
  t: 'traced',
  I: 'idle',
  X: 'dead',
};

/** Memoized: its props change only when the columns do, and React re-sets a controlled input's
 * name and type on every render (a tick re-renders the view). */
const ColumnPicker = memo(function ColumnPicker({
  ids,
  onChange,
}: {
  ids: string[];
  onChange: (ids: (typeof COLUMNS)[number]['id'][]) => void;
}) {
  return (
    <details className="columns-menu">
      <summary>Columns</summary>
      <div className="columns-list">
        {COLUMNS.map((c) => (
          <label key={c.id} className="check">
            <input
              type="checkbox"
              checked={ids.includes(c.id)}
              disabled={c.id === 'name'}
              onChange={(e) => {
                const set = new Set(ids);
                if (e.target.checked) set.add(c.id);
                else set.delete(c.id);
                onChange(COLUMNS.map((x) => x.id).filter((id) => set.has(id)));
              }}
            />{' '}
            {c.label}
          </label>
        ))}
      </div>
    </details>
  );
});
