/**
 * Steady producers: R jobs a second onto a queue until K are added or stopped. Each step adds
 * what is due, at most one second's worth, so a stalled loop never turns into a flood; while
 * the connection is down it waits (and says why) instead of giving up.
 */
import type { QueueProducer } from '../../../shared/contract';
import { SpindleError } from '../../../shared/result';

/** A producer adds what is due every STEP_MS. */
const STEP_MS = 100;
/** Producers kept listed (finished ones drop off first). */
const KEPT = 32;

interface Producer {
  info: QueueProducer;
  timer: NodeJS.Timeout | null;
}

export class Producers {
  readonly #all = new Map<string, Producer>();
  #seq = 0;

  /**
   * Start one; `add(from, to)` adds items [from, to). Resolves after the first step (the
   * first job is added, or the reason it could not be).
   */
  async start(
    where: { connectionId: string; queue: string },
    rate: number,
    total: number,
    add: (from: number, to: number) => Promise<unknown>,
  ): Promise<QueueProducer> {
    const info: QueueProducer = {
      id: `p${++this.#seq}`,
      ...where,
      rate,
      total,
      added: 0,
      state: 'running',
      note: null,
    };
    const p: Producer = { info, timer: null };
    this.#keep(p);
    const started = performance.now();
    const step = async (): Promise<void> => {
      p.timer = null;
      if (info.state !== 'running') return;
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      const to = Math.min(due, info.added + Math.max(1, Math.ceil(rate)));
      try {
        if (to > info.added) await add(info.added, to);
        info.added = Math.max(info.added, to);
        info.note = null;
      } catch (e) {
        info.note = e instanceof Error ? e.message : String(e);
        // Down for now: try again next step. Anything else ends the producer.
        if (!(e instanceof SpindleError && e.code === 'ECONNECTION_DOWN')) {
          info.state = 'failed';
          return;
        }
      }
      if (info.added >= total) info.state = 'done';
      else if (info.state === 'running') p.timer = setTimeout(() => void step(), STEP_MS);
    };
    await step();
    return { ...info };
  }

  /** Stop the running producers that match; returns how many. */
  stop(match: (p: QueueProducer) => boolean, note: string | null = null): number {
    let n = 0;
    for (const p of this.#all.values()) {
      if (p.info.state !== 'running' || !match(p.info)) continue;
      p.info.state = 'stopped';
      p.info.note = note;
      if (p.timer) clearTimeout(p.timer);
      n++;
    }
    return n;
  }

  list(): QueueProducer[] {
    return [...this.#all.values()].map((p) => ({ ...p.info }));
  }

  #keep(p: Producer): void {
    this.#all.set(p.info.id, p);
    for (const [id, old] of this.#all) {
      if (this.#all.size <= KEPT) break;
      if (old.info.state !== 'running') this.#all.delete(id);
    }
  }
}
