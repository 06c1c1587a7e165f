/**
 * The washer/dryer of the classic texts as a built-in demonstration (issue #14, point 8): jobs
 * enter the `wash` queue; a washer, when done, adds a job to the `dry` queue (before its own job
 * completes, with a job id derived from it, so a washer that dies mid-way hands off at most once
 * per job and never loses one); dryers take longer than washers, so the backlog builds at `dry`.
 * `spindle worker --stage wash|dry` runs one stage's worker on any machine; `startStagesDemo`
 * runs both groups in this process and feeds the first queue.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startQueueWorker, type HandOff, type QueueWorkerHandle } from './worker/queue-worker';

/** The stages, first to last. */
export const STAGES = ['wash', 'dry'] as const;
/** One stage. */
export type Stage = (typeof STAGES)[number];

/** Default time per job: drying takes three times as long as washing. */
export const STAGE_DEFAULT_MS = { wash: 50, dry: 150 } as const;

/** The data a wash job carries: its own time, and the time its dry job will take. */
export interface WashData {
  ms: number;
  item: number;
  payload: { dryMs: number };
}

/** The hand-off of a stage (none for the last). */
export function stageHandOff(stage: Stage): HandOff | undefined {
  if (stage !== 'wash') return undefined;
  return {
    queue: 'dry',
    name: 'sleep',
    data: (job) => {
      const d = (job.data ?? {}) as Partial<WashData>;
      const dryMs = typeof d.payload?.dryMs === 'number' ? d.payload.dryMs : STAGE_DEFAULT_MS.dry;
      return { ms: dryMs, item: d.item ?? 0 };
    },
  };
}

/** Options of {@link startStagesDemo}. */
export interface StagesDemoOptions {
  /** Wash workers (each concurrency 1). Default 2. */
  washers?: number;
  /** Dry workers (each concurrency 1). Default 2. */
  dryers?: number;
  /** Wash jobs added at start. Default 40. */
  jobs?: number;
  washMs?: number;
  dryMs?: number;
  prefix?: string;
  onError?: (err: Error) => void;
}

/** A running demonstration. */
export interface StagesDemo {
  readonly queues: readonly Stage[];
  readonly workers: readonly QueueWorkerHandle[];
  /** Stop every worker (active jobs finish within `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Wash jobs for the demonstration: `sleep` jobs named so any worker runs them. */
export function washJobs(n: number, washMs: number, dryMs: number): { name: string; data: WashData }[] {
  return Array.from({ length: n }, (_, item) => ({
    name: 'sleep',
    data: { ms: washMs, item, payload: { dryMs } },
  }));
}

/** Start the washer and dryer groups in this process and add `jobs` wash jobs. */
export async function startStagesDemo(url: string, opts: StagesDemoOptions = {}): Promise<StagesDemo> {
  const { washers = 2, dryers = 2, jobs = 40, prefix = 'bull' } = opts;
  const washMs = opts.washMs ?? STAGE_DEFAULT_MS.wash;
  const dryMs = opts.dryMs ?? STAGE_DEFAULT_MS.dry;
  const workers: QueueWorkerHandle[] = [];
  const start = (stage: Stage, i: number): Promise<QueueWorkerHandle> =>
    startQueueWorker({
      url,
      queue: stage,
      prefix,
      name: `${stage}er-${i}`,
      handOff: stageHandOff(stage),
      onError: opts.onError,
    });
  try {
    for (let i = 1; i <= dryers; i++) workers.push(await start('dry', i));
    for (let i = 1; i <= washers; i++) workers.push(await start('wash', i));
    const client = new Redis(url, { maxRetriesPerRequest: null });
    const wash = new Queue('wash', { connection: client, prefix });
    try {
      await wash.addBulk(washJobs(jobs, washMs, dryMs));
    } finally {
      await wash.close();
      await client.quit();
    }
  } catch (err) {
    await Promise.all(workers.map((w) => w.close(0)));
    throw err;
  }
  return {
    queues: STAGES,
    workers,
    stop: async (graceMs = 30_000) => {
      await Promise.all(workers.map((w) => w.close(graceMs)));
    },
  };
}
