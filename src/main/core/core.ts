/**
 * The engine every adapter serves: one object, many sessions (the Electron window, web
 * clients). Adapters turn wire messages into `session.request(raw)` and pass pushed
 * events back out; nothing here knows about Electron or HTTP.
 */
import {
  LOCAL_HOST,
  type EventName,
  type Events,
  type ManagedStatus,
  type PoolsTick,
  type QueuesTick,
  type SystemInfo,
} from '../../shared/contract';
import type { Result } from '../../shared/result';
import { requests } from '../../shared/contract';
import { dispatch, type ClientInfo, type Handlers, type HandlerContext, type Push } from './rpc';
import { Sampler } from './sampler/sampler';
import { AuditLog } from './audit/audit-log';
import { auditHandlers } from './audit/handlers';
import { Snapshots } from './snapshots/snapshots';
import { snapshotsHandlers } from './snapshots/handlers';
import { statsHandlers } from './stats/handlers';
import { fail } from '../../shared/result';
import { hostsHandlers } from './hosts/handlers';
import { ProcessControl } from './processes/process-control';
import { processesHandlers } from './processes/handlers';
import { Supervisor } from './supervisor/supervisor';
import { supervisorHandlers } from './supervisor/handlers';
import { redactList } from './supervisor/redact';
import { snapshotRows } from './supervisor/snapshot-rows';
import { PoolsEngine } from './pools/pools-engine';
import { poolsHandlers } from './pools/handlers';
import { queuesHandlers } from './queues/handlers';
import { QueuesEngine } from './queues/queues-engine';
import { QueueControls } from './queues/controls';
import { queueSnapshotRows } from './queues/snapshot-rows';
import type { ConnectionInput } from '../../shared/contract';
import { readSystemInfo } from './system/system-info';
import { systemHandlers } from './system/handlers';
import { APP_VERSION } from './version';
import { Hosts, queueBacklogOf, sessionKey } from './hosts/hosts';
import { dataDirOf } from './supervisor/definitions-store';

export interface CoreOptions {
  intervalMs?: number;
  retentionMs?: number;
  /** The desktop save dialog (Electron adapter); absent in web mode, where browsers download. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Folder for Spindle's files (default: SPINDLE_DATA_DIR, else ~/.config/spindle). */
  dataDir?: string;
  /** Redis servers to watch (`--redis URL`, repeatable; default: SPINDLE_REDIS_URL, space-separated). Not saved. */
  redis?: string[];
  /** Queues poll period (default 1000 ms). */
  queuesIntervalMs?: number;
}

/** `--redis` values, else SPINDLE_REDIS_URL's (space- or comma-separated). */
const redisUrls = (opt?: string[]): ConnectionInput[] =>
  (opt ?? (process.env.SPINDLE_REDIS_URL ?? '').split(/[\s,]+/))
    .filter(Boolean)
    .map((url) => ({ url, save: false }));

/** One attached client. */
export interface Session {
  request(raw: unknown): Promise<Result<unknown>>;
  close(): void;
}

interface SessionState {
  client: ClientInfo;
  push: Push;
  topics: Set<EventName>;
}

export class Core {
  readonly sampler: Sampler;
  /** Every control request, bounded; dispatch records into it. */
  readonly audit = new AuditLog();
  /** Signals, tree ends and renices of any process, checked by (pid, start time). */
  readonly processes = new ProcessControl({
    helpers: () => {
      const pid = this.supervisor?.helperPid;
      return pid ? [pid] : [];
    },
  });
  /** Usage snapshots of everything below. */
  readonly snapshots: Snapshots;
  /** Managed processes and pipelines, owned through the supervisor helper. */
  readonly supervisor: Supervisor;
  #lastPools: PoolsTick | null = null;
  #lastManaged: ManagedStatus[] = [];
  #lastQueues: QueuesTick | null = null;
  /** Worker pools (threads and processes), their pipelines and the speed-up lab. */
  readonly pools = new PoolsEngine(
    (tick) => {
      this.#lastPools = tick;
      this.publish('pools', tick);
    },
    {
      // Worker processes are started by the supervisor helper (fork off the main loop).
      launcher: { fork: (...a) => this.supervisor.workerLauncher.fork(...a) },
    },
  );
  /** Other Spindle servers this one watches and forwards requests to. */
  readonly hosts: Hosts;
  /** BullMQ queues on Redis servers: connections, polling, history. */
  readonly queues: QueuesEngine;
  readonly queueControls: QueueControls;
  readonly #redis: ConnectionInput[];
  readonly #sessions = new Set<SessionState>();
  readonly #handlers: Handlers;
  #systemInfo: Promise<SystemInfo> | null = null;

