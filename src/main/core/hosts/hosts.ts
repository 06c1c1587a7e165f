/**
 * The hosts this server watches. Each remote has one monitor link (its row: sparklines,
 * managed and pool figures, state) and, per window session that looks at it, one proxy link
 * that carries that session's requests and subscriptions, so remote events reach only the
 * session that asked. Rows advance on the local tick: a host that sent nothing since the
 * last tick gets a null point (a gap), so every host's series share one time axis.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { hostname } from 'node:os';
import {
  HOSTS_LIMITS,
  LOCAL_HOST,
  requests,
  type HostRow,
  type HostsState,
  type ManagedStatus,
  type PoolsTick,
  type QueuesTick,
  type StatsSample,
  type StatsTick,
} from '../../../shared/contract';
import { fail, SpindleError, type Result } from '../../../shared/result';
import { RemoteLink } from './remote-link';
import { HostsFile, type SavedHost } from './hosts-file';

/** What the local row is made of, read at each tick. */
export interface LocalFigures {
  managed: ManagedStatus[];
  poolBacklog: number;
  queueBacklog: number | null;
}

export interface HostsOptions {
  dataDir: string;
  /** This server's version, for the local row. */
  version: string;
  local: () => LocalFigures;
  /** The hosts' state: each tick (`changed` false), and when a host is added, removed, or changes state or identity. */
  publish: (state: HostsState, changed: boolean) => void;
  backoffMs?: { min: number; max: number };
}

/** A session's way to receive a remote's events, tagged with the host's id. */
export type HostPush = (event: string, payload: unknown, host: string) => void;

interface Latest {
  cpuBusy: number | null;
  load1: number | null;
  memUsedPct: number | null;
}

interface Remote {
  saved: SavedHost;
  monitor: RemoteLink;
  row: HostRow;
  /** Figures received since the last tick; null when nothing came. */
  latest: Latest | null;
  /** Per session: its proxy link and the subscribing requests to replay after a reconnect. */
  proxies: Map<string, { link: RemoteLink; replay: Map<string, unknown> }>;
}

const emptySeries = (): HostRow['series'] => ({ t: [], cpuBusy: [], load1: [], memUsedPct: [] });

const figuresOf = (s: StatsSample): Latest => ({
  cpuBusy: s.cpu.total.busy,
  load1: s.load?.one ?? null,
  memUsedPct: s.mem && s.mem.total > 0 ? (100 * s.mem.used) / s.mem.total : null,
});

const managedCounts = (list: ManagedStatus[]): HostRow['managed'] => ({
  running: list.filter((m) => m.state === 'running').length,
  failed: list.filter(
    (m) =>
      m.state === 'fatal' ||
      m.state === 'backoff' ||
      (m.state === 'exited' && (m.lastExit?.code !== 0 || m.lastExit.signal !== null)),
  ).length,
});

function pushPoint(row: HostRow, t: number, p: Latest | null): void {
  const s = row.series;
  s.t.push(t);
  s.cpuBusy.push(p?.cpuBusy ?? null);
  s.load1.push(p?.load1 ?? null);
  s.memUsedPct.push(p?.memUsedPct ?? null);
  if (s.t.length > HOSTS_LIMITS.historyPoints) {
    s.t.shift();
    s.cpuBusy.shift();
    s.load1.shift();
    s.memUsedPct.shift();
  }
}

/** A URL a remote Spindle can be reached at: http(s), no credentials, no query. */
export function checkHostUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new SpindleError('EINVAL', `not a URL: ${raw.slice(0, 80)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new SpindleError('EINVAL', `a host URL is http:// or https://, not ${u.protocol}`);
  if (u.username || u.password)
    throw new SpindleError('EINVAL', 'put the credential in the token field, not in the URL');
  return `${u.protocol}//${u.host}`;
}

/**
 * The SHA-256 fingerprint (AB:CD:…) of each certificate in a PEM text, the first one's when
 * there are several; EINVAL when it holds none or one does not parse.
 */
export function fingerprintOf(pem: string): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new SpindleError('EINVAL', 'the certificate is not PEM (-----BEGIN CERTIFICATE-----)');
  const prints = blocks.map((b) => {
    try {
      return new X509Certificate(b).fingerprint256;
    } catch (err) {
      throw new SpindleError('EINVAL', `the certificate does not parse: ${(err as Error).message}`);
    }
  });
  return prints[0]!;
}

export class Hosts {
  readonly #opts: HostsOptions;
  readonly #file: HostsFile;
  readonly #remotes = new Map<string, Remote>();
  readonly #localRow: HostRow;
  #localLatest: Latest | null = null;

