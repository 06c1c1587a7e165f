/**
 * The queue behind a pool, as a type (like p-queue's): the in-process bounded deque is
 * the default. A Redis-backed queue shared across machines would implement the same
 * interface over a small local buffer that a background loop fills with BLMOVE from a
 * pending list into a working list, acknowledging on completion.
 */

/** What a pool needs from its queue. All operations are synchronous and O(1) amortized. */
export interface TaskQueue<T> {
  readonly size: number;
  readonly capacity: number;
  /** Add at the back; false when full (the pool decides: reject or wait). */
  offer(item: T): boolean;
  /** Put back at the front (a task whose worker died before running it); ignores capacity. */
  pushFront(item: T): void;
  /** Take from the front. */
  poll(): T | undefined;
  /** Remove and return everything queued. */
  clear(): T[];
}

/** A bounded FIFO over a growable ring; capacity can change live. */
export class BoundedQueue<T> implements TaskQueue<T> {
  #buf: (T | undefined)[] = new Array<T | undefined>(16);
  // Items live in #buf[#head … #head+#size) modulo length; grows by doubling when full.
  #head = 0;
  #size = 0;
  capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  offer(item: T): boolean {
    if (this.#size >= this.capacity) return false;
    this.#push(item);
    return true;
  }

  pushFront(item: T): void {
    if (this.#size === this.#buf.length) this.#grow();
    this.#head = (this.#head - 1 + this.#buf.length) % this.#buf.length;
    this.#buf[this.#head] = item;
    this.#size++;
  }

  poll(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#buf[this.#head];
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#buf.length;
    this.#size--;
    return item;
  }

  clear(): T[] {
    const out: T[] = [];
    for (let x = this.poll(); x !== undefined; x = this.poll()) out.push(x);
    return out;
  }

  #push(item: T): void {
    if (this.#size === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#size) % this.#buf.length] = item;
    this.#size++;
  }

  #grow(): void {
    const next = new Array<T | undefined>(this.#buf.length * 2);
    for (let i = 0; i < this.#size; i++) next[i] = this.#buf[(this.#head + i) % this.#buf.length];
    this.#buf = next;
    this.#head = 0;
  }
}
