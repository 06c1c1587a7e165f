/**
 * The built-in queue workloads, shared by `spindle worker` (in-process and sandboxed) and the
 * producer: the job's name picks the workload, its data `{ ms?, item?, payload? }` feeds it.
 * Plain functions over plain data, so a sandboxed processor can run them with nothing from core.
 */
import { GCD_PAIRS } from '../../../shared/contract/pools';
import { QUEUE_WORKLOADS, type QueueWorkload } from '../../../shared/contract/queues';
import { bruteGcd } from '../pools/workloads';

/** One built-in workload (the contract's QUEUE_WORKLOADS lists them). */
export type QueueWorkloadName = QueueWorkload;

/** The job data the built-in workloads read; anything else in it is ignored. */
export interface QueueWorkloadData {
  ms?: number;
  item?: number;
  payload?: unknown;
}

/** Exit code of the `crash` workload (the pools' crash uses the same). */
export const CRASH_EXIT_CODE = 70;

/** The longest `sleep` a job may ask for: a job's data must not park a worker slot for ever. */
export const MAX_SLEEP_MS = 10 * 60_000;

/** True when `name` is a built-in workload. */
export function isQueueWorkload(name: string): name is QueueWorkloadName {
  return (QUEUE_WORKLOADS as readonly string[]).includes(name);
}

const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** Run one job's workload: resolves with its return value; `fail` rejects; `crash` ends the process or thread. */
export async function runQueueWorkload(name: string, data: unknown): Promise<unknown> {
  const d = (data && typeof data === 'object' ? data : {}) as QueueWorkloadData;
  switch (name) {
    case 'noop':
      return d.item ?? null;
    case 'sleep': {
      const ms = Math.min(MAX_SLEEP_MS, Math.max(0, num(d.ms, 100)));
      await new Promise((r) => setTimeout(r, ms));
      return ms;
    }
    case 'gcd': {
      const i = Math.abs(Math.trunc(num(d.item, 0)));
      const pair = GCD_PAIRS[i % GCD_PAIRS.length]!;
      return bruteGcd(pair[0], pair[1]);
    }
    case 'fail':
      throw new Error('fail workload');
    case 'crash':
      // In a sandboxed child or thread this ends only that; in-process it ends the worker.
      return process.exit(CRASH_EXIT_CODE);
    default:
      throw new Error(
        `unknown workload ${JSON.stringify(name.slice(0, 64))} (built-in: ${QUEUE_WORKLOADS.join(', ')})`,
      );
  }
}