  constructor(opts: HostsOptions) {
    this.#opts = opts;
    this.#file = new HostsFile(opts.dataDir);
    // Not opts.local() here: the areas it reads may not exist yet; the first tick fills them in.
    const name = hostname();
    this.#localRow = {
      id: LOCAL_HOST,
      name,
      url: '',
      state: 'up',
      error: null,
      // Read-only is a property of each session here; the window knows its own (app.info).
      readOnly: null,
      version: opts.version,
      hostname: name,
      lastSeen: null,
      series: emptySeries(),
      managed: null,
      poolBacklog: null,
      queueBacklog: null,
      trusts: null,
    };
  }

  /** Read the saved hosts and connect to each. An unreadable file is reported, never overwritten. */
  start(): void {
    for (const saved of this.#file.load()) this.#open(saved);
  }

  stop(): void {
    for (const r of this.#remotes.values()) this.#close(r);
    this.#remotes.clear();
  }

  state(): HostsState {
    return { hosts: [this.#localRow, ...[...this.#remotes.values()].map((r) => r.row)] };
  }

  async add(p: { url: string; token: string; name?: string; certificate?: string }): Promise<HostRow> {
    const url = checkHostUrl(p.url);
    if (p.certificate !== undefined) {
      if (!url.startsWith('https:'))
        throw new SpindleError('EINVAL', 'a certificate to trust is for an https:// host only');
      fingerprintOf(p.certificate);
    }
    if (this.#remotes.size >= HOSTS_LIMITS.hosts - 1)
      throw new SpindleError('ELIMIT', `at most ${HOSTS_LIMITS.hosts} hosts`);
    for (const r of this.#remotes.values())
      if (r.saved.url === url) throw new SpindleError('EHOST_EXISTS', `${url} is already host ${r.saved.id}`);
    const name = p.name ?? new URL(url).host;
    const saved: SavedHost = {
      id: this.#idFor(name),
      name,
      url,
      token: p.token,
      ...(p.certificate !== undefined ? { certificate: p.certificate } : {}),
    };
    await this.#file.save([...[...this.#remotes.values()].map((r) => r.saved), saved]);
    const row = this.#open(saved).row;
    this.#opts.publish(this.state(), true);
    return row;
  }

  async remove(id: string): Promise<void> {
    const r = this.#remotes.get(id);
    if (!r) throw new SpindleError('ENOT_FOUND', `no host ${id}`);
    await this.#file.save([...this.#remotes.values()].filter((x) => x !== r).map((x) => x.saved));
    this.#close(r);
    this.#remotes.delete(id);
    this.#opts.publish(this.state(), true);
  }

  /**
   * Forward one request of a session to a remote. Control requests are refused here when the
   * session is read-only, before anything reaches the remote; the remote refuses them again
   * when it is read-only itself (EREADONLY comes back as its answer).
   */
  async forward(
    session: string,
    hostId: string,
    method: string,
    params: unknown,
    readOnly: boolean,
    push: HostPush,
  ): Promise<Result<unknown>> {
    const r = this.#remotes.get(hostId);
    if (!r) return fail('ENOT_FOUND', `no host ${hostId}`);
    const def = (requests as Record<string, { control: boolean } | undefined>)[method];
    if (!def || !Object.hasOwn(requests, method)) return fail('EUNKNOWN_METHOD', `unknown method ${method}`);
    if (def.control && readOnly) return fail('EREADONLY', `${method} refused: this session is read-only`);
    if (method.startsWith('hosts.'))
      return fail('EUNSUPPORTED', 'hosts are managed on the local server only');
    let proxy = r.proxies.get(session);
    if (!proxy) {
      const replay = new Map<string, unknown>();
      const link = new RemoteLink({
        url: r.saved.url,
        token: r.saved.token,
        certificate: r.saved.certificate,
        backoffMs: this.#opts.backoffMs,
        onEvent: (event, payload) => push(event, payload, hostId),
        onState: () => {},
        // After a reconnect the remote session is new: subscribe again to what this session had.
        onOpen: async (l) => {
          for (const [m, p] of replay) await l.request(m, p);
        },
      });
      proxy = { link, replay };
      r.proxies.set(session, proxy);
      await link.settled();
    }
    const subscribes =
      method.endsWith('.subscribe') || (params as { subscribe?: unknown })?.subscribe === true;
    if (subscribes) {
      if (proxy.replay.size >= 32 && !proxy.replay.has(method)) proxy.replay.clear();
      proxy.replay.set(method, params);
    }
    if (method.endsWith('.unsubscribe')) proxy.replay.delete(method.replace(/\.unsubscribe$/, '.subscribe'));
    return proxy.link.request(method, params);
  }

  /** A session ended (or stopped looking at one host): close its proxy links. */
  closeSession(session: string, hostId?: string): void {
    for (const r of this.#remotes.values()) {
      if (hostId !== undefined && r.saved.id !== hostId) continue;
      r.proxies.get(session)?.link.close();
      r.proxies.delete(session);
    }
  }

  /** Advance every row by one point (the local tick); publish the rows. */
  tick(local: StatsSample): void {
    const t = local.t;
    const l = this.#opts.local();
    this.#localLatest = figuresOf(local);
    Object.assign(this.#localRow, {
      lastSeen: t,
      managed: managedCounts(l.managed),
      poolBacklog: l.poolBacklog,
      queueBacklog: l.queueBacklog,
    });
    pushPoint(this.#localRow, t, this.#localLatest);
    for (const r of this.#remotes.values()) {
      pushPoint(r.row, t, r.row.state === 'up' ? r.latest : null);
      r.latest = null;
    }
    this.#opts.publish(this.state(), false);
  }

  #idFor(name: string): string {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'host';
    let id = base === LOCAL_HOST ? `${base}-2` : base;
    for (let i = 2; this.#remotes.has(id); i++) id = `${base}-${i}`;
    return id;
  }

  #open(saved: SavedHost): Remote {
    const row: HostRow = {
      id: saved.id,
      name: saved.name,
      url: saved.url,
      state: 'connecting',
      error: null,
      readOnly: null,
      version: null,
      hostname: null,
      lastSeen: null,
      series: emptySeries(),
      managed: null,
      poolBacklog: null,
      queueBacklog: null,
      trusts: saved.certificate ? fingerprintOf(saved.certificate) : null,
    };
    const remote: Remote = {
      saved,
      row,
      latest: null,
      proxies: new Map(),
      monitor: null as unknown as RemoteLink,
    };
    remote.monitor = new RemoteLink({
      url: saved.url,
      token: saved.token,
      certificate: saved.certificate,
      backoffMs: this.#opts.backoffMs,
      onState: (state, error) => {
        Object.assign(row, { state, error });
        this.#opts.publish(this.state(), true);
      },
      onOpen: async (link) => {
        const app = await link.request('app.info');
        if (app.ok) {
          const a = app.value as { version: string; readOnly: boolean };
          Object.assign(row, { version: a.version, readOnly: a.readOnly });
        }
        const sys = await link.request('system.info');
        if (sys.ok) row.hostname = (sys.value as { hostname: string }).hostname;
        // Read-only or not shows in the host banner: tell the list's watchers now.
        this.#opts.publish(this.state(), true);
        const sup = await link.request('supervisor.subscribe');
        if (sup.ok) row.managed = managedCounts(sup.value as ManagedStatus[]);
        const pools = await link.request('pools.subscribe');
        if (pools.ok) row.poolBacklog = backlogOf(pools.value as PoolsTick);
        const queues = await link.request('queues.subscribe');
        if (queues.ok) row.queueBacklog = queueBacklogOf(queues.value as QueuesTick);
        await link.request('stats.subscribe');
      },
      onEvent: (event, payload) => {
        if (event === 'stats') {
          const s = (payload as StatsTick).sample;
          remote.latest = figuresOf(s);
          row.lastSeen = s.t;
        } else if (event === 'supervisor.list') row.managed = managedCounts(payload as ManagedStatus[]);
        else if (event === 'pools') row.poolBacklog = backlogOf(payload as PoolsTick);
        else if (event === 'queues') row.queueBacklog = queueBacklogOf(payload as QueuesTick);
      },
    });
    this.#remotes.set(saved.id, remote);
    return remote;
  }

  #close(r: Remote): void {
    r.monitor.close();
    for (const p of r.proxies.values()) p.link.close();
    r.proxies.clear();
  }
}

const backlogOf = (p: PoolsTick): number => p.pools.reduce((n, pool) => n + pool.counts.queued, 0);

/** Jobs waiting to be taken across the watched queues; null when none is watched. */
export function queueBacklogOf(t: QueuesTick): number | null {
  if (t.queues.length === 0) return null;
  return t.queues.reduce((n, q) => n + q.counts.waiting + q.counts.prioritized + q.counts.paused, 0);
}

/** A fresh id for a session's proxies (sessions have no id of their own). */
export const sessionKey = (): string => randomUUID();
