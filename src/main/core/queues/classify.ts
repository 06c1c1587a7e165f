/**
 * One code per way a Redis connection fails, from whatever ioredis or Node reported:
 * the codes `queues.connect` answers with and a `down` connection shows.
 */
import type { QueuesErrorCode } from '../../../shared/contract';

/** A coded connection error (its message already scrubbed of the password by the caller). */
export interface CodedError {
  code: QueuesErrorCode;
  message: string;
}

const AUTH =
  /WRONGPASS|NOAUTH|invalid password|invalid username|without any password configured|AUTH failed/i;
const TLS_CODES =
  /^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT|UNABLE_TO_)/;
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'EADDRNOTAVAIL',
]);

/** Classify an error seen on a connection. `tls`: the URL was rediss:// (a reset then means a failed handshake). */
export function classify(err: unknown, opts: { tls: boolean; connected: boolean }): CodedError {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (AUTH.test(message)) return { code: 'EREDIS_AUTH', message: `authentication refused: ${message}` };
  if (TLS_CODES.test(code) || /SSL|TLS|certificate|wrong version number/i.test(message)) {
    return { code: 'EREDIS_TLS', message: `TLS failed: ${message}` };
  }
  if (/Protocol error|unexpected reply|invalid reply/i.test(message)) {
    return { code: 'EREDIS_NOT_REDIS', message: `not a Redis server: ${message}` };
  }
  // A rediss:// handshake that the peer drops looks like a reset before any byte of TLS.
  if (opts.tls && !opts.connected && (code === 'ECONNRESET' || /socket disconnected/i.test(message))) {
    return { code: 'EREDIS_TLS', message: `TLS failed: ${message}` };
  }
  if (UNREACHABLE_CODES.has(code) || /connect ETIMEDOUT|Connection is closed|timed out/i.test(message)) {
    return { code: 'EREDIS_UNREACHABLE', message: `unreachable: ${message}` };
  }
  return { code: 'EREDIS', message };
}