  constructor(opts: CoreOptions = {}) {
    this.sampler = new Sampler(opts);
    this.sampler.onSample((s) => this.publish('stats', s));
    this.hosts = new Hosts({
      dataDir: dataDirOf(opts.dataDir),
      version: APP_VERSION,
      local: () => ({
        // The list as last pushed, not a new one built every tick to be counted.
        managed: this.#lastManaged,
        poolBacklog: (this.#lastPools?.pools ?? []).reduce((n, p) => n + p.counts.queued, 0),
        queueBacklog: this.#lastQueues ? queueBacklogOf(this.#lastQueues) : null,
      }),
      publish: (state, changed) => {
        this.publish('hosts', state);
        if (changed) this.publish('hosts.changed', state);
      },
    });
    this.sampler.onSample((s) => this.hosts.tick(s.sample));
    this.queues = new QueuesEngine({
      dataDir: dataDirOf(opts.dataDir),
      intervalMs: opts.queuesIntervalMs,
      onTick: (t) => {
        this.#lastQueues = t;
        this.publish('queues', t);
      },
      producers: () => this.queueControls.producers(),
    });
    this.queueControls = new QueueControls(this.queues);
    this.#redis = redisUrls(opts.redis);
    this.audit.onEntry((e) => this.publish('audit', e));
    this.supervisor = new Supervisor({
      dataDir: opts.dataDir,
      onList: (list) => {
        this.#lastManaged = list;
        this.publish('supervisor.list', list);
      },
      onOutput: (batch) => this.publish('supervisor.output', batch),
    });
    // A supervisor.json that could not be loaded is kept; say so where the user looks.
    const problem = this.supervisor.store.problem;
    if (problem) {
      this.audit.record({
        client: 'spindle',
        action: 'load definitions',
        target: { name: this.supervisor.store.file },
        outcome: problem.code,
        detail: problem.message,
      });
    }
    // Managed processes get per-process history, whoever is looking.
    this.supervisor.onManagedKeys((keys) => this.sampler.setInterest('supervisor', keys.slice(0, 256)));
    this.snapshots = new Snapshots({
      version: APP_VERSION,
      intervalMs: () => this.sampler.intervalMs,
      system: () => this.systemInfo(),
      history: () => this.sampler.historyWindow(),
      processes: () => [...this.sampler.table().values()],
      managed: () => snapshotRows(this.supervisor),
      pools: () => this.pools.snapshotRows(),
      audit: () => this.audit.list(),
      queues: () => queueSnapshotRows(this.queues),
    });
    this.#handlers = {
      ...systemHandlers(() => this.systemInfo()),
      ...statsHandlers(this.sampler),
      ...auditHandlers(this.audit),
      ...snapshotsHandlers(this.snapshots, {
        chooseSavePath: opts.chooseSavePath,
        hostname: async () => (await this.systemInfo()).hostname,
      }),
      ...hostsHandlers(this.hosts),
      ...processesHandlers(this.processes),
      ...poolsHandlers(this.pools),
      ...supervisorHandlers(this.supervisor),
      ...queuesHandlers({
        engine: this.queues,
        controls: this.queueControls,
        supervisor: this.supervisor,
        dataDir: dataDirOf(opts.dataDir),
      }),
    };
  }

  /** A request for a remote host; control ones are audited here as well as on the remote. */
  async #forward(
    key: string,
    host: string,
    method: string,
    params: unknown,
    client: ClientInfo,
    push: Push,
  ): Promise<Result<unknown>> {
    const res = await this.hosts.forward(key, host, method, params, client.readOnly, (e, p, h) =>
      push(e as EventName, p as Events[EventName], h),
    );
    const control = (requests as Record<string, { control: boolean } | undefined>)[method]?.control;
    if (control && Object.hasOwn(requests, method)) {
      this.audit.record({
        client: client.label,
        action: `${method} on ${host}`,
        target: { id: host },
        outcome: res.ok ? 'ok' : res.error.code,
        detail: res.ok ? '' : res.error.message,
      });
    }
    return res;
  }

  /** Static system info, read once and shared. */
  systemInfo(): Promise<SystemInfo> {
    this.#systemInfo ??= readSystemInfo();
    return this.#systemInfo;
  }

  start(): void {
    this.sampler.start();
    this.hosts.start();
    void this.systemInfo();
    void this.queues.start(this.#redis);
  }

  async stop(): Promise<void> {
    this.hosts.stop();
    this.pools.stop();
    await this.queueControls.close();
    await this.queues.stop();
    await this.supervisor.close();
    this.sampler.stop();
    for (const s of this.#sessions) s.topics.clear();
    this.#sessions.clear();
  }

  /** Send an event to every session subscribed to it. */
  publish<E extends EventName>(event: E, payload: Events[E]): void {
    let redacted: Events[E] | undefined;
    for (const s of this.#sessions) {
      if (!s.topics.has(event)) continue;
      // A read-only viewer never sees environment values of managed definitions.
      if (event === 'supervisor.list' && s.client.readOnly) {
        redacted ??= redactList(payload as Events['supervisor.list']) as Events[E];
        s.push(event, redacted);
      } else s.push(event, payload);
    }
  }

  openSession(client: ClientInfo, push: Push): Session {
    const state: SessionState = { client, push, topics: new Set() };
    this.#sessions.add(state);
    const key = sessionKey();
    const ctx: HandlerContext = {
      client,
      sessionId: key,
      subscribe: (e) => state.topics.add(e),
      unsubscribe: (e) => state.topics.delete(e),
    };
    const toHost = (raw: unknown): string | null => {
      const h = raw && typeof raw === 'object' ? (raw as { host?: unknown }).host : undefined;
      return typeof h === 'string' && h !== LOCAL_HOST ? h : null;
    };
    return {
      request: (raw) => {
        const host = toHost(raw);
        if (host === null) return dispatch(this.#handlers, raw, ctx, this.audit);
        const { method, params } = raw as { method?: unknown; params?: unknown };
        if (typeof method !== 'string')
          return Promise.resolve(fail('EBAD_MESSAGE', 'expected { method, params }'));
        return this.#forward(key, host, method, params, client, push);
      },
      close: () => {
        this.hosts.closeSession(key);
        state.topics.clear();
        this.#sessions.delete(state);
        this.sampler.setInterest(client.label, []);
      },
    };
  }
}
