/**
 * The queues area of the contract: BullMQ queues on one or more Redis servers, found by
 * SCAN, polled once per tick (one round trip per queue), their workers joined with the host
 * reports Spindle's headless workers write (queues-shared.md), controls and job pages.
 * Times are epoch ms (or ms for durations), rates per second. A password never appears in
 * any result or event: URLs are shown with `***` in its place.
 */
import { z } from 'zod';
import { request } from './define';
import type { Percentiles } from './pools';
import type { ManagedStatus } from './supervisor';

/** Bounds of the queues area: every list in a result or event is capped by one of these. */
export const QUEUE_LIMITS = {
  connections: 16,
  /** Queues watched per connection (discovery stops adding past it; `omitted` counts the rest). */
  queuesPerConnection: 128,
  /** Queues watched over all connections (history memory: ~90 KB each). */
  queues: 256,
  /** Workers listed per queue (BullMQ's and Spindle's reports joined). */
  workersPerQueue: 64,
  /** Workers listed in one `queues` event over all queues (the rest counted in `workersOmitted`). */
  workersPerTick: 512,
  /** Host reports read per queue per tick. */
  reportsPerQueue: 256,
  /** Jobs in progress listed per worker report. */
  activePerWorker: 32,
  /** History points kept per queue (10 min at 1 Hz). */
  historyPoints: 600,
  /** Jobs per page in `queues.jobs`. */
  pageSize: 100,
  /** Largest JSON payload `queues.add` accepts (UTF-8 bytes of its JSON text). */
  payloadBytes: 64 * 1024,
  batch: { max: 100_000 },
  rate: { max: 5_000 },
  workloadMs: { max: 60_000 },
  /** Recent finished jobs the p50/p95/p99 are computed over (per queue). */
  latencyWindow: 1000,
} as const;

/** The built-in workloads a job name can be (the same names the headless worker runs). */
export const QUEUE_WORKLOADS = ['sleep', 'gcd', 'fail', 'crash', 'noop'] as const;
export type QueueWorkload = (typeof QUEUE_WORKLOADS)[number];

