/**
 * BullMQ's sandboxed processor for `spindle worker --sandboxed`: runs in BullMQ's own child
 * process or worker thread, one job at a time. The job's name picks the built-in workload unless
 * the worker forced one through SPINDLE_QUEUE_WORKLOAD (the child inherits the environment).
 */
import type { SandboxedJob } from 'bullmq';
import { runQueueWorkload } from '../queues/workloads';

/** The processor BullMQ imports from this file. */
export default function process_(job: SandboxedJob): Promise<unknown> {
  return runQueueWorkload(process.env.SPINDLE_QUEUE_WORKLOAD || job.name, job.data);
}
