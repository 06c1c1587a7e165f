/**
 * The queues engine: Redis connections, the queues found on each, one poll per queue per
 * tick, and the `queues` event. Invariants:
 * - one round trip per queue per tick (the poll script) plus, per connection, one CLIENT
 *   LIST per tick and a bounded SCAN every DISCOVERY_MS: the cost does not grow with the
 *   size or the throughput of a queue;
 * - ticks never overlap (the next is scheduled after the previous finished);
 * - a tick where a connection is down adds a gap to each of its queues' history;
 * - the password lives only in the link's settings and the 0600 file, never in a result.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  QUEUE_LIMITS,
  type ConnectionInput,
  type QueueConnection,
  type QueueProducer,
  type QueueStats,
  type QueuesSnapshot,
  type QueuesTick,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { RedisLink } from './connection';
import { Discovery } from './discovery';
import { pollQueue, WORKER_FORGET_MS } from './poll-script';
import { HISTORY_COLUMNS, QueueWatch } from './queue-watch';
import { parseConnection, type ConnectionSettings } from './redis-url';
import { SavedConnections } from './saved-connections';
import { parseClientList, type BullClient } from './workers';

/** How often each connection looks for new queues. */
export const DISCOVERY_MS = 5000;
/** Numbers of history in one `queues.subscribe` reply (~3 MB of JSON at most). */
const HISTORY_VALUES = 400_000;
/** Trim the workers set every this many ticks (ZREMRANGEBYSCORE is cheap, but not free). */
const TRIM_EVERY = 10;

export interface QueuesEngineOptions {
  /** Poll period (default 1000 ms). */
  intervalMs?: number;
  /** Where `queues.json` lives; null: connections are never saved (tests, bench). */
  dataDir: string | null;
  /** Every tick and every change (the Core publishes it as the `queues` event). */
  onTick(tick: QueuesTick): void;
  /** Steady producers, listed in each tick (owned by the controls). */
  producers?(): QueueProducer[];
}

interface LinkState {
  link: RedisLink;
  discovery: Discovery;
  nextDiscovery: number;
  watches: Map<string, QueueWatch>;
  clients: Map<string, BullClient[]>;
  /** A read-only replica refused the workers-set trim (READONLY): poll without it from now on. */
  noTrim: boolean;
}

export class QueuesEngine {
  readonly intervalMs: number;
  readonly #opts: QueuesEngineOptions;
  readonly #links = new Map<string, LinkState>();
  readonly #saved: SavedConnections | null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #ticks = 0;
  #changeQueued = false;
  /** Listeners told when a connection closes (controls drop their BullMQ objects). */
  readonly #closeListeners = new Set<(id: string) => void>();

  constructor(opts: QueuesEngineOptions) {
    this.#opts = opts;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.#saved = opts.dataDir === null ? null : new SavedConnections(opts.dataDir);
  }

