/**
 * The controls of a queue, through BullMQ's own `Queue` (never hand-written Redis writes):
 * one `Queue` object per watched queue, sharing the connection's client (BullMQ does not
 * close a shared client), dropped when the connection closes. Each control re-polls the
 * queue so the next `queues` event shows its effect at once.
 */
import { Queue, type JobsOptions } from 'bullmq';
import {
  QUEUE_LIMITS,
  type AddJobsInput,
  type QueueProducer,
  type QueueWorkload,
} from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';
import type { QueuesEngine } from './queues-engine';

/** Jobs per addBulk call: one round trip each, a bounded message each. */
const BULK = 500;
/** A steady producer adds what is due every PRODUCER_STEP_MS. */
const PRODUCER_STEP_MS = 100;
/** Producers kept listed (finished ones drop off first). */
const PRODUCERS_KEPT = 32;

type AddParams = Omit<AddJobsInput, 'workload'> & { workload: QueueWorkload };

interface Producer {
  info: QueueProducer;
  timer: NodeJS.Timeout | null;
}

/** The JSON text size of a payload, or EPAYLOAD_TOO_LARGE past the limit. */
export function checkPayload(payload: unknown): void {
  if (payload === undefined) return;
  const text = JSON.stringify(payload);
  const bytes = text === undefined ? 0 : Buffer.byteLength(text);
  if (bytes > QUEUE_LIMITS.payloadBytes) {
    throw new SpindleError(
      'EPAYLOAD_TOO_LARGE',
      `payload is ${bytes} bytes of JSON; the limit is ${QUEUE_LIMITS.payloadBytes}`,
    );
  }
}

export class QueueControls {
  readonly #engine: QueuesEngine;
  readonly #queues = new Map<string, Queue>();
  readonly #producers = new Map<string, Producer>();
  #producerSeq = 0;

