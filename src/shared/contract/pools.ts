/**
 * The pools area of the contract: worker pools (threads or processes) with a bounded
 * queue, their stats each tick, pipelines of pools and the speed-up lab. Times are ms,
 * rates per second. Conservation holds in every `PoolCounts`:
 * submitted = queued + active + completed + failed + cancelled (timedOut is inside failed).
 */
import { z } from 'zod';
import { request } from './define';

/** How a pools request (or one task) fails besides the transport's codes. */
export type PoolsErrorCode =
  | 'EQUEUE_FULL' // nothing could be queued; the message gives the queue's state
  | 'EPOOL_CLOSED' // the pool is terminated and accepts nothing new
  | 'EPOOL_DRAINING' // the pool is draining (or drained) and accepts nothing new
  | 'EPOOL_UNHEALTHY' // the pool's workers keep failing to start
  | 'EPOOL_LIVE' // remove refused: terminate the pool first
  | 'ELAB_BUSY' // the speed-up lab is already running
  | 'EWORKER_EXIT' // a task's worker exited under it
  | 'ECANCELLED'; // a queued task was cancelled

/** Bounds accepted by the pools requests. */
export const POOL_LIMITS = {
  pools: 16,
  size: { min: 1, max: 16 },
  maxQueue: { min: 1, max: 1_000_000 },
  taskTimeoutMs: { min: 10, max: 3_600_000 },
  idleTimeoutMs: { min: 100, max: 3_600_000 },
  retries: { max: 5 },
  batch: { max: 1_000_000 },
  rate: { max: 20_000 },
  workloadMs: { max: 60_000 },
  stages: { max: 5 },
  labWorkers: { max: 8 },
  historyPoints: 600,
} as const;

/** The gcd pairs of the classic demonstration (CONCEPTS.md); the lab's preset batch. */
export const GCD_PAIRS: readonly (readonly [number, number])[] = [
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
  [1823712, 1924928],
  [2293129, 1020491],
  [1281238, 2273782],
  [3823812, 4237281],
  [3812741, 4729139],
  [1292391, 2123811],
];

export const poolKind = z.enum(['threads', 'processes']);
export type PoolKind = z.infer<typeof poolKind>;

const ms = z.number().int().min(0).max(POOL_LIMITS.workloadMs.max);

/** What each task runs. `item` (the task's input) is the batch index unless the workload says otherwise. */
export const workloadSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('noop') }).strict(),
  /** Brute-force gcd of pair `item % 10` of GCD_PAIRS. */
  z.object({ kind: z.literal('gcd') }).strict(),
  z.object({ kind: z.literal('spin'), ms }).strict(),
  z.object({ kind: z.literal('sleep'), ms }).strict(),
  /** Half spin, half sleep. */
  z.object({ kind: z.literal('mixed'), ms }).strict(),
  z.object({ kind: z.literal('throw') }).strict(),
  /** Ends the worker mid-task (process.exit in a thread or a child). */
  z.object({ kind: z.literal('crash'), code: z.number().int().min(0).max(255).default(70) }).strict(),
  /** The pool's `module`: its export `exportName` (default `default`) is called with the item. */
  z.object({ kind: z.literal('module') }).strict(),
  /** Processes only: argv template, `{}` replaced by the item in every argument; no shell. */
  z.object({ kind: z.literal('command'), argv: z.array(z.string().max(4096)).min(1).max(64) }).strict(),
]);
export type WorkloadSpec = z.infer<typeof workloadSpec>;

