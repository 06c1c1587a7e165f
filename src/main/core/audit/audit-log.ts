/** A bounded, in-memory log of every control action (signal, renice, launch, stop…). */
import type { AuditEntry } from '../../../shared/contract';

export type AuditInput = Omit<AuditEntry, 'seq' | 't'> & { t?: number };

export class AuditLog {
  readonly #capacity: number;
  readonly #entries: AuditEntry[] = [];
  readonly #listeners = new Set<(e: AuditEntry) => void>();
  #seq = 0;

  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  /** Append an entry; the oldest falls off past capacity. */
  record(input: AuditInput): AuditEntry {
    const entry: AuditEntry = { ...input, seq: ++this.#seq, t: input.t ?? Date.now() };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
    for (const l of this.#listeners) l(entry);
    return entry;
  }

  list(): AuditEntry[] {
    return [...this.#entries];
  }

  onEntry(l: (e: AuditEntry) => void): () => void {
    this.#listeners.add(l);
    return () => void this.#listeners.delete(l);
  }
}
