/**
 * Named Float64Array columns over one shared time axis, in a fixed-capacity ring. Every
 * append writes every column (NaN unless set), so a column never holds a stale value from
 * the lap before; NaN is a gap, never a zero.
 */
export class RingColumns {
  readonly capacity: number;
  readonly #t: Float64Array;
  readonly #cols = new Map<string, Float64Array>();
  /** Slot the next append writes. */
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`ring capacity must be >= 1, got ${capacity}`);
    this.capacity = Math.floor(capacity);
    this.#t = new Float64Array(this.capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Names of the columns held. */
  names(): IterableIterator<string> {
    return this.#cols.keys();
  }

  has(name: string): boolean {
    return this.#cols.has(name);
  }

  /** Start a new row at time `t`; returns its slot for `set`. */
  append(t: number): number {
    const slot = this.#head;
    this.#t[slot] = t;
    for (const col of this.#cols.values()) col[slot] = NaN;
    this.#head = (slot + 1) % this.capacity;
    if (this.#length < this.capacity) this.#length++;
    return slot;
  }

  /** Set a value in a row; a new column starts as all gaps. */
  set(name: string, slot: number, value: number | null): void {
    let col = this.#cols.get(name);
    if (!col) {
      col = new Float64Array(this.capacity).fill(NaN);
      this.#cols.set(name, col);
    }
    col[slot] = value ?? NaN;
  }

  delete(name: string): void {
    this.#cols.delete(name);
  }

  /** Time of the newest row, or NaN when empty. */
  lastTime(): number {
    return this.#length ? this.#t[(this.#head - 1 + this.capacity) % this.capacity]! : NaN;
  }

  /** Index (0 = oldest) of the first row with time >= `from`. */
  #firstFrom(from: number): number {
    const start = (this.#head - this.#length + this.capacity) % this.capacity;
    let i = 0;
    while (i < this.#length && this.#t[(start + i) % this.capacity]! < from) i++;
    return i;
  }

  /** Rows with time >= `from` as plain arrays (NaN → null), oldest first. */
  window(
    from = -Infinity,
    names: Iterable<string> = this.#cols.keys(),
  ): {
    t: number[];
    cols: Map<string, (number | null)[]>;
  } {
    const start = (this.#head - this.#length + this.capacity) % this.capacity;
    const first = this.#firstFrom(from);
    const t: number[] = [];
    for (let i = first; i < this.#length; i++) t.push(this.#t[(start + i) % this.capacity]!);
    const cols = new Map<string, (number | null)[]>();
    for (const name of names) {
      const col = this.#cols.get(name);
      if (!col) continue;
      const out: (number | null)[] = new Array(t.length);
      for (let i = first; i < this.#length; i++) {
        const v = col[(start + i) % this.capacity]!;
        out[i - first] = Number.isNaN(v) ? null : v;
      }
      cols.set(name, out);
    }
    return { t, cols };
  }

  /** A copy with another capacity, keeping the newest rows that fit. */
  resized(capacity: number): RingColumns {
    const next = new RingColumns(capacity);
    const { t, cols } = this.window();
    for (let i = Math.max(0, t.length - next.capacity); i < t.length; i++) {
      const slot = next.append(t[i]!);
      for (const [name, col] of cols) next.set(name, slot, col[i]!);
    }
    for (const name of cols.keys()) if (!next.has(name)) next.set(name, 0, null);
    return next;
  }
}
