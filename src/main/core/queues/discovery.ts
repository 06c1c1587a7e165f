/**
 * Finding every queue on a server, including ones Spindle did not create: SCAN (never KEYS,
 * which blocks Redis for the whole keyspace) for `<prefix>:*:meta`, the hash BullMQ writes
 * for each queue. Bounded per refresh: at most MAX_CALLS SCAN calls of COUNT keys, the
 * cursor carried to the next refresh, so a keyspace of millions of job keys costs a few
 * commands a second and a full pass finishes over several refreshes.
 */
import type { Redis } from 'ioredis';

const MAX_CALLS = 10;
const COUNT = 2000;

/** Escape glob characters so a prefix matches only itself in SCAN MATCH. */
export const globEscape = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&');

export class Discovery {
  readonly #prefix: string;
  #cursor = '0';
  /** Names seen in the pass under way (a pass ends when SCAN returns cursor 0). */
  #pass = new Set<string>();

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /**
   * One bounded refresh. `found`: queue names seen in this refresh; `complete`: the names
   * seen over the whole pass when this refresh finished one (queues gone are those missing).
   */
  async refresh(client: Redis): Promise<{ found: string[]; complete: string[] | null }> {
    const head = `${this.#prefix}:`;
    const match = `${globEscape(this.#prefix)}:*:meta`;
    const found: string[] = [];
    for (let i = 0; i < MAX_CALLS; i++) {
      const [next, keys] = await client.scan(this.#cursor, 'MATCH', match, 'COUNT', COUNT);
      this.#cursor = next;
      for (const k of keys) {
        const name = k.slice(head.length, -':meta'.length);
        // Queue names never hold ':' (BullMQ refuses them); such a key is something else.
        if (!name || name.includes(':')) continue;
        found.push(name);
        this.#pass.add(name);
      }
      if (next === '0') {
        const complete = [...this.#pass];
        this.#pass = new Set();
        return { found, complete };
      }
    }
    return { found, complete: null };
  }
}
