/** Checks every web request passes: token (constant time), Host (DNS rebinding), Origin. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'spindle_token';

/** A new random token of 192 bits, URL-safe. */
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

/** The token a request carries: `?token=`, `Authorization: Bearer`, or the cookie. */
export function tokenOf(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Host header values that name this server: the bound address (and loopback aliases). */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set<string>();
  const bracket = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  names.add(`${bracket}:${port}`);
  if (LOOPBACK.has(boundHost)) for (const h of ['127.0.0.1', 'localhost', '[::1]']) names.add(`${h}:${port}`);
  return names;
}

/** Host header is one of ours (lower-cased compare). */
export function hostAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowed.has(host);
}

/** The WebSocket Origin equals the origin this page was served from. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host?.toLowerCase();
  return typeof origin === 'string' && host !== undefined && origin.toLowerCase() === `http://${host}`;
}
