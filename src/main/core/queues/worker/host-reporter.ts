/**
 * The worker's side of the host reports (queues-shared.md, point 4). Every second, first right
 * after start: `SET <prefix>:<queue>:spindle:w:<id> <json> PX 3000` and
 * `ZADD <prefix>:<queue>:spindle:workers <now> <id>`, in one MULTI. The key's TTL is what makes a
 * silent worker show as lost; the engine trims the sorted set. A worker that stops cleanly
 * removes both, so it leaves the view instead of showing as lost.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { HostReport } from '../../../../shared/contract';
import { APP_VERSION } from '../../version';
import { HostSampler, type HostFigures } from './host-sample';

/** How often a worker reports, and how long its report lives. */
export const REPORT_INTERVAL_MS = 1000;
export const REPORT_TTL_MS = 3000;
/** At most this many active jobs are listed in one report. */
export const MAX_REPORTED_ACTIVE = 32;

/** One job in progress, as reported. */
export interface ActiveJobReport {
  jobId: string;
  name: string;
  elapsedMs: number;
}

/** The JSON a worker writes under its key (version 1; the contract's HostReport with every field known). */
export type WorkerReport = HostReport &
  HostFigures & {
    concurrency: number;
    processed: number;
    failed: number;
    startedAt: number;
    reportedAt: number;
  };

/** What the reporter asks the worker for at each report. */
export interface ReportSource {
  concurrency: number;
  /** Jobs in progress (the reporter keeps the first {@link MAX_REPORTED_ACTIVE}). */
  active(): ActiveJobReport[];
  processed(): number;
  failed(): number;
}

/** `<hostname>:<pid>:<name>`: the id shared by the report and BullMQ's worker name. */
export function workerIdOf(name: string, pid = process.pid, host = hostname()): string {
  return `${host}:${pid}:${name}`;
}

/** Redis keys of a queue's reports. */
export function reportKeys(prefix: string, queue: string, id: string): { key: string; set: string } {
  const base = `${prefix}:${queue}:spindle`;
  return { key: `${base}:w:${id}`, set: `${base}:workers` };
}

/** Options of {@link startHostReporter}. */
export interface HostReporterOptions {
  client: Redis;
  prefix: string;
  queue: string;
  id: string;
  name: string;
  source: ReportSource;
  intervalMs?: number;
  ttlMs?: number;
  /** Told about a failed write (Redis down); reporting goes on at the next tick. */
  onError?: (err: Error) => void;
}

/** A running reporter. */
export interface HostReporter {
  /** The last report written (or attempted). */
  readonly last: WorkerReport | null;
  /** Stop reporting; with `remove`, delete the key and the set member (a clean exit). */
  stop(opts?: { remove?: boolean }): Promise<void>;
}

/** Start reporting at once and then every `intervalMs` (ticks never overlap). */
export function startHostReporter(o: HostReporterOptions): HostReporter {
  const sampler = new HostSampler();
  const { key, set } = reportKeys(o.prefix, o.queue, o.id);
  const interval = o.intervalMs ?? REPORT_INTERVAL_MS;
  const ttl = o.ttlMs ?? REPORT_TTL_MS;
  const host = hostname();
  const startedAt = Date.now();
  let last: WorkerReport | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    const now = Date.now();
    const report: WorkerReport = {
      v: 1,
      id: o.id,
      name: o.name,
      host,
      pid: process.pid,
      ...sampler.sample(),
      concurrency: o.source.concurrency,
      active: o.source.active().slice(0, MAX_REPORTED_ACTIVE),
      processed: o.source.processed(),
      failed: o.source.failed(),
      startedAt,
      reportedAt: now,
      version: APP_VERSION,
    };
    last = report;
    try {
      await o.client.multi().set(key, JSON.stringify(report), 'PX', ttl).zadd(set, now, o.id).exec();
    } catch (err) {
      o.onError?.(err as Error);
    }
  };
  const loop = (): void => {
    inFlight = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, interval);
    });
  };
  loop();

  return {
    get last() {
      return last;
    },
    stop: async (opts) => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      if (opts?.remove) {
        try {
          await o.client.multi().del(key).zrem(set, o.id).exec();
        } catch (err) {
          o.onError?.(err as Error);
        }
      }
    },
  };
}