/** Job states BullMQ keeps, in the order the UI lists them. */
export const JOB_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'waiting-children',
  'completed',
  'failed',
  'paused',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** How many jobs are in each state (BullMQ's own keys: LLEN/ZCARD, never a scan of jobs). */
export type QueueCounts = Record<JobState, number>;

/** Connection states: `down` carries the error; `reconnecting` the backoff delay. */
export type ConnectionState = 'connecting' | 'up' | 'down' | 'reconnecting' | 'closed';

/** Error codes of the queues area. */
export type QueuesErrorCode =
  | 'EREDIS_UNREACHABLE' // connection refused, host not found, or no TCP connection within 2 s
  | 'EREDIS_AUTH' // the server refused the user/password (or wants one)
  | 'EREDIS_NOT_REDIS' // something answered, but not as Redis does (an HTTP port, a silent port)
  | 'EREDIS_TLS' // the TLS handshake failed (rediss:// to a plain port, a bad certificate)
  | 'EREDIS' // any other error Redis returned
  | 'ENO_CONNECTION' // no such connection id
  | 'ECONNECTION_DOWN' // the connection is not up right now
  | 'ETOO_MANY' // past QUEUE_LIMITS.connections
  | 'ENO_QUEUE' // no such queue on that connection
  | 'ENO_JOB' // no such job
  | 'EJOB_STATE' // the job is not in a state the control applies to (retry a job that has not failed…)
  | 'EPAYLOAD_TOO_LARGE' // `queues.add` payload past QUEUE_LIMITS.payloadBytes
  | 'ECONFIRM' // obliterate without the queue's name typed back
  | 'ENO_REDIS_SERVER' // `queues.startLocalRedis` without redis-server on PATH
  | 'EUNSUPPORTED';

/** A connection as clients see it: never the password. */
export interface QueueConnection {
  id: string;
  /** The user's label (default host:port). */
  name: string;
  /** The URL with any password replaced by `***`. */
  url: string;
  tls: boolean;
  host: string;
  port: number;
  db: number;
  prefix: string;
  username: string | null;
  hasPassword: boolean;
  state: ConnectionState;
  /** The last error, with its code (kept while down/reconnecting, null once up). */
  error: { code: QueuesErrorCode; message: string } | null;
  /** Reconnect attempts since the last time it was up. */
  attempt: number;
  /** When reconnecting: ms until the next attempt. */
  retryInMs: number | null;
  /** When the current state began. */
  since: number;
  /** Kept in `<dataDir>/queues.json` (mode 0600) and reconnected at start. */
  saved: boolean;
  /** Spindle's own local Redis (started by `queues.startLocalRedis`), with its managed process id. */
  managedId: string | null;
  /** Queues found by SCAN but not watched (past QUEUE_LIMITS.queuesPerConnection). */
  omitted: number;
  /** Redis version from INFO, once up. */
  redisVersion: string | null;
}

/** What one of Spindle's headless workers reports about itself and its host (queues-shared.md). */
export interface HostReport {
  v: 1;
  id: string;
  name: string;
  host: string;
  pid: number;
  cores: number | null;
  cpuBusyPct: number | null;
  load: [number, number, number] | null;
  memTotalBytes: number | null;
  memUsedBytes: number | null;
  concurrency: number | null;
  active: { jobId: string; name: string; elapsedMs: number }[];
  processed: number | null;
  failed: number | null;
  startedAt: number | null;
  reportedAt: number | null;
  version: string | null;
}

/**
 * A worker of a queue: BullMQ's view (CLIENT LIST: name, address, age) joined by id with
 * the host report. `reporting`: a fresh report; `lost`: it reported within the last 10 min
 * but its report key has expired (TTL 3 s); `bullmq`: a worker BullMQ knows that sends no
 * reports (not Spindle's).
 */
export interface QueueWorker {
  id: string;
  state: 'reporting' | 'lost' | 'bullmq';
  /** From CLIENT LIST (null when BullMQ does not list it, e.g. lost). */
  addr: string | null;
  /** Seconds the worker's Redis connection has been open. */
  ageSec: number | null;
  /** The newest report (the last one seen, for a lost worker); null for `bullmq`. */
  report: HostReport | null;
  /** Epoch ms of the last report seen (the score in the workers set). */
  lastSeen: number | null;
}

/** One queue at one tick. */
export interface QueueStats {
  /** `<connectionId>/<queue name>`: the key of `history` too. */
  key: string;
  connectionId: string;
  name: string;
  /** False when the last poll failed (connection down): counts are the last good ones. */
  ok: boolean;
  /** Time of the last good poll (null before the first). */
  polledAt: number | null;
  counts: QueueCounts;
  paused: boolean;
  /** Over the last tick; null when unknown (first tick, or a gap). */
  completedPerSec: number | null;
  failedPerSec: number | null;
  /**
   * Wait (processedOn - timestamp - delay) and run (finishedOn - processedOn) over the newest
   * jobs, at most QUEUE_LIMITS.latencyWindow (`n`); null before any.
   */
  wait: Percentiles | null;
  run: Percentiles | null;
  /** At most QUEUE_LIMITS.workersPerQueue; `workersOmitted` counts the rest. */
  workers: QueueWorker[];
  workersOmitted: number;
}

/**
 * The history columns besides `t`, defined once: the engine's ring, the snapshot schema and the
 * window's converters all take this list. `isPaused` is 1 while paused; `workers` counts the
 * workers reporting at that tick.
 */
export const QUEUE_HISTORY_COLUMNS = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'waitingChildren',
  'completed',
  'failed',
  'paused',
  'isPaused',
  'completedPerSec',
  'failedPerSec',
  'waitP50',
  'waitP95',
  'waitP99',
  'runP50',
  'runP95',
  'runP99',
  'workers',
] as const;
export type QueueHistoryColumn = (typeof QUEUE_HISTORY_COLUMNS)[number];

/** History of a queue as columns over one time axis; null is a gap (connection down). */
export type QueueHistory = { t: number[] } & Record<QueueHistoryColumn, (number | null)[]>;

/** A steady producer (`queues.add` with a rate). */
export interface QueueProducer {
  id: string;
  connectionId: string;
  queue: string;
  rate: number;
  total: number;
  added: number;
  state: 'running' | 'done' | 'stopped' | 'failed';
  note: string | null;
}

