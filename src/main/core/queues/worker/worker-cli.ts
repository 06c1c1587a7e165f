/**
 * `spindle worker …`: parse the flags, start one headless worker, print one line, and stop
 * cleanly on SIGTERM or SIGINT (a second signal quits at once).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../snapshots/duration';
import { parseConnection, publicUrl } from '../redis-url';
import { STAGES, stageHandOff, type Stage } from '../stages-demo';
import type { QueueWorkloadName } from '../workloads';
import {
  QueueWorkerError,
  startQueueWorker,
  type QueueWorkerHandle,
  type QueueWorkerOptions,
} from './queue-worker';

/** Usage lines for the CLI's help. */
export const WORKER_USAGE = `  worker     run a headless BullMQ worker that reports its host to Spindle every second
    --redis URL        redis:// or rediss:// (user, password, /db); default $SPINDLE_REDIS_URL
    --redis-file F     read the URL from F (mode 0600), so the password is on no command line
    --queue NAME       the queue to take jobs from (with --stage: the stage's queue)
    --concurrency N    jobs at once (default 1)
    --workload NAME    run sleep|gcd|fail|crash|noop for every job (default: the job's name)
    --module PATH      absolute path of an ESM module whose default export processes a job
    --sandboxed threads|processes   run jobs in BullMQ's worker threads or child processes
    --name NAME        worker name; its id is <host>:<pid>:<name> (default worker)
    --prefix P         BullMQ key prefix (default bull)
    --grace 30s        on SIGTERM/SIGINT, how long active jobs may take to finish
    --stage wash|dry   the washer/dryer demonstration: washers hand each job on to dry
    --lock-duration 30s, --stalled-interval 30s   BullMQ's lock and stalled-check timings`;

/** `redis://user:***@host:port/db`: the password never reaches a log line. */
export function maskRedisUrl(url: string): string {
  try {
    return publicUrl(parseConnection({ url }));
  } catch {
    return '(not a redis URL)';
  }
}

/** Parsed `spindle worker` flags. */
export interface WorkerCliOptions {
  worker: QueueWorkerOptions;
  graceMs: number;
}

const args = (msg: string): QueueWorkerError => new QueueWorkerError('EWORKER_ARGS', msg);

/** Parse the flags (throws QueueWorkerError with EWORKER_ARGS). */
/**
 * The URL kept in a file only its owner can read (how Spindle hands a saved connection's password
 * to a worker it launches: never on a command line or in an environment a window can see).
 */
function readRedisFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw args(`--redis-file: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if ((st.mode & 0o077) !== 0) throw args(`--redis-file: ${path} is readable by others; chmod 600 it`);
  return readFileSync(path, 'utf8').trim();
}

export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): WorkerCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        redis: { type: 'string' },
        'redis-file': { type: 'string' },
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        workload: { type: 'string' },
        module: { type: 'string' },
        sandboxed: { type: 'string' },
        name: { type: 'string' },
        prefix: { type: 'string' },
        grace: { type: 'string' },
        stage: { type: 'string' },
        'lock-duration': { type: 'string' },
        'stalled-interval': { type: 'string' },
      },
    }));
  } catch (err) {
    throw args(`worker: ${(err as Error).message}`);
  }
  const url = values.redis ?? readRedisFile(values['redis-file']) ?? env.SPINDLE_REDIS_URL;
  if (!url) throw args('worker: --redis URL is required (or --redis-file, or SPINDLE_REDIS_URL)');
  if (!/^rediss?:\/\//.test(url))
    throw args(`--redis: a redis:// or rediss:// URL, not ${maskRedisUrl(url)}`);
  try {
    parseConnection({ url });
  } catch (err) {
    throw args(`--redis: ${(err as Error).message}`);
  }
  const stage = values.stage as Stage | undefined;
  if (stage !== undefined && !STAGES.includes(stage))
    throw args(`--stage: ${STAGES.join(' or ')}, not ${stage}`);
  const queue = values.queue ?? stage;
  if (!queue) throw args('worker: --queue NAME is required');
  const sandboxed = values.sandboxed;
  if (sandboxed !== undefined && sandboxed !== 'threads' && sandboxed !== 'processes')
    throw args(`--sandboxed: threads or processes, not ${sandboxed}`);
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  const ms = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    try {
      return parseDuration(v);
    } catch {
      throw args(`--${flag}: not a duration: ${v} (try 30s, 500ms)`);
    }
  };
  return {
    graceMs: ms('grace', values.grace) ?? 30_000,
    worker: {
      url,
      queue,
      concurrency,
      prefix: values.prefix,
      name: values.name ?? (stage ? `${stage}er` : undefined),
      workload: values.workload as QueueWorkloadName | undefined,
      module: values.module,
      sandboxed,
      handOff: stage ? stageHandOff(stage) : undefined,
      lockDurationMs: ms('lock-duration', values['lock-duration']),
      stalledIntervalMs: ms('stalled-interval', values['stalled-interval']),
    },
  };
}

/** Run `spindle worker`; resolves with the process's exit code once it has stopped. */
export async function runWorkerCli(argv: string[]): Promise<number> {
  const { worker: opts, graceMs } = parseWorkerArgs(argv);
  // One line per distinct error, so a Redis that stays down does not flood the log.
  let lastError = '';
  const onError = (err: Error): void => {
    const line = err.message;
    if (line === lastError) return;
    lastError = line;
    console.error(`spindle worker: ${line}`);
  };
  // The signal handlers come first: BullMQ's worker takes jobs as soon as it is made, and a
  // SIGTERM that came before a handler would end the process with its jobs still running.
  let h: QueueWorkerHandle | null = null;
  let early: NodeJS.Signals | null = null;
  let signals = 0;
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const drain = (worker: QueueWorkerHandle, sig: NodeJS.Signals): void => {
    console.log(
      `spindle worker: ${sig}: taking no new jobs; waiting up to ${graceMs} ms for ${worker.active().length} active`,
    );
    void worker.close(graceMs).then(({ abandoned }) => {
      if (abandoned.length) {
        console.error(
          `spindle worker: grace ran out; ${abandoned.length} jobs left to the stalled check: ${abandoned.slice(0, 10).join(' ')}`,
        );
        exit(1);
      } else {
        console.log(`spindle worker: stopped (${worker.processed()} completed, ${worker.failed()} failed)`);
        exit(0);
      }
    });
  };
  const stop = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      console.error(`spindle worker: ${sig} again: quitting with ${h?.active().length ?? 0} jobs active`);
      exit(1);
      return;
    }
    if (h) drain(h, sig);
    else early = sig; // still starting: it stops as soon as it has started
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    h = await startQueueWorker({ ...opts, onError });
  } catch (err) {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    throw err;
  }
  const what = opts.module
    ? `module ${opts.module}`
    : opts.workload
      ? `workload ${opts.workload}`
      : 'workload by job name';
  const mode = opts.sandboxed ? `sandboxed ${opts.sandboxed}` : 'in-process';
  const then = opts.handOff ? `, hands off to ${opts.handOff.queue}` : '';
  console.log(
    `spindle worker ${h.id}: queue ${opts.queue} on ${maskRedisUrl(opts.url)} (prefix ${opts.prefix ?? 'bull'}), concurrency ${opts.concurrency ?? 1}, ${what}, ${mode}${then}; SIGTERM/SIGINT stops it`,
  );
  if (early && signals === 1) drain(h, early);
  return exited;
}
