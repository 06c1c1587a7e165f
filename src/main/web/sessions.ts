/**
 * The credentials of one web server: the long-lived token (non-browser clients, as a Bearer
 * header), one-time codes (the printed URL), session credentials (one per browser tab) and
 * single-use download tickets. All in memory, all bounded, none ever set as a cookie: cookies
 * are scoped by host, not port, so any other server on 127.0.0.1 would receive them.
 */
import { createHash } from 'node:crypto';
import { newToken, tokenMatches } from './security';

/** Outstanding one-time codes kept; the oldest is forgotten past this. */
export const MAX_CODES = 32;
/** Live session credentials kept; the oldest is forgotten past this (its tab must log in again). */
export const MAX_SESSIONS = 256;
/** Outstanding download tickets kept. */
export const MAX_TICKETS = 64;
/** A code minted through `/api/code` must be used within this time. */
export const CODE_TTL_MS = 60_000;
/** A download ticket must be used within this time. */
export const TICKET_TTL_MS = 30_000;

// Keys are hashes of the secrets: a Map lookup is not constant time, a hash of 192 random bits
// gives a timing observer nothing to work with.
const key = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

export class Credentials {
  readonly #token: string;
  readonly #now: () => number;
  /** hash → expiry (ms since epoch; Infinity for the printed code). */
  readonly #codes = new Map<string, number>();
  /** hash → true; a Map so the one bounded `remember` keeps codes, sessions and tickets alike. */
  readonly #sessions = new Map<string, true>();
  readonly #tickets = new Map<string, { what: string; expires: number }>();

  constructor(token: string, now: () => number = Date.now) {
    this.#token = token;
    this.#now = now;
  }

  /** A new one-time code, valid for `ttlMs` or until used. */
  newCode(ttlMs = CODE_TTL_MS): string {
    const code = newToken();
    remember(this.#codes, key(code), this.#now() + ttlMs, MAX_CODES);
    return code;
  }

  /** Trade a code for a new session credential; the code is dead afterwards, whatever happens. */
  exchange(code: string): string | null {
    const k = key(code);
    const expires = this.#codes.get(k);
    this.#codes.delete(k);
    if (expires === undefined || expires < this.#now()) return null;
    const session = newToken();
    remember(this.#sessions, key(session), true, MAX_SESSIONS);
    return session;
  }

  /** The long-lived token or a live session credential. */
  valid(credential: string | null): boolean {
    if (credential === null) return false;
    return tokenMatches(credential, this.#token) || this.#sessions.has(key(credential));
  }

  /** A single-use, short-lived ticket for `what` (a download a browser fetches without headers). */
  newTicket(what: string): string {
    const ticket = newToken();
    remember(this.#tickets, key(ticket), { what, expires: this.#now() + TICKET_TTL_MS }, MAX_TICKETS);
    return ticket;
  }

  /** What a ticket was issued for, once; null when unknown, used or expired. */
  useTicket(ticket: string): string | null {
    const k = key(ticket);
    const t = this.#tickets.get(k);
    this.#tickets.delete(k);
    return t && t.expires >= this.#now() ? t.what : null;
  }
}

/** Set `k`, forgetting the oldest entry past `max` (Maps iterate in insertion order). */
function remember<V>(map: Map<string, V>, k: string, v: V, max: number): void {
  map.set(k, v);
  if (map.size > max) map.delete(map.keys().next().value!);
}
