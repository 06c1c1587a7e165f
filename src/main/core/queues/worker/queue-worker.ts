/**
 * One headless BullMQ worker as `spindle worker` runs it: a built-in workload (by job name, or
 * one forced for every job), a user's ESM module, or either of them sandboxed in BullMQ's child
 * processes or worker threads; its host reported every second (host-reporter.ts); an optional
 * hand-off that adds a job to a next queue before a job completes (the stages demonstration).
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue, Worker, type Job, type Processor } from 'bullmq';
import { Redis } from 'ioredis';
import { entryPath, fromSource } from '../../launcher';
import { parseConnection, redisOptions } from '../redis-url';
import { isQueueWorkload, runQueueWorkload, type QueueWorkloadName } from '../workloads';
import { startHostReporter, workerIdOf, type ActiveJobReport, type HostReporter } from './host-reporter';

/** Environment variable that tells the sandboxed built-in processor which workload to force. */
export const FORCED_WORKLOAD_ENV = 'SPINDLE_QUEUE_WORKLOAD';

/** A worker that could not start: bad arguments, a module that is not a processor. */
export class QueueWorkerError extends Error {
  constructor(
    readonly code: 'EWORKER_ARGS' | 'EWORKER_MODULE',
    message: string,
  ) {
    super(message);
    this.name = 'QueueWorkerError';
  }
}

/** After a job's workload, add a job to `queue` (job id `<from queue>-<job id>`, so a retried job hands off once). */
export interface HandOff {
  queue: string;
  /** Name (workload) of the job added. */
  name: string;
  /** Its data, from the finished job and its result. */
  data: (job: Job, result: unknown) => unknown;
}

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** `redis://` or `rediss://` URL (user, password, database in it). */
  url: string;
  queue: string;
  /** BullMQ key prefix (default `bull`). */
  prefix?: string;
  concurrency?: number;
  /** Run this workload for every job; default: the job's name picks it. */
  workload?: QueueWorkloadName;
  /** Absolute path of an ESM module whose default export is the processor. */
  module?: string;
  sandboxed?: 'threads' | 'processes';
  /** The last part of the worker id (default `worker`). */
  name?: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  handOff?: HandOff;
  /** Redis and worker errors (the worker keeps going; ioredis reconnects). */
  onError?: (err: Error) => void;
}

/** A running worker. */
export interface QueueWorkerHandle {
  /** `<hostname>:<pid>:<name>`: the report's id and BullMQ's worker name. */
  readonly id: string;
  readonly worker: Worker;
  readonly reporter: HostReporter;
  /** Jobs in progress now. */
  active(): ActiveJobReport[];
  processed(): number;
  failed(): number;
  /**
   * Stop taking jobs and let the active ones finish within `graceMs`. Resolves with the ids of
   * the jobs still running when the grace ran out (left for the stalled check of other workers).
   */
  close(graceMs?: number): Promise<{ abandoned: string[] }>;
}

/** Names users give: letters, digits, `.`, `_`, `-` (CLIENT SETNAME refuses spaces). */
const NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;

async function moduleProcessor(path: string): Promise<Processor> {
  const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (typeof mod.default !== 'function')
    throw new QueueWorkerError('EWORKER_MODULE', `${path}: its default export is not a function`);
  return mod.default as Processor;
}

