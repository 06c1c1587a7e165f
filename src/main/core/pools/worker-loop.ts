/**
 * The body of every pool worker, thread or process: load the user's module if any, say
 * ready, then run tasks one at a time in arrival order (so the first task in flight is
 * the one running), sending results back in small batches. Before each task it records
 * how many it has started, and as it exits (a crash included) it hands over the results
 * not yet sent: so after any death the pool knows which tasks ran (see progress.ts).
 */
import { pathToFileURL } from 'node:url';
import {
  FLUSH_EVERY,
  type FromWorker,
  type ToWorker,
  type WireDone,
  type WireTask,
  type WorkerInit,
} from './protocol';
import { gcdBatch, runWorkload, type UserFn } from './workloads';

/** How a worker talks to its pool. */
export interface WorkerPort {
  send(msg: FromWorker): void;
  onMessage(fn: (msg: ToWorker) => void): void;
  /** Report a start-up failure and end the worker. */
  fail(error: string): void;
  /** Record, where it outlives the worker, that `n` tasks have been started in all. */
  started(n: number): void;
  /** Called synchronously as the worker exits: hand over results not yet delivered. */
  lastWords(results: WireDone[]): void;
}

const text = (v: unknown): string => {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 200 ? s.slice(0, 199) + '…' : s;
};

const errText = (e: unknown): string => text(e instanceof Error ? e.message : String(e)) || 'error';

async function loadUser(init: WorkerInit): Promise<UserFn | null> {
  if (!init.module) return null;
  const mod = (await import(pathToFileURL(init.module).href)) as Record<string, unknown>;
  const name = init.exportName ?? 'default';
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`${init.module} has no function export "${name}"`);
  return fn as UserFn;
}

/** Run the worker until its pool ends it. */
export async function workerMain(
  port: WorkerPort,
  init: WorkerInit,
  ids: { pid: number; tid: number | null; threadId: number | null },
): Promise<void> {
  let user: UserFn | null;
  try {
    user = await loadUser(init);
  } catch (e) {
    port.fail(`start-up failed: ${errText(e)}`);
    return;
  }
  const inbox: WireTask[] = [];
  let head = 0;
  let running = false;
  let started = 0;
  let out: WireDone[] = [];
  const flush = (): void => {
    port.send({ t: 'done', r: out });
    out = [];
  };
  // A task that calls process.exit (or throws out of a timer) ends the worker here.
  process.on('exit', () => port.lastWords(out.splice(0)));
  const drain = async (): Promise<void> => {
    running = true;
    while (head < inbox.length) {
      const task = inbox[head++]!;
      port.started(++started);
      const t0 = performance.now();
      let ok = true;
      let result: string;
      try {
        let v = runWorkload(task.s, task.i, user, init.cwd);
        if (v instanceof Promise) v = await v;
        result = text(v);
      } catch (e) {
        ok = false;
        result = errText(e);
      }
      out.push([task.id, ok, result, performance.now() - t0]);
      if (head === inbox.length) {
        inbox.length = 0;
        head = 0;
      }
      if (out.length >= FLUSH_EVERY || head === inbox.length) flush();
    }
    running = false;
  };
  port.onMessage((msg) => {
    if (msg.t === 'run') {
      for (const t of msg.tasks) inbox.push(t);
      if (!running) void drain();
    } else if (msg.t === 'batch') {
      const t0 = performance.now();
      gcdBatch(msg.repeat);
      port.send({ t: 'batchDone', ms: performance.now() - t0 });
    }
  });
  port.send({ t: 'ready', ...ids });
}
