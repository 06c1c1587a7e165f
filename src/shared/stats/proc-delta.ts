/** Diff two process tables into a `ProcDelta`, and apply one: the same code on both sides of the wire. */
import { PROC_FIELD_NAMES, type ProcField } from '../contract/proc-fields';
import type { ProcChange, ProcDelta, ProcRow } from '../contract/stats';

/** Row fields compared for `changed`, in a fixed order (key is the identity, never compared). */
const FIELDS = PROC_FIELD_NAMES.filter((f): f is Exclude<ProcField, 'key'> => f !== 'key');

/** The changed fields of `next` against `prev`, or null when nothing changed. */
export function diffRow(prev: ProcRow, next: ProcRow): ProcChange | null {
  let out: Record<string, unknown> | null = null;
  for (const f of FIELDS) {
    if (prev[f] !== next[f]) {
      out ??= { key: next.key };
      out[f] = next[f];
    }
  }
  return out as ProcChange | null;
}

/** Changes from `prev` (keyed table at tick `base`) to the rows of `next`. */
export function diffProcs(
  prev: ReadonlyMap<string, ProcRow>,
  next: readonly ProcRow[],
  base: number,
): ProcDelta {
  const added: ProcRow[] = [];
  const changed: ProcChange[] = [];
  const seen = new Set<string>();
  for (const row of next) {
    seen.add(row.key);
    const old = prev.get(row.key);
    if (!old) added.push(row);
    else {
      const c = diffRow(old, row);
      if (c) changed.push(c);
    }
  }
  const removed: string[] = [];
  for (const key of prev.keys()) if (!seen.has(key)) removed.push(key);
  return { base, added, removed, changed, resync: [], count: next.length };
}

/**
 * Apply a delta to a keyed table in place. Changed rows are replaced by new objects (never
 * mutated) so a UI holding the old row sees a new identity. Returns false when the delta
 * does not follow `tableSeq` or the counts disagree afterwards (a missed event): the caller
 * must fetch the full table again.
 */
export function applyProcDelta(table: Map<string, ProcRow>, tableSeq: number, d: ProcDelta): boolean {
  if (d.base !== tableSeq) return false;
  for (const key of d.removed) table.delete(key);
  for (const r of d.added) table.set(r.key, r);
  for (const c of d.changed) {
    const old = table.get(c.key);
    if (old) table.set(c.key, { ...old, ...c });
  }
  for (const r of d.resync) table.set(r.key, r);
  return table.size === d.count;
}