export const poolOptions = z
  .object({
    name: z.string().min(1).max(64).optional(),
    kind: poolKind,
    size: z.number().int().min(POOL_LIMITS.size.min).max(POOL_LIMITS.size.max),
    maxQueue: z.number().int().min(POOL_LIMITS.maxQueue.min).max(POOL_LIMITS.maxQueue.max).default(1000),
    /** 'reject': submit fails with EQUEUE_FULL; 'wait': the producer waits for room. */
    fullPolicy: z.enum(['reject', 'wait']).default('wait'),
    taskTimeoutMs: z
      .number()
      .int()
      .min(POOL_LIMITS.taskTimeoutMs.min)
      .max(POOL_LIMITS.taskTimeoutMs.max)
      .optional(),
    idleTimeoutMs: z
      .number()
      .int()
      .min(POOL_LIMITS.idleTimeoutMs.min)
      .max(POOL_LIMITS.idleTimeoutMs.max)
      .optional(),
    /** How often a task whose worker died mid-task is tried again. */
    retries: z.number().int().min(0).max(POOL_LIMITS.retries.max).default(0),
    /** Absolute path of a JS module for the `module` workload, loaded when each worker starts. */
    module: z.string().min(1).max(4096).optional(),
    exportName: z.string().min(1).max(128).optional(),
    /** Working directory for the `command` workload. */
    cwd: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type PoolOptions = z.infer<typeof poolOptions>;

export type PoolState = 'running' | 'paused' | 'draining' | 'drained' | 'unhealthy' | 'terminated';
export type WorkerState = 'starting' | 'idle' | 'busy' | 'dead';

/** One worker as the UI sees it. */
export interface WorkerInfo {
  /** Slot number within the pool, never reused. */
  n: number;
  state: WorkerState;
  /** OS pid (processes; for threads the pid of Spindle itself). */
  pid: number | null;
  /** OS thread id (Linux tid) for threads; null for processes. */
  tid: number | null;
  /** Node's worker threadId, threads only. */
  threadId: number | null;
  /** Task id running now, or null. */
  task: number | null;
  /** Elapsed ms of the current task. */
  taskMs: number;
  /** Tasks handed to this worker and not finished (more than 1 only for sub-millisecond tasks). */
  inFlight: number;
  /** Waiting for the next stage to accept its result (pipelines). */
  blocked: boolean;
  done: number;
  /** Busy share of the last tick, 0..1, from run time measured in the worker. */
  util: number;
  /** CPU % of one core over the last tick as the OS counts it (/proc thread or process times); null when unknown. */
  cpu: number | null;
  /** Why it died: "exit 70", "timeout", "idle", "resized", "start-up failed: …". */
  reason: string | null;
}

export interface PoolCounts {
  submitted: number;
  queued: number;
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
  timedOut: number;
  retried: number;
  rejected: number;
}

/** Latency percentiles in ms of finished work: a pool's tasks since it was made, a queue's newest jobs. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  /** How many finished tasks or jobs they are over. */
  n: number;
}

/** A finished task kept for display (the last few per pool). */
export interface TaskRecord {
  id: number;
  item: string;
  ok: boolean;
  /** Result or error message, capped at 200 chars. */
  text: string;
  runMs: number;
}

/** A producer feeding a pool: a batch of K or a steady R per second. */
export interface ProducerInfo {
  id: number;
  rate: number | null;
  total: number;
  /** Items accepted into the queue so far. */
  submitted: number;
  /** Items refused by a full queue (policy 'reject'). */
  rejected: number;
  state: 'running' | 'waiting' | 'done' | 'stopped';
  waitedMs: number;
  /** The queue's state at the first refusal, e.g. "queue full: 10 queued, 2 active, max 10". */
  note: string | null;
}

/** One pool, one tick. */
export interface PoolStats {
  id: string;
  name: string;
  options: PoolOptions;
  state: PoolState;
  /** Why unhealthy / the last fault. */
  note: string | null;
  counts: PoolCounts;
  workers: WorkerInfo[];
  /** Since the pool was made. */
  wait: Percentiles;
  run: Percentiles;
  /** p95 wait and run of the tasks that ran during the last tick; null when none did (a gap). */
  tickP95: { wait: number | null; run: number | null };
  /** Completions and failures per second over the last tick. */
  throughput: number;
  failRate: number;
  /** Busy time / (live workers × tick), 0..1. */
  utilization: number;
  producers: ProducerInfo[];
  recent: TaskRecord[];
}

/** History of a pool as columns over one time axis. */
export interface PoolHistory {
  t: number[];
  queued: number[];
  active: number[];
  throughput: number[];
  failRate: number[];
  utilization: number[];
  /** Per tick, null when no task ran in it. */
  waitP95: (number | null)[];
  runP95: (number | null)[];
  /** Cumulative counts at each point. */
  completed: number[];
  failed: number[];
}

/** A pool history with no points yet (core's per pool, the window's before its first tick). */
export const emptyPoolHistory = (): PoolHistory => ({
  t: [],
  queued: [],
  active: [],
  throughput: [],
  failRate: [],
  utilization: [],
  waitP95: [],
  runP95: [],
  completed: [],
  failed: [],
});

/** One stage of a pipeline as the UI sees it. */
export interface StageStats {
  name: string;
  poolId: string;
  queued: number;
  active: number;
  completed: number;
  maxQueue: number;
  /** Some worker is holding a finished item because the next stage's queue is full. */
  stalled: boolean;
  stalledMs: number;
}

export interface PipelineStats {
  id: string;
  items: number;
  done: number;
  failed: number;
  state: 'running' | 'done' | 'stopped';
  elapsedMs: number;
  stages: StageStats[];
}

export interface LabRow {
  mode: 'serial' | PoolKind;
  workers: number;
  /** Median over the rounds run so far (a noisy machine skews one run, rarely the median). */
  elapsedMs: number;
  /** Median serial time over median elapsed time. */
  speedup: number;
  /** Rounds measured so far. */
  runs: number;
}

export interface LabState {
  state: 'running' | 'done' | 'cancelled' | 'failed';
  repeat: number;
  maxWorkers: number;
  /** Rounds asked for: every configuration is timed this many times, interleaved. */
  rounds: number;
  rows: LabRow[];
  note: string | null;
}

/**
 * The `pools` event and what `pools.subscribe` returns. 'tick': the ~1 Hz stats tick
 * (rates over the last tick, one history point). 'change': pushed at once when a pool is
 * created, resized, paused, resumed, draining, drained, unhealthy, terminated or removed;
 * states and counts are current, rates are the last tick's, and it adds no history point.
 */
export interface PoolsTick {
  reason: 'tick' | 'change';
  t: number;
  pools: PoolStats[];
  pipelines: PipelineStats[];
  lab: LabState | null;
}

export interface PoolsInitialState extends PoolsTick {
  cores: number;
  history: Record<string, PoolHistory>;
}

const poolId = z.object({ poolId: z.string().min(1).max(64) }).strict();

const stageSpec = z
  .object({
    name: z.string().min(1).max(32),
    kind: poolKind,
    size: z.number().int().min(1).max(POOL_LIMITS.size.max),
    maxQueue: z.number().int().min(1).max(10_000),
    workload: workloadSpec,
  })
  .strict();

export const poolsRequests = {
  /** Start receiving `pools` events; returns every pool as it is now, with its history. */
  'pools.subscribe': request<PoolsInitialState>()(z.object({}).strict().optional(), { control: false }),
  'pools.create': request<PoolStats>()(poolOptions, { control: true }),
  /**
   * A batch of `count` items (rate absent) or a steady producer at `rate` per second. On a
   * rejecting queue the answer waits until the batch has been offered (a rate producer: its
   * first item), so `submitted` and `rejected` say how many were accepted and refused;
   * when nothing could be queued it fails with EQUEUE_FULL and the queue's state.
   */
  'pools.submit': request<ProducerInfo>()(
    z
      .object({
        poolId: z.string().min(1).max(64),
        workload: workloadSpec,
        count: z.number().int().min(1).max(POOL_LIMITS.batch.max),
        rate: z.number().positive().max(POOL_LIMITS.rate.max).optional(),
        /** Items for `command`/`module` workloads; cycled when shorter than count. */
        items: z.array(z.string().max(1024)).max(1000).optional(),
      })
      .strict(),
    { control: true },
  ),
  'pools.stopProducers': request<null>()(poolId, { control: true }),
  'pools.resize': request<null>()(
    z
      .object({ poolId: z.string().min(1).max(64), size: z.number().int().min(1).max(POOL_LIMITS.size.max) })
      .strict(),
    { control: true },
  ),
  'pools.pause': request<null>()(poolId, { control: true }),
  'pools.resume': request<null>()(poolId, { control: true }),
  'pools.drain': request<null>()(poolId, { control: true }),
  /** Cancel everything still queued; returns how many. */
  'pools.cancelQueued': request<number>()(poolId, { control: true }),
  'pools.terminate': request<null>()(poolId, { control: true }),
  /** Forget a terminated pool. */
  'pools.remove': request<null>()(poolId, { control: true }),
  'pools.pipeline': request<PipelineStats>()(
    z
      .object({
        stages: z.array(stageSpec).min(2).max(POOL_LIMITS.stages.max),
        count: z.number().int().min(1).max(100_000),
        rate: z.number().positive().max(1000).optional(),
      })
      .strict(),
    { control: true },
  ),
  'pools.pipelineStop': request<null>()(z.object({ id: z.string().min(1).max(64) }).strict(), {
    control: true,
  }),
  /** Run the gcd batch serially, then on thread and process pools of 1..maxWorkers. */
  'pools.lab': request<LabState>()(
    z
      .object({
        maxWorkers: z.number().int().min(1).max(POOL_LIMITS.labWorkers.max),
        repeat: z.number().int().min(1).max(10).default(1),
        rounds: z.number().int().min(1).max(7).default(3),
        kinds: z.array(poolKind).min(1).max(2).default(['threads', 'processes']),
      })
      .strict(),
    { control: true },
  ),
  'pools.labCancel': request<null>()(z.object({}).strict().optional(), { control: true }),
};

export interface PoolsEvents {
  pools: PoolsTick;
}
