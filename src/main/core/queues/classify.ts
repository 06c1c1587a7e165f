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

/**
 * Classify an error seen on a connection. `tls`: the URL was rediss://; `connected`: a socket
 * reached the server in this attempt; `answered`: Redis answered in it (the link was up).
 */
export function classify(
  err: unknown,
  opts: { tls: boolean; connected: boolean; answered?: boolean },
): CodedError {
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
  // Connected, then dropped at the first command without one Redis reply: something else
  // listens there (a TLS-only port given redis://, a service that hangs up on garbage).
  if (opts.connected && !opts.answered && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return {
      code: 'EREDIS_NOT_REDIS',
      message: `the server hung up without a Redis reply (${code}): not Redis, or a TLS port (use rediss://)`,
    };
  }
  if (UNREACHABLE_CODES.has(code) || /connect ETIMEDOUT|Connection is closed|timed out/i.test(message)) {
    return { code: 'EREDIS_UNREACHABLE', message: `unreachable: ${message}` };
  }
  return { code: 'EREDIS', message };
}