/**
 * The `queues` event, one per tick ('tick': ~1 Hz, one history point per queue) and at once
 * on a connection state change or a control ('change': states and counts current, no
 * history point). Bounded: QUEUE_LIMITS.connections × queuesPerConnection queues.
 */
export interface QueuesTick {
  reason: 'tick' | 'change';
  t: number;
  connections: QueueConnection[];
  queues: QueueStats[];
  producers: QueueProducer[];
}

/** What `queues.subscribe` returns: the tick now plus each queue's history. */
export interface QueuesSnapshot extends QueuesTick {
  /** redis-server is on PATH, so `queues.startLocalRedis` can work. */
  localRedisAvailable: boolean;
  intervalMs: number;
  history: Record<string, QueueHistory>;
}

/** A job in a page of `queues.jobs`. */
export interface JobSummary {
  id: string;
  name: string;
  timestamp: number | null;
  processedOn: number | null;
  finishedOn: number | null;
  attemptsMade: number;
  /** Failure reason, capped at 200 chars. */
  failedReason: string | null;
  /** Progress as JSON text, capped at 200 chars. */
  progress: string | null;
  delay: number;
  priority: number;
}

export interface JobsPage {
  state: JobState;
  start: number;
  total: number;
  jobs: JobSummary[];
}

/**
 * A JSON value made safe to show: depth, string length, keys and items bounded. Whatever
 * was cut is replaced by a marker string starting with `…` (e.g. `"…(3 more keys)"`).
 */
export interface SafeValue {
  value: unknown;
  truncated: boolean;
  /** Size of the original JSON text in bytes (null when it was not JSON). */
  bytes: number | null;
}

export interface JobDetail extends JobSummary {
  state: JobState | 'unknown';
  data: SafeValue;
  opts: SafeValue;
  returnValue: SafeValue;
  /** Attempts allowed (opts.attempts, default 1). */
  attempts: number;
  stacktrace: string[];
  logs: { count: number; lines: string[] };
}

/** Where a queue lives. */
const connectionId = z.string().min(1).max(64);
const queueName = z.string().min(1).max(256);
const onQueue = { connectionId, queue: queueName };
const jobId = z.string().min(1).max(256);

/** Accepted by `queues.connect` (and `--redis URL`): URL fields, overridden by the separate ones. */
export const connectionInput = z
  .object({
    /** redis://[user:password@]host[:port][/db] or rediss://… */
    url: z.string().min(1).max(2048),
    name: z.string().min(1).max(64).optional(),
    username: z.string().max(256).optional(),
    password: z.string().max(1024).optional(),
    db: z.number().int().min(0).max(10_000).optional(),
    /** BullMQ key prefix (default `bull`). */
    prefix: z.string().min(1).max(128).optional(),
    /** TLS: verify the server's certificate (default true). */
    tlsVerify: z.boolean().optional(),
    /** Keep it in `<dataDir>/queues.json` (mode 0600). Default true. */
    save: z.boolean().optional(),
  })
  .strict();
export type ConnectionInput = z.infer<typeof connectionInput>;

export const addJobsInput = z
  .object({
    ...onQueue,
    /** The job name: a built-in workload (default `noop`). */
    workload: z.enum(QUEUE_WORKLOADS).default('noop'),
    /** For `sleep`. */
    ms: z.number().int().min(0).max(QUEUE_LIMITS.workloadMs.max).optional(),
    /** Any JSON, at most QUEUE_LIMITS.payloadBytes as JSON text (else EPAYLOAD_TOO_LARGE). */
    payload: z.unknown().optional(),
    count: z.number().int().min(1).max(QUEUE_LIMITS.batch.max),
    /** Jobs per second (a steady producer); absent: the whole batch at once. */
    rate: z.number().positive().max(QUEUE_LIMITS.rate.max).optional(),
    attempts: z.number().int().min(1).max(100).optional(),
    delayMs: z.number().int().min(0).max(86_400_000).optional(),
    priority: z.number().int().min(0).max(2_097_152).optional(),
  })
  .strict();
export type AddJobsInput = z.input<typeof addJobsInput>;

