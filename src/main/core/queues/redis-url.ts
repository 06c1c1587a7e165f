/**
 * A connection's settings from a URL plus separate fields, and the two faces of it: the
 * secret one (ioredis options, with the password) that stays in core and in the 0600 file,
 * and the public one (URL with `***`) that every client, audit entry and snapshot gets.
 */
import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';
import type { ConnectionInput } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';

/** Everything needed to (re)connect; holds the password, so it never leaves core. */
export interface ConnectionSettings {
  name: string;
  tls: boolean;
  host: string;
  port: number;
  db: number;
  prefix: string;
  username: string | null;
  password: string | null;
  tlsVerify: boolean;
}

/** The whole URL, password included: only for a 0600 file handed to a worker Spindle launches. */
export function secretUrl(s: ConnectionSettings): string {
  const enc = encodeURIComponent;
  const auth =
    s.username || s.password
      ? `${s.username ? enc(s.username) : ''}${s.password ? `:${enc(s.password)}` : ''}@`
      : '';
  return `${s.tls ? 'rediss' : 'redis'}://${auth}${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}/${s.db}`;
}

/** BullMQ's default key prefix. */
export const DEFAULT_PREFIX = 'bull';

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // not %-encoded after all: take it as written
  }
};

/** Parse `redis://[user:pass@]host[:port][/db]` (or rediss://) and the overriding fields; EINVAL on nonsense. */
export function parseConnection(input: ConnectionInput): ConnectionSettings {
  let u: URL;
  try {
    u = new URL(input.url.includes('://') ? input.url : `redis://${input.url}`);
  } catch {
    throw new SpindleError('EINVAL', 'not a redis:// or rediss:// URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new SpindleError('EINVAL', `unsupported scheme ${u.protocol} (use redis:// or rediss://)`);
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new SpindleError('EINVAL', 'the URL has no host');
  const port = u.port ? Number(u.port) : 6379;
  const path = u.pathname.replace(/^\//, '');
  if (path && !/^\d{1,5}$/.test(path)) throw new SpindleError('EINVAL', `bad database "${path}" in the URL`);
  const db = input.db ?? (path ? Number(path) : 0);
  const username = input.username ?? (u.username ? decode(u.username) : '');
  const password = input.password ?? (u.password ? decode(u.password) : '');
  const prefix = input.prefix ?? DEFAULT_PREFIX;
  return {
    name: input.name ?? `${host}:${port}${db ? `/${db}` : ''}`,
    tls: u.protocol === 'rediss:',
    host,
    port,
    db,
    prefix,
    username: username || null,
    password: password || null,
    tlsVerify: input.tlsVerify ?? true,
  };
}

/** The URL as clients may see it: the password (if any) as `***`. */
export function publicUrl(s: ConnectionSettings): string {
  const user = s.username ? encodeURIComponent(s.username) : '';
  const auth = s.password ? `${user}:***@` : user ? `${user}@` : '';
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.tls ? 'rediss' : 'redis'}://${auth}${host}:${s.port}${s.db ? `/${s.db}` : ''}`;
}

/** Replace the password wherever it shows up in a text (an error message echoing input). */
export function scrub(text: string, s: Pick<ConnectionSettings, 'password'>): string {
  return s.password && s.password.length >= 3 ? text.split(s.password).join('***') : text;
}

/** ioredis options for the dashboard's client (the caller adds retry and timeouts). */
export function redisOptions(s: ConnectionSettings): RedisOptions {
  return {
    host: s.host,
    port: s.port,
    db: s.db,
    ...(s.username ? { username: s.username } : {}),
    ...(s.password ? { password: s.password } : {}),
    // SNI takes a host name only (RFC 6066): an IP address is not sent.
    ...(s.tls
      ? { tls: { ...(isIP(s.host) ? {} : { servername: s.host }), rejectUnauthorized: s.tlsVerify } }
      : {}),
  };
}