  constructor(engine: QueuesEngine) {
    this.#engine = engine;
    engine.onClose((id) => void this.#dropConnection(id));
  }

  /** BullMQ's Queue for a queue of an up connection (created once, shared client). */
  queue(connectionId: string, name: string, mustExist = true): Queue {
    const link = this.#engine.link(connectionId);
    if (!link.up) {
      throw new SpindleError('ECONNECTION_DOWN', `${link.settings.name} is ${link.state}`);
    }
    if (mustExist && !this.#engine.has(connectionId, name)) {
      throw new SpindleError('ENO_QUEUE', `no queue ${name} on ${link.settings.name}`);
    }
    const key = `${connectionId}/${name}`;
    let q = this.#queues.get(key);
    if (!q) {
      if (name.includes(':')) throw new SpindleError('EINVAL', 'a queue name cannot contain ":"');
      q = new Queue(name, { connection: link.client, prefix: link.settings.prefix, skipVersionCheck: true });
      q.on('error', () => {
        // Shown through the connection's state; a Queue must not crash the process with it.
      });
      this.#queues.set(key, q);
    }
    return q;
  }

  /** Run a BullMQ call with errors coded (and the queue re-polled after). */
  async run<T>(
    connectionId: string,
    name: string,
    fn: (q: Queue) => Promise<T>,
    mustExist = true,
  ): Promise<T> {
    const q = this.queue(connectionId, name, mustExist);
    const out = await this.#engine.use(connectionId, () => fn(q));
    await this.#engine.refresh(connectionId, name);
    return out;
  }

  pause(c: string, name: string): Promise<void> {
    return this.run(c, name, (q) => q.pause());
  }

  resume(c: string, name: string): Promise<void> {
    return this.run(c, name, (q) => q.resume());
  }

  /** A batch now, or a steady producer at `rate` per second. */
  async add(p: AddParams): Promise<{ added: number; producer: QueueProducer | null }> {
    checkPayload(p.payload);
    this.#engine.link(p.connectionId); // ENO_CONNECTION before anything else
    const opts: JobsOptions = {
      ...(p.attempts ? { attempts: p.attempts } : {}),
      ...(p.delayMs ? { delay: p.delayMs } : {}),
      ...(p.priority ? { priority: p.priority } : {}),
    };
    const job = (item: number): { name: string; data: object; opts: JobsOptions } => ({
      name: p.workload,
      data: {
        item,
        ...(p.ms !== undefined ? { ms: p.ms } : {}),
        ...(p.payload !== undefined ? { payload: p.payload } : {}),
      },
      opts,
    });
    const addRange = (q: Queue, from: number, to: number): Promise<unknown> =>
      q.addBulk(Array.from({ length: to - from }, (_, i) => job(from + i)));
    if (p.rate === undefined) {
      await this.run(
        p.connectionId,
        p.queue,
        async (q) => {
          for (let i = 0; i < p.count; i += BULK) await addRange(q, i, Math.min(p.count, i + BULK));
        },
        false,
      );
      this.#engine.watch(p.connectionId, p.queue);
      return { added: p.count, producer: null };
    }
    const q = this.queue(p.connectionId, p.queue, false);
    this.#engine.watch(p.connectionId, p.queue);
    const info: QueueProducer = {
      id: `p${++this.#producerSeq}`,
      connectionId: p.connectionId,
      queue: p.queue,
      rate: p.rate,
      total: p.count,
      added: 0,
      state: 'running',
      note: null,
    };
    const producer: Producer = { info, timer: null };
    this.#keep(producer);
    const started = performance.now();
    const step = async (): Promise<void> => {
      producer.timer = null;
      if (info.state !== 'running') return;
      const due = Math.min(info.total, Math.floor(((performance.now() - started) / 1000) * info.rate) + 1);
      try {
        // At most one second's worth per step: a stalled loop does not turn into a flood.
        const to = Math.min(due, info.added + Math.max(1, Math.ceil(info.rate)));
        if (to > info.added) await this.#engine.use(p.connectionId, () => addRange(q, info.added, to));
        info.added = Math.max(info.added, to);
      } catch (e) {
        info.state = 'failed';
        info.note = e instanceof Error ? e.message : String(e);
        return;
      }
      if (info.added >= info.total) info.state = 'done';
      else producer.timer = setTimeout(() => void step(), PRODUCER_STEP_MS);
    };
    await step();
    return { added: info.added, producer: { ...info } };
  }

  /** Stop the running producers of a queue; returns how many. */
  stopAdding(c: string, name: string): number {
    let n = 0;
    for (const p of this.#producers.values()) {
      if (p.info.connectionId !== c || p.info.queue !== name || p.info.state !== 'running') continue;
      p.info.state = 'stopped';
      if (p.timer) clearTimeout(p.timer);
      n++;
    }
    return n;
  }

  producers(): QueueProducer[] {
    return [...this.#producers.values()].map((p) => ({ ...p.info }));
  }

  /** Retry one failed job, or all; returns how many. */
  retry(c: string, name: string, jobId?: string): Promise<number> {
    return this.run(c, name, async (q) => {
      if (jobId !== undefined) {
        const job = await q.getJob(jobId);
        if (!job) throw new SpindleError('ENO_JOB', `no job ${jobId} in ${name}`);
        if (!(await job.isFailed())) throw new SpindleError('EJOB_STATE', `job ${jobId} has not failed`);
        await job.retry('failed');
        return 1;
      }
      const n = await q.getFailedCount();
      await q.retryJobs({ state: 'failed', count: 1000 });
      return n;
    });
  }

  /** Promote one delayed job, or all; returns how many. */
  promote(c: string, name: string, jobId?: string): Promise<number> {
    return this.run(c, name, async (q) => {
      if (jobId !== undefined) {
        const job = await q.getJob(jobId);
        if (!job) throw new SpindleError('ENO_JOB', `no job ${jobId} in ${name}`);
        if (!(await job.isDelayed())) throw new SpindleError('EJOB_STATE', `job ${jobId} is not delayed`);
        await job.promote();
        return 1;
      }
      const n = await q.getDelayedCount();
      await q.promoteJobs({ count: 1000 });
      return n;
    });
  }

  removeJob(c: string, name: string, jobId: string): Promise<void> {
    return this.run(c, name, async (q) => {
      const job = await q.getJob(jobId);
      if (!job) throw new SpindleError('ENO_JOB', `no job ${jobId} in ${name}`);
      if ((await q.remove(jobId)) !== 1) {
        throw new SpindleError('EJOB_STATE', `job ${jobId} is locked by a worker (active): not removed`);
      }
    });
  }

  /** Remove completed or failed jobs that finished more than `olderThanMs` ago; returns how many. */
  clean(
    c: string,
    name: string,
    state: 'completed' | 'failed',
    olderThanMs: number,
    limit: number,
  ): Promise<number> {
    return this.run(c, name, async (q) => (await q.clean(olderThanMs, limit, state)).length);
  }

  drain(c: string, name: string, delayed: boolean): Promise<void> {
    return this.run(c, name, (q) => q.drain(delayed));
  }

  /** Remove the queue and every job of it; `confirm` must be its name. */
  async obliterate(c: string, name: string, confirm: string, force: boolean): Promise<void> {
    if (confirm !== name) {
      throw new SpindleError('ECONFIRM', `type the queue's name ("${name}") to obliterate it`);
    }
    const q = this.queue(c, name);
    await this.#engine.use(c, () => q.obliterate({ force }));
    this.stopAdding(c, name);
    this.#queues.delete(`${c}/${name}`);
    await q.close().catch(() => {});
    this.#engine.unwatch(c, name);
  }

  /** Stop every producer and close every Queue object. */
  async close(): Promise<void> {
    for (const p of this.#producers.values()) if (p.timer) clearTimeout(p.timer);
    const qs = [...this.#queues.values()];
    this.#queues.clear();
    await Promise.all(qs.map((q) => q.close().catch(() => {})));
  }

  #keep(p: Producer): void {
    this.#producers.set(p.info.id, p);
    for (const [id, old] of this.#producers) {
      if (this.#producers.size <= PRODUCERS_KEPT) break;
      if (old.info.state !== 'running') this.#producers.delete(id);
    }
  }

  async #dropConnection(id: string): Promise<void> {
    for (const p of this.#producers.values()) {
      if (p.info.connectionId === id && p.info.state === 'running') {
        p.info.state = 'stopped';
        p.info.note = 'connection closed';
        if (p.timer) clearTimeout(p.timer);
      }
    }
    for (const [key, q] of this.#queues) {
      if (!key.startsWith(`${id}/`)) continue;
      this.#queues.delete(key);
      await q.close().catch(() => {});
    }
  }
}
