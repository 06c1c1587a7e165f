/**
 * The hosts area: other Spindle servers this one watches and forwards to. The local server
 * connects to each remote itself (server-side), so the window's content security policy and
 * the remote's Origin checks stay strict, and a remote's credential never reaches a window.
 * A request or event for a remote carries `host` (its id) beside method and params; without
 * it, the request is the local server's. `local` is the id of this machine's own row.
 */
import { z } from 'zod';
import { request } from './define';

/** Bounds of the hosts area. */
export const HOSTS_LIMITS = {
  hosts: 16,
  /** Points of each host's sparklines (one per remote tick, ~1 s). */
  historyPoints: 120,
  tokenChars: 512,
  /** A certificate to trust for one host (PEM text: the host's own, or the CA that signed it). */
  certificateChars: 32_768,
  /** A forwarded request waits this long for the remote's answer. */
  requestTimeoutMs: 15_000,
} as const;

export { LOCAL_HOST } from '../local-host';

/** Codes of the hosts area (a forwarded request fails with the remote's own code). */
export type HostsErrorCode =
  | 'EHOST_DOWN' // the host is not connected (its row says why)
  | 'EHOST_TIMEOUT' // the host did not answer a forwarded request in time
  | 'EHOST_AUTH' // the host refused the credential (401)
  | 'EHOST_REFUSED' // the host answered the upgrade with another HTTP status
  | 'EHOST_UNREACHABLE' // connection refused, no such name, no route
  | 'EHOST_TLS' // the TLS handshake failed (certificate, protocol)
  | 'EHOST_EXISTS' // that URL is already a host
  | 'EHOSTS_FILE'; // hosts.json cannot be read: it is kept, and not written over

export type HostState = 'connecting' | 'up' | 'down' | 'reconnecting';

/** One host as the Hosts view shows it; never holds a credential. */
export interface HostRow {
  id: string;
  name: string;
  /** The remote's base URL (http or https), without credentials; '' for the local row. */
  url: string;
  state: HostState;
  /** Why it is down or reconnecting: a code and a sentence. */
  error: { code: HostsErrorCode; message: string } | null;
  /** Whether the remote refuses control requests (known once connected). */
  readOnly: boolean | null;
  version: string | null;
  hostname: string | null;
  /** When the last tick arrived (ms since epoch), null before the first. */
  lastSeen: number | null;
  /** Sparklines: one point per remote tick; null points are gaps (the host was down). */
  series: {
    t: number[];
    cpuBusy: (number | null)[];
    load1: (number | null)[];
    memUsedPct: (number | null)[];
  };
  managed: { running: number; failed: number } | null;
  /** Tasks queued in the host's pools (null until its pools are known). */
  poolBacklog: number | null;
  /** Jobs waiting (waiting, prioritized, paused) in the queues the host watches; null when it watches none. */
  queueBacklog: number | null;
  /**
   * The SHA-256 fingerprint of the certificate trusted for this host alone (`hosts.add`
   * with `certificate`: a self-signed host), null where the system's CAs decide.
   */
  trusts: string | null;
}

/** The `hosts` event and what `hosts.list` returns. */
export interface HostsState {
  hosts: HostRow[];
}

const hostId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a host id is lower-case letters, digits and dashes');

export const hostsRequests = {
  /**
   * Every host (this one first). `subscribe: 'ticks'` (or `true`) sends the `hosts` event each
   * tick, sparkline points included, for a view that draws them; `'changes'` sends
   * `hosts.changed` only when a host is added, removed, or changes state, for what shows only
   * the list (the host picker): a window that is not drawing the Hosts view does not wake up
   * each second for it. A session holds one mode; asking for the other replaces it.
   */
  'hosts.list': request<HostsState>()(
    z
      .object({ subscribe: z.union([z.boolean(), z.enum(['ticks', 'changes'])]).optional() })
      .strict()
      .optional(),
    { control: false },
  ),
  /**
   * Watch another Spindle: its base URL and a credential it accepts (its token). Saved (mode
   * 0600). `certificate` (https only, PEM): trust this certificate for this host, besides the
   * system's CAs, as for a host started with a self-signed `--tls-cert`; the host name must
   * still match it.
   */
  'hosts.add': request<HostRow>()(
    z
      .object({
        url: z.string().min(1).max(2048),
        token: z.string().min(1).max(HOSTS_LIMITS.tokenChars),
        name: z.string().min(1).max(64).optional(),
        certificate: z.string().min(1).max(HOSTS_LIMITS.certificateChars).optional(),
      })
      .strict(),
    { control: true },
  ),
  'hosts.remove': request<null>()(z.object({ id: hostId }).strict(), { control: true }),
  /** This session stops looking at a host: its forwarded subscriptions there end. */
  'hosts.release': request<null>()(z.object({ id: hostId }).strict(), { control: false }),
};

export interface HostsEvents {
  /** Each tick, to sessions subscribed with `'ticks'`; and on every change. */
  hosts: HostsState;
  /** On a change only (a host added, removed, connected, lost), to sessions subscribed with `'changes'`. */
  'hosts.changed': HostsState;
}
