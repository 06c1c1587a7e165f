/**
 * Jobs of a queue: a page per state (at most QUEUE_LIMITS.pageSize, newest first, through
 * BullMQ's getJobs, which reads only that range) and one job in detail, every value made
 * safe (bounded depth and size, cut parts marked).
 */
import type { Job, JobType, Queue } from 'bullmq';
import {
  QUEUE_LIMITS,
  type JobDetail,
  type JobsPage,
  type JobState,
  type JobSummary,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import { safeValue } from './safe-value';

/** Our state names to BullMQ's (only `waiting` differs). */
const bullType = (s: JobState): JobType => (s === 'waiting' ? 'wait' : s) as JobType;
const cap = (s: string, n: number): string => (s.length > n ? s.slice(0, n) + '…' : s);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** Log lines and stack frames shown per job. */
const LINES = 100;

function summary(job: Job): JobSummary {
  let progress: string | null = null;
  if (job.progress !== undefined && job.progress !== 0) {
    progress = cap(JSON.stringify(job.progress) ?? String(job.progress), 200);
  }
  return {
    id: String(job.id ?? ''),
    name: cap(String(job.name), 256),
    timestamp: num(job.timestamp),
    processedOn: num(job.processedOn),
    finishedOn: num(job.finishedOn),
    attemptsMade: num(job.attemptsMade) ?? 0,
    failedReason: job.failedReason ? cap(String(job.failedReason), 200) : null,
    progress,
    delay: num(job.delay) ?? 0,
    priority: num(job.priority) ?? 0,
  };
}

/** A page of jobs in one state, newest first. */
export async function jobsPage(q: Queue, state: JobState, start: number, count: number): Promise<JobsPage> {
  const n = Math.min(count, QUEUE_LIMITS.pageSize);
  const type = bullType(state);
  const [total, jobs] = await Promise.all([
    q.getJobCountByTypes(type),
    q.getJobs([type], start, start + n - 1, false),
  ]);
  return { state, start, total, jobs: jobs.filter(Boolean).map((j) => summary(j as Job)) };
}

/** One job in detail; ENO_JOB when it does not exist. */
export async function jobDetail(q: Queue, id: string): Promise<JobDetail> {
  const job = (await q.getJob(id)) as Job | undefined;
  if (!job) throw new SpindleError('ENO_JOB', `no job ${id} in ${q.name}`);
  const [state, logs] = await Promise.all([job.getState(), q.getJobLogs(id, 0, LINES - 1, false)]);
  return {
    ...summary(job),
    failedReason: job.failedReason ? cap(String(job.failedReason), 4000) : null,
    state: state as JobDetail['state'],
    data: safeValue(job.data),
    opts: safeValue(job.opts),
    returnValue: safeValue(job.returnvalue),
    attempts: num(job.opts?.attempts) ?? 1,
    stacktrace: (job.stacktrace ?? []).slice(-LINES).map((s) => cap(String(s), 8000)),
    logs: { count: logs.count, lines: logs.logs.map((l) => cap(l, 2000)) },
  };
}
