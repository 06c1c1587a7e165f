/**
 * The process table's delta per tick, bounded in bytes. The encoder keeps the table as the
 * other side holds it (`sent`) and diffs each tick's rows against that, not against the
 * previous tick: whatever a tick leaves out for want of room is still a difference next tick,
 * so it goes out then, and nothing is lost or sent twice. The rows that must be exact on every
 * tick (the top N and the keys of interest: what the window charts) go out whatever their
 * size, their removal too; then changes, removals, additions, and the rolling resync, while
 * the budget lasts. The bound can be passed only by those rows, and for a tick while a new
 * interest set is on its way to the sampler thread (its keys are counted from the focus).
 */
import type { ProcChange, ProcDelta, ProcRow } from '../../../shared/contract';
import { diffRow } from '../../../shared/stats/proc-delta';

/** No `stats` event is larger than this (JSON bytes), but for the must-send rows. */
export const TICK_BYTES = 30_000;

/** JSON bytes of the delta's own frame and of one entry's separator, counted in the budget. */
const FRAME_BYTES = 120;
const bytesOf = (v: unknown): number => JSON.stringify(v).length + 1;
/** Rows never change once made (a changed row is a new object): their size is measured once. */
const rowBytes = new WeakMap<ProcRow, number>();
const bytesOfRow = (row: ProcRow): number => {
  let n = rowBytes.get(row);
  if (n === undefined) rowBytes.set(row, (n = bytesOf(row)));
  return n;
};

export class DeltaEncoder {
  /** The table as the receiving side holds it after the last tick (rows as sent, or merged). */
  readonly #sent = new Map<string, ProcRow>();

  /** Rows the other side holds (what `count` says after this tick's delta). */
  get size(): number {
    return this.#sent.size;
  }

  /** Take `rows` as known to the other side without a delta (the initial table it gets whole). */
  reset(rows: readonly ProcRow[]): void {
    this.#sent.clear();
    for (const r of rows) this.#sent.set(r.key, r);
  }

  /**
   * The delta from the held table to `rows` in at most `budget` JSON bytes, with the rows whose
   * key is in `must` exact whatever it costs. `resync(row)`: whether this row's turn to be
   * resent whole is this tick (sent last, as room allows).
   */
  encode(
    rows: readonly ProcRow[],
    base: number,
    must: ReadonlySet<string>,
    budget: number,
    resync: (row: ProcRow) => boolean,
  ): ProcDelta {
    const sent = this.#sent;
    const out: ProcDelta = { base, added: [], removed: [], changed: [], resync: [], count: 0 };
    const changes: ProcRow[] = [];
    const adds: ProcRow[] = [];
    const turn: ProcRow[] = [];
    let used = FRAME_BYTES;
    let matched = 0;
    for (const row of rows) {
      const old = sent.get(row.key);
      if (old) matched++;
      if (must.has(row.key)) {
        used += this.#send(out, old, row, Infinity);
        continue;
      }
      if (!old) adds.push(row);
      else if (old !== row) changes.push(row);
      if (old && resync(row)) turn.push(row);
    }
    for (const row of changes) used += this.#send(out, sent.get(row.key), row, budget - used);
    // Gone rows: only looked for when some held key had no row this tick.
    if (matched < sent.size) {
      const live = new Set<string>();
      for (const row of rows) live.add(row.key);
      for (const key of sent.keys()) {
        if (live.has(key)) continue;
        const n = key.length + 3;
        if (used + n > budget && !must.has(key)) continue;
        used += n;
        out.removed.push(key);
      }
      for (const key of out.removed) sent.delete(key);
    }
    for (const row of adds) used += this.#send(out, undefined, row, budget - used);
    for (const row of turn) {
      const n = bytesOfRow(row);
      if (used + n > budget) continue;
      used += n;
      out.resync.push(row);
      sent.set(row.key, row);
    }
    out.count = sent.size;
    return out;
  }

  /** Add `row` as an addition or a change if it fits in `room`; the bytes it took (0: not sent). */
  #send(out: ProcDelta, old: ProcRow | undefined, row: ProcRow, room: number): number {
    if (!old) {
      const n = bytesOfRow(row);
      if (n > room) return 0;
      out.added.push(row);
      this.#sent.set(row.key, row);
      return n;
    }
    if (old === row) return 0;
    const ch: ProcChange | null = diffRow(old, row);
    if (!ch) {
      this.#sent.set(row.key, row); // equal values: the other side holds this row already
      return 0;
    }
    const n = bytesOf(ch);
    if (n > room) return 0;
    out.changed.push(ch);
    this.#sent.set(row.key, row);
    return n;
  }
}