  /** Reconnect the saved connections and `extra` (e.g. `--redis` URLs, not saved), then poll. */
  async start(extra: readonly ConnectionInput[] = []): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const saved = this.#saved ? await this.#saved.load() : [];
    if (!this.#running) return; // stopped while the file was read: connect nothing
    if (this.#saved?.problem) console.error(`spindle: queues: ${this.#saved.problem}`);
    for (const s of saved) this.#add(s.id, s, true).link.start();
    for (const input of extra) {
      try {
        this.#add(newId(), parseConnection(input), false).link.start();
      } catch (e) {
        console.error(`spindle: --redis: ${(e as Error).message}`);
      }
    }
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#links.values()].map((s) => this.#close(s)));
    this.#links.clear();
  }

  /**
   * Connect and wait for the first answer (≤ ~2 s): the connection, or the coded error with
   * nothing kept. Saved (0600 file) unless `save` is false.
   */
  async connect(input: ConnectionInput, o: { managedId?: string } = {}): Promise<QueueConnection> {
    if (this.#links.size >= QUEUE_LIMITS.connections) {
      throw new SpindleError('ETOO_MANY', `at most ${QUEUE_LIMITS.connections} connections`);
    }
    const settings = parseConnection(input);
    const save = input.save ?? true;
    // An unreadable queues.json is never overwritten: a new connection then is not saved (and says so).
    const canSave = this.#saved !== null && this.#saved.problem === null;
    const state = this.#add(newId(), settings, save && canSave, o.managedId ?? null);
    try {
      await state.link.firstConnect();
    } catch (e) {
      this.#links.delete(state.link.id);
      await state.link.close();
      this.#changed();
      throw e;
    }
    if (state.link.saved) await this.#persist();
    // Queues show at once, not at the next discovery.
    await this.#discover(state, Date.now()).catch(() => {});
    this.#changed();
    return state.link.info();
  }

  /** A connection's settings, password included (for a local worker's 0600 file only). */
  settingsOf(id: string): ConnectionSettings {
    return this.#state(id).link.settings;
  }

  async disconnect(id: string, forget: boolean): Promise<void> {
    const s = this.#state(id);
    this.#links.delete(id);
    await this.#close(s);
    if (forget && s.link.saved) await this.#persist();
    this.#changed();
  }

  connections(): QueueConnection[] {
    return [...this.#links.values()].map((s) => s.link.info());
  }

  /** The link of a connection id (ENO_CONNECTION). */
  link(id: string): RedisLink {
    return this.#state(id).link;
  }

  /** Run `fn` with the client of an up connection (ECONNECTION_DOWN otherwise). */
  use<T>(id: string, fn: (c: Redis, s: ConnectionSettings) => Promise<T>): Promise<T> {
    const link = this.link(id);
    return link.use((c) => fn(c, link.settings));
  }

  /** True when the queue is watched on that connection. */
  has(id: string, queue: string): boolean {
    return this.#links.get(id)?.watches.has(queue) ?? false;
  }

  /** Watch a queue now (a control just made it), before discovery would find it. */
  watch(id: string, queue: string): void {
    const s = this.#state(id);
    const room =
      s.watches.size < QUEUE_LIMITS.queuesPerConnection && this.#watchCount() < QUEUE_LIMITS.queues;
    if (!s.watches.has(queue) && room) {
      s.watches.set(queue, new QueueWatch(id, queue));
      this.#changed();
    }
  }

  /** Stop watching a queue (obliterated). */
  unwatch(id: string, queue: string): void {
    if (this.#state(id).watches.delete(queue)) this.#changed();
  }

  onClose(l: (id: string) => void): () => void {
    this.#closeListeners.add(l);
    return () => void this.#closeListeners.delete(l);
  }

  /** Poll every queue once more now and push a 'change' (after a control). */
  async refresh(id: string, queue: string): Promise<void> {
    const s = this.#links.get(id);
    const w = s?.watches.get(queue);
    if (!s || !w || !s.link.up) return;
    await this.#poll(s, w, Date.now(), 0, false).catch(() => {});
    this.#changed();
  }

  /**
   * Everything now, with each queue's history. The reply stays well under the web
   * transport's 8 MB of unsent bytes: past HISTORY_VALUES numbers in all, each queue sends
   * only its newest points (256 queues: the last ~80 s each; the ticks add the rest).
   */
  snapshot(localRedisAvailable: boolean): QueuesSnapshot {
    const history: QueuesSnapshot['history'] = {};
    const n = Math.max(1, this.#watchCount());
    const points = Math.max(1, Math.floor(HISTORY_VALUES / (n * HISTORY_COLUMNS)));
    for (const s of this.#links.values()) {
      for (const w of s.watches.values()) history[w.key] = w.history(points);
    }
    return { ...this.#now('change'), localRedisAvailable, intervalMs: this.intervalMs, history };
  }

  /** Each watched queue with its history and the workers seen (usage snapshots). */
  watches(): { connection: QueueConnection; watch: QueueWatch }[] {
    const out: { connection: QueueConnection; watch: QueueWatch }[] = [];
    for (const s of this.#links.values()) {
      const connection = s.link.info();
      for (const watch of s.watches.values()) out.push({ connection, watch });
    }
    return out;
  }

  /** The steady producers now (none when the controls list none). */
  #producers(): QueueProducer[] {
    return this.#opts.producers?.() ?? [];
  }

  #now(reason: QueuesTick['reason'], producers = this.#producers()): QueuesTick {
    const queues: QueueStats[] = [];
    // The event stays bounded: past QUEUE_LIMITS.workersPerTick, queues list no more workers.
    let budget: number = QUEUE_LIMITS.workersPerTick;
    for (const s of this.#links.values()) {
      for (const w of s.watches.values()) {
        const st = w.stats;
        const keep = Math.min(budget, st.workers.length);
        budget -= keep;
        queues.push(
          keep === st.workers.length
            ? st
            : {
                ...st,
                workers: st.workers.slice(0, keep),
                workersOmitted: st.workersOmitted + st.workers.length - keep,
              },
        );
      }
    }
    return {
      reason,
      t: Date.now(),
      connections: this.connections(),
      queues,
      producers,
    };
  }

  /** Push a 'change' soon (coalesced: a burst of state changes makes one event). */
  #changed(): void {
    if (this.#changeQueued) return;
    this.#changeQueued = true;
    queueMicrotask(() => {
      this.#changeQueued = false;
      if (this.#running) this.#opts.onTick(this.#now('change'));
    });
  }

  #watchCount(): number {
    let n = 0;
    for (const s of this.#links.values()) n += s.watches.size;
    return n;
  }

  #state(id: string): LinkState {
    const s = this.#links.get(id);
    if (!s) throw new SpindleError('ENO_CONNECTION', `no connection ${id}`);
    return s;
  }

  #add(id: string, settings: ConnectionSettings, saved: boolean, managedId: string | null = null): LinkState {
    const link = new RedisLink({ id, settings, saved, managedId, onChange: () => this.#changed() });
    const state: LinkState = {
      link,
      discovery: new Discovery(settings.prefix),
      nextDiscovery: 0,
      watches: new Map(),
      clients: new Map(),
      noTrim: false,
    };
    this.#links.set(id, state);
    return state;
  }

  async #close(s: LinkState): Promise<void> {
    for (const l of this.#closeListeners) l(s.link.id);
    await s.link.close();
  }

  async #persist(): Promise<void> {
    if (!this.#saved) return;
    const list = [...this.#links.values()]
      .filter((s) => s.link.saved)
      .map((s) => ({ id: s.link.id, ...s.link.settings }));
    await this.#saved.save(list);
  }

  #schedule(delay: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      const started = performance.now();
      void this.#tick().finally(() => {
        const spent = performance.now() - started;
        this.#schedule(Math.max(0, this.intervalMs - spent));
      });
    }, delay);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    const t = Date.now();
    const trimBefore = this.#ticks++ % TRIM_EVERY === 0 ? t - WORKER_FORGET_MS : 0;
    await Promise.all([...this.#links.values()].map((s) => this.#tickLink(s, t, trimBefore)));
    // With no connection and no producer a tick carries nothing new (the last 'change' said
    // so): sending it anyway woke every window once a second for an empty list.
    const producers = this.#producers();
    if (!this.#links.size && !producers.length) return;
    if (this.#running) this.#opts.onTick(this.#now('tick', producers));
  }

  async #tickLink(s: LinkState, t: number, trimBefore: number): Promise<void> {
    if (!s.link.up) {
      for (const w of s.watches.values()) w.gap(t);
      return;
    }
    try {
      if (t >= s.nextDiscovery) await this.#discover(s, t);
      s.clients = parseClientList(String(await s.link.client.client('LIST')), s.link.settings.prefix);
    } catch (e) {
      // Timed out on an open socket: the server hangs (SIGSTOP, swap). Reconnect, show it down.
      if (/timed out/i.test(String((e as Error)?.message))) {
        s.link.notAnswering();
        for (const w of s.watches.values()) w.gap(t);
        return;
      }
      // Any other failure: the polls below fail too and record the gap.
    }
    await Promise.all([...s.watches.values()].map((w) => this.#poll(s, w, t, trimBefore, true)));
  }

  async #poll(s: LinkState, w: QueueWatch, t: number, trimBefore: number, point: boolean): Promise<void> {
    const poll = (trim: number) =>
      pollQueue(s.link.client, {
        prefix: s.link.settings.prefix,
        queue: w.name,
        cursors: w.cursors,
        trimBefore: trim,
        maxReports: QUEUE_LIMITS.reportsPerQueue,
      });
    const trim = s.noTrim ? 0 : trimBefore;
    try {
      let r;
      try {
        r = await poll(trim);
      } catch (e) {
        // The only write in the script is the trim; a replica refuses it. The primary trims.
        if (!trim || !/READONLY/.test(String((e as Error)?.message))) throw e;
        s.noTrim = true;
        r = await poll(0);
      }
      w.record(t, r, s.clients.get(w.name) ?? [], point);
    } catch {
      if (point) w.gap(t);
    }
  }

  async #discover(s: LinkState, t: number): Promise<void> {
    s.nextDiscovery = t + DISCOVERY_MS;
    const { found, complete } = await s.discovery.refresh(s.link.client);
    let omitted = 0;
    for (const name of found) {
      if (s.watches.has(name)) continue;
      if (s.watches.size >= QUEUE_LIMITS.queuesPerConnection || this.#watchCount() >= QUEUE_LIMITS.queues)
        omitted++;
      else s.watches.set(name, new QueueWatch(s.link.id, name));
    }
    if (complete) {
      // A whole pass is done: queues whose meta key is gone have been removed from Redis.
      const present = new Set(complete);
      for (const name of s.watches.keys()) if (!present.has(name)) s.watches.delete(name);
      s.link.omitted = Math.max(0, complete.length - s.watches.size);
    } else s.link.omitted = Math.max(s.link.omitted, omitted);
  }
}

const newId = (): string => randomBytes(4).toString('hex');
