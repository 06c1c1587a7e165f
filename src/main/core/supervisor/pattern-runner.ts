/**
 * Runs a client's regular expression over held output in a worker thread, within a time
 * budget, so no pattern can hold Spindle's main loop.
 *
 * Why a worker and not a linear-time engine: V8's backtracking takes exponential time on
 * patterns such as `(a+)+$` (one 30-character line froze every client for seconds), and the
 * only way to stop a running match is to end the thread that runs it. A linear engine
 * (re2js, the pure-JS RE2 port) was measured and rejected: linear in pattern × text is
 * still 3.3 s for one 16 KiB line against a 200-character pattern of counted repeats, run
 * on the main loop, and it would change the syntax users already type. Here any pattern is
 * bounded by the budget; past it the worker is terminated (a fresh one starts on the next
 * query) and the query refused with EPATTERN_TIMEOUT.
 *
 * Lines go to the worker in chunks, so the main loop never copies more than about a
 * megabyte at once; one query runs at a time and at most MAX_WAITING wait behind it.
 */
import { Worker } from 'node:worker_threads';
import { SpindleError } from '../../../shared/result';

/** Time one query may take, copying included; a fresh worker's start-up is not counted. */
export const PATTERN_BUDGET_MS = 2_000;
const CHUNK_CHARS = 1 << 20;
const CHUNK_LINES = 5_000;
const MAX_WAITING = 8;

// Plain CommonJS for an eval'd worker: no build entry, and it runs the same under tsx,
// a bundle, or Electron. It compiles the pattern once per query and answers each chunk
// with the indices that match.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let re = null;
parentPort.on('message', (m) => {
  try {
    if (m.pattern !== undefined) {
      re = new RegExp(m.pattern, m.flags);
      return;
    }
    const hits = [];
    for (let i = 0; i < m.texts.length; i++) if (re.test(m.texts[i])) hits.push(i);
    parentPort.postMessage({ hits });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
});
`;

type Reply = { hits: number[] } | { error: string };

/** Split texts into chunks of at most CHUNK_LINES lines and about CHUNK_CHARS characters. */
function* chunks(texts: readonly string[]): Generator<[start: number, part: string[]]> {
  let start = 0;
  while (start < texts.length) {
    let end = start;
    let chars = 0;
    while (end < texts.length && end - start < CHUNK_LINES && (chars < CHUNK_CHARS || end === start)) {
      chars += texts[end]!.length;
      end++;
    }
    yield [start, texts.slice(start, end)];
    start = end;
  }
}

export class PatternRunner {
  readonly #budgetMs: number;
  #worker: Worker | null = null;
  /** Settles when #worker runs its code (or has ended): a thread's start-up is not the pattern's time. */
  #started: Promise<void> = Promise.resolve();
  #queue: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  constructor(budgetMs = PATTERN_BUDGET_MS) {
    this.#budgetMs = budgetMs;
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    w.unref();
    w.on('error', () => {}); // Reported to the query waiting on it through 'exit'.
    w.on('exit', () => {
      if (this.#worker === w) this.#worker = null;
    });
    // A new thread takes tens of ms to start, hundreds on a loaded machine; the budget is the
    // pattern's, so it starts at 'online'. A worker that ends first settles it too, and the
    // query then fails with EPATTERN_FAILED.
    this.#started = new Promise<void>((resolve) => {
      w.once('online', resolve);
      w.once('exit', () => resolve());
    });
    return (this.#worker = w);
  }

  /**
   * Indices of `texts` that `pattern` matches (case-insensitive). Throws EINVAL_REGEX for a
   * bad pattern, EPATTERN_TIMEOUT past the budget, EBUSY when too many queries wait.
   */
  match(pattern: string, texts: readonly string[]): Promise<number[]> {
    try {
      // Syntax only (V8 compiles the matcher lazily), so a typo is answered at once.
      new RegExp(pattern, 'i');
    } catch (err) {
      return Promise.reject(
        new SpindleError('EINVAL_REGEX', `bad regular expression: ${(err as Error).message}`),
      );
    }
    if (this.#waiting >= MAX_WAITING) {
      return Promise.reject(
        new SpindleError('EBUSY', `${this.#waiting} pattern searches are waiting; try again shortly`),
      );
    }
    this.#waiting++;
    const run = this.#queue.then(() => this.#run(pattern, texts)).finally(() => this.#waiting--);
    // The caller gets this run's failure; the queue only orders runs, so it must not stay rejected.
    this.#queue = run.catch(() => {});
    return run;
  }

  async #run(pattern: string, texts: readonly string[]): Promise<number[]> {
    const w = this.#ensure();
    await this.#started;
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      // Forget it now, not at its exit event: the next query must never get a dying worker.
      if (this.#worker === w) this.#worker = null;
      void w.terminate();
    }, this.#budgetMs);
    try {
      w.postMessage({ pattern, flags: 'i' });
      const out: number[] = [];
      for (const [start, part] of chunks(texts)) {
        const reply = await ask(w, part);
        if (expired) {
          throw new SpindleError(
            'EPATTERN_TIMEOUT',
            `the pattern took longer than ${this.#budgetMs} ms over ${texts.length} lines; ` +
              'simplify it (nested repeats such as (a+)+ backtrack exponentially)',
          );
        }
        if (!reply) throw new SpindleError('EPATTERN_FAILED', 'the pattern search thread ended unexpectedly');
        if ('error' in reply) throw new SpindleError('EINVAL_REGEX', `regular expression: ${reply.error}`);
        for (const i of reply.hits) out.push(start + i);
      }
      return out;
    } finally {
      clearTimeout(timer);
    }
  }

  /** End the worker (Spindle is closing). */
  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    await w?.terminate();
  }
}

/** Send one chunk; resolves with the reply, or null when the worker ended first. */
function ask(w: Worker, texts: string[]): Promise<Reply | null> {
  return new Promise((resolve) => {
    const done = (r: Reply | null): void => {
      w.off('message', onMessage);
      w.off('exit', onExit);
      resolve(r);
    };
    const onMessage = (r: Reply): void => done(r);
    const onExit = (): void => done(null);
    w.on('message', onMessage);
    w.on('exit', onExit);
    w.postMessage({ texts });
  });
}
