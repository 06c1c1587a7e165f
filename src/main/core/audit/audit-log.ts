/** A bounded, in-memory log of every control action (signal, renice, launch, stop…). */
import type { AuditEntry } from '../../../shared/contract';

/** Longest detail and name kept, in characters (the snapshot schema's bounds). */
const MAX_DETAIL = 4096;
const MAX_NAME = 1024;
const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

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
    // Bounded as the snapshot format bounds them, so an exported log always reads back
    // (a launch's detail holds its whole command line, up to megabytes).
    const target = { ...input.target };
    if (target.name !== undefined) target.name = cut(target.name, MAX_NAME);
    const entry: AuditEntry = {
      ...input,
      client: cut(input.client, MAX_NAME),
      action: cut(input.action, MAX_NAME),
      target,
      detail: cut(input.detail, MAX_DETAIL),
      seq: ++this.#seq,
      t: input.t ?? Date.now(),
    };
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