/** Start a worker; resolves once it is connected and taking jobs. */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const name = o.name ?? 'worker';
  // The dashboard's own URL rules (user, password, /db, rediss:// with SNI): one parser for both.
  const settings = parseConnection({ url: o.url, ...(o.prefix ? { prefix: o.prefix } : {}) });
  const prefix = settings.prefix;
  const concurrency = o.concurrency ?? 1;
  if (!NAME_RE.test(name))
    throw new QueueWorkerError('EWORKER_ARGS', `--name: use letters, digits, . _ - (not ${name})`);
  if (!o.queue || o.queue.length > 200 || o.queue.includes(':'))
    throw new QueueWorkerError('EWORKER_ARGS', `--queue: 1 to 200 characters without ':' (not ${o.queue})`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)
    throw new QueueWorkerError('EWORKER_ARGS', `--concurrency: 1 to 1000 (not ${concurrency})`);
  if (o.workload && o.module)
    throw new QueueWorkerError('EWORKER_ARGS', '--workload and --module exclude each other');
  if (o.workload && !isQueueWorkload(o.workload))
    throw new QueueWorkerError('EWORKER_ARGS', `--workload: not a built-in workload: ${o.workload}`);
  if (o.module && (!isAbsolute(o.module) || !existsSync(o.module)))
    throw new QueueWorkerError('EWORKER_MODULE', `--module: not an existing absolute path: ${o.module}`);
  if (o.handOff && o.sandboxed)
    throw new QueueWorkerError(
      'EWORKER_ARGS',
      'a stage hand-off runs in the worker process: drop --sandboxed',
    );

  const id = workerIdOf(name);
  const onError = (err: Error): void => o.onError?.(err);
  // BullMQ's blocking connection needs maxRetriesPerRequest null; it duplicates this client for it.
  const client = new Redis({ ...redisOptions(settings), maxRetriesPerRequest: null });
  client.on('error', onError);
  const next = o.handOff ? new Queue(o.handOff.queue, { connection: client, prefix }) : null;

  let processor: Processor | string;
  if (o.sandboxed) {
    // BullMQ forks its own child or thread for the file; the built-in one reads the forced workload from env.
    if (o.workload) process.env[FORCED_WORKLOAD_ENV] = o.workload;
    else delete process.env[FORCED_WORKLOAD_ENV];
    const builtin = entryPath('queue-processor');
    processor = o.module ?? (fromSource ? builtin.replace(/\.ts$/, '-source.mjs') : builtin);
  } else {
    const run: Processor = o.module
      ? await moduleProcessor(o.module)
      : (job) => runQueueWorkload(o.workload ?? job.name, job.data);
    processor = !next
      ? run
      : async (job, token, signal) => {
          const result: unknown = await run(job, token, signal);
          const h = o.handOff!;
          await next.add(h.name, h.data(job, result), { jobId: `${o.queue}-${job.id}` });
          return result;
        };
  }

  const worker = new Worker(o.queue, processor, {
    connection: client,
    prefix,
    concurrency,
    name: id,
    useWorkerThreads: o.sandboxed === 'threads',
    ...(o.lockDurationMs ? { lockDuration: o.lockDurationMs } : {}),
    ...(o.stalledIntervalMs ? { stalledInterval: o.stalledIntervalMs } : {}),
  });
  worker.on('error', onError);

  // Bookkeeping from the worker's events works the same for in-process and sandboxed jobs.
  const running = new Map<string, { name: string; since: number }>();
  let processed = 0;
  let failed = 0;
  worker.on('active', (job) => running.set(String(job.id), { name: job.name, since: Date.now() }));
  worker.on('completed', (job) => {
    running.delete(String(job.id));
    processed++;
  });
  worker.on('failed', (job) => {
    if (job) running.delete(String(job.id));
    failed++;
  });
  const active = (): ActiveJobReport[] => {
    const now = Date.now();
    return [...running].map(([jobId, j]) => ({ jobId, name: j.name, elapsedMs: now - j.since }));
  };

  await worker.waitUntilReady();
  const reporter = startHostReporter({
    client,
    prefix,
    queue: o.queue,
    id,
    name,
    source: { concurrency, active, processed: () => processed, failed: () => failed },
    onError,
  });

  let closing: Promise<{ abandoned: string[] }> | null = null;
  const close = async (graceMs = 30_000): Promise<{ abandoned: string[] }> => {
    const finished = worker.close().then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), graceMs)));
    const clean = await Promise.race([finished, late]);
    clearTimeout(timer);
    const abandoned = clean ? [] : [...running.keys()];
    await reporter.stop({ remove: true });
    await next?.close();
    // A force quit while jobs still run: their locks lapse and other workers' stalled checks take them.
    if (clean) await client.quit().catch(() => client.disconnect());
    else client.disconnect();
    return { abandoned };
  };

  return {
    id,
    worker,
    reporter,
    active,
    processed: () => processed,
    failed: () => failed,
    close: (graceMs) => (closing ??= close(graceMs)),
  };
}