export const queuesRequests = {
  /** Start receiving `queues` events; returns every queue now with its history. */
  'queues.subscribe': request<QueuesSnapshot>()(z.object({}).strict().optional(), { control: false }),
  'queues.unsubscribe': request<null>()(z.object({}).strict().optional(), { control: false }),
  /** Connections and their states. */
  'queues.connections': request<QueueConnection[]>()(z.object({}).strict().optional(), {
    control: false,
  }),
  /** Connect (first answer within ~2 s: up, or a coded error and nothing kept). */
  'queues.connect': request<QueueConnection>()(connectionInput, { control: true }),
  /** Close a connection; `forget` also removes it from the saved file. */
  'queues.disconnect': request<null>()(
    z.object({ connectionId, forget: z.boolean().default(true) }).strict(),
    { control: true },
  ),
  /** Start redis-server from PATH as a managed process on a free loopback port, and connect to it. */
  'queues.startLocalRedis': request<QueueConnection>()(z.object({}).strict().optional(), {
    control: true,
  }),
  /**
   * "Add local worker": a `spindle worker` for this queue on this machine, as a managed process
   * (its password goes in a 0600 file, never in its argv or environment).
   */
  'queues.launchWorker': request<ManagedStatus>()(
    z
      .object({
        ...onQueue,
        concurrency: z.number().int().min(1).max(64).default(4),
        /** Absent: each job's name picks the built-in workload. */
        workload: z.enum(QUEUE_WORKLOADS).optional(),
      })
      .strict(),
    { control: true },
  ),
  'queues.pause': request<null>()(z.object(onQueue).strict(), { control: true }),
  'queues.resume': request<null>()(z.object(onQueue).strict(), { control: true }),
  /** A batch of `count` jobs, or a steady producer at `rate`/s (returned). */
  'queues.add': request<{ added: number; producer: QueueProducer | null }>()(addJobsInput, {
    control: true,
  }),
  /** Stop the steady producers of a queue. */
  'queues.stopAdding': request<number>()(z.object(onQueue).strict(), { control: true }),
  /** Retry one failed job, or (no jobId) every failed job; returns how many. */
  'queues.retry': request<number>()(z.object({ ...onQueue, jobId: jobId.optional() }).strict(), {
    control: true,
  }),
  /** Promote one delayed job, or (no jobId) every delayed job; returns how many. */
  'queues.promote': request<number>()(z.object({ ...onQueue, jobId: jobId.optional() }).strict(), {
    control: true,
  }),
  'queues.removeJob': request<null>()(z.object({ ...onQueue, jobId }).strict(), { control: true }),
  /** Remove completed or failed jobs finished more than `olderThanMs` ago (at most `limit`); returns how many. */
  'queues.clean': request<number>()(
    z
      .object({
        ...onQueue,
        state: z.enum(['completed', 'failed']),
        olderThanMs: z
          .number()
          .int()
          .min(0)
          .max(365 * 86_400_000),
        limit: z.number().int().min(1).max(100_000).default(10_000),
      })
      .strict(),
    { control: true },
  ),
  /** Remove every waiting (and, with `delayed`, delayed) job. */
  'queues.drain': request<null>()(z.object({ ...onQueue, delayed: z.boolean().default(false) }).strict(), {
    control: true,
  }),
  /** Remove the queue and all its jobs: `confirm` must be the queue's name, else ECONFIRM. */
  'queues.obliterate': request<null>()(
    z.object({ ...onQueue, confirm: z.string().max(256), force: z.boolean().default(false) }).strict(),
    { control: true },
  ),
  /** A page of jobs in one state, newest first (at most QUEUE_LIMITS.pageSize). */
  'queues.jobs': request<JobsPage>()(
    z
      .object({
        ...onQueue,
        state: z.enum(JOB_STATES),
        start: z.number().int().min(0).max(10_000_000).default(0),
        count: z.number().int().min(1).max(QUEUE_LIMITS.pageSize).default(50),
      })
      .strict(),
    { control: false },
  ),
  /** One job in detail (data, options, return value made safe; logs, stack). */
  'queues.job': request<JobDetail>()(z.object({ ...onQueue, jobId }).strict(), { control: false }),
};

export interface QueuesEvents {
  queues: QueuesTick;
}
