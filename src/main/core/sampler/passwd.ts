/** uid → user name from /etc/passwd, read once and again on a miss (at most every 10 s). */
import { readFileSync } from 'node:fs';

/** Parse passwd lines (`name:x:uid:…`) into a map. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(':');
    const uid = Number(parts[2]);
    if (parts[0] && Number.isInteger(uid) && !out.has(uid)) out.set(uid, parts[0]);
  }
  return out;
}

export class UserNames {
  #names = new Map<number, string>();
  #loadedAt = -Infinity;
  readonly #path: string;
  readonly #now: () => number;

  constructor(path = '/etc/passwd', now: () => number = Date.now) {
    this.#path = path;
    this.#now = now;
  }

  /** The name for `uid`, or the uid as text when /etc/passwd does not know it. */
  name(uid: number): string {
    const hit = this.#names.get(uid);
    if (hit !== undefined) return hit;
    if (this.#now() - this.#loadedAt >= 10_000) {
      this.#loadedAt = this.#now();
      try {
        this.#names = parsePasswd(readFileSync(this.#path, 'utf8'));
      } catch {
        // No passwd file (containers): numeric names it is.
      }
    }
    return this.#names.get(uid) ?? String(uid);
  }
}
