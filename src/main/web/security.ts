/** Checks every web request passes before any route: Host (DNS rebinding), Origin, fetch metadata. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

/** A new random secret of 192 bits, URL-safe (also a valid WebSocket subprotocol token). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token from SPINDLE_TOKEN when set (at least 128 bits' worth of characters), else a new one. */
export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const t = env.SPINDLE_TOKEN;
  if (t === undefined || t === '') return newToken();
  if (t.length < 22 || !/^[\x21-\x7e]+$/.test(t)) {
    throw new Error('SPINDLE_TOKEN must be at least 22 printable characters (128 bits)');
  }
  return t;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time comparison; hashing first makes lengths equal so length leaks nothing. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** The credential of an `Authorization: Bearer X` header, or null. Never a cookie, never the URL. */
export function bearerOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string') return null;
  const m = /^Bearer +([\x21-\x7e]{1,512})$/.exec(auth);
  return m ? m[1]! : null;
}

/** Subprotocol a browser offers the WebSocket with; the server selects it (never the credential). */
export const WS_PROTOCOL = 'spindle.v1';
/** Prefix of the subprotocol that carries the credential of a browser's WebSocket. */
export const WS_BEARER_PREFIX = 'spindle.bearer.';

/** The credential a WebSocket upgrade carries: `Authorization: Bearer` or the bearer subprotocol. */
export function wsCredentialOf(req: IncomingMessage): string | null {
  const bearer = bearerOf(req);
  if (bearer) return bearer;
  const offered = req.headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return null;
  for (const p of offered.split(',')) {
    const t = p.trim();
    if (t.startsWith(WS_BEARER_PREFIX) && t.length > WS_BEARER_PREFIX.length) {
      return t.slice(WS_BEARER_PREFIX.length);
    }
  }
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const bracket = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

/** The machine's own addresses (every interface), for a wildcard bind. */
export function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.address.startsWith('fe80:')) out.push(a.address);
  }
  return out;
}

/**
 * Host header values that name this server: the bound address with its port, loopback
 * aliases on a loopback bind, every address of the machine on a wildcard bind, and a
 * `--public-host` name. Anything else is a DNS-rebinding attempt or a misdirected request.
 */
export function allowedHosts(boundHost: string, port: number, publicHost?: string): Set<string> {
  const names = new Set<string>();
  const add = (h: string): void => void names.add(`${bracket(h).toLowerCase()}:${port}`);
  add(boundHost);
  if (isLoopback(boundHost) || WILDCARD.has(boundHost))
    for (const h of ['127.0.0.1', 'localhost', '::1']) add(h);
  if (WILDCARD.has(boundHost)) for (const a of machineAddresses()) add(a);
  if (publicHost) add(publicHost);
  return names;
}

/** Host header is one of ours (lower-cased compare). */
export function hostAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowed.has(host);
}

/**
 * Origin, when the client sends one, is the origin this page was served from. Browsers
 * always send it on WebSocket upgrades and cross-origin POSTs; a client without one is not a
 * browser page, and still needs a credential.
 */
export function originAllowed(req: IncomingMessage, scheme: 'http' | 'https'): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && origin.toLowerCase() === `${scheme}://${host}`;
}

/** A browser says the request comes from another site (a page elsewhere, an img or form). */
export function crossSite(req: IncomingMessage): boolean {
  return req.headers['sec-fetch-site'] === 'cross-site';
}
