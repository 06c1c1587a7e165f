/**
 * The speed-up lab: the gcd batch run serially (one plain worker thread, no pool), then
 * on thread and process pools of 1..N workers. Start-up is excluded: each pool is timed
 * from its first submit, after its workers said ready.
 */
import {
  GCD_PAIRS,
  poolOptions,
  type LabRow,
  type LabState,
  type PoolKind,
} from '../../../shared/contract/pools';
import { openChannel } from './channel';
import { Pool } from './pool';

export interface LabRequest {
  maxWorkers: number;
  repeat: number;
  kinds: PoolKind[];
}

/**
 * Time the batch in one worker thread with no pool around it: wall time seen from here,
 * like the pool timings, so both include the same message hops and scheduling delays.
 */
export async function timeSerial(
  repeat: number,
  onStart: (end: () => void) => void = () => {},
): Promise<number> {
  const ch = openChannel('threads', {});
  onStart(() => ch.kill());
  try {
    return await new Promise<number>((resolve, reject) => {
      let t0 = 0;
      ch.onExit((how) => reject(new Error(`serial worker ended: ${how}`)));
      ch.onMessage((m) => {
        if (m.t === 'ready') {
          t0 = performance.now();
          ch.post({ t: 'batch', repeat });
        } else if (m.t === 'batchDone') resolve(performance.now() - t0);
      });
    });
  } finally {
    ch.kill();
  }
}

/** Time the batch on a fresh pool of `workers`. */
export async function timePool(
  kind: PoolKind,
  workers: number,
  repeat: number,
  onStart: (end: () => void) => void = () => {},
): Promise<number> {
  const pool = new Pool(
    `lab-${kind}-${workers}`,
    'lab',
    poolOptions.parse({ kind, size: workers, maxQueue: 10_000 }),
  );
  onStart(() => pool.terminate());
  try {
    await pool.whenReady();
    if (pool.state === 'unhealthy') throw new Error(pool.note ?? 'pool did not start');
    if ((pool.state as string) === 'terminated') return NaN;
    const t0 = performance.now();
    for (let i = 0; i < GCD_PAIRS.length * repeat; i++) pool.submit({ kind: 'gcd' }, i);
    await pool.whenIdle();
    if (pool.state === 'terminated') return NaN;
    if (pool.stats.failed) throw new Error(`${pool.stats.failed} gcd tasks failed`);
    return performance.now() - t0;
  } finally {
    pool.terminate();
  }
}

/** One lab run; `state` is updated in place as rows arrive, so ticks can show progress. */
export class SpeedupLab {
  readonly state: LabState;
  #cancelled = false;
  /** Ends whatever is being timed right now. */
  #endCurrent: () => void = () => {};

  constructor(readonly req: LabRequest) {
    this.state = { state: 'running', repeat: req.repeat, maxWorkers: req.maxWorkers, rows: [], note: null };
    void this.#run().catch((e: unknown) => {
      if (this.#cancelled) return;
      this.state.state = 'failed';
      this.state.note = e instanceof Error ? e.message : String(e);
    });
  }

  cancel(): void {
    this.#cancelled = true;
    this.#endCurrent();
    if (this.state.state === 'running') this.state.state = 'cancelled';
  }

  #add(mode: LabRow['mode'], workers: number, elapsedMs: number, serialMs: number): void {
    const r = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;
    this.state.rows.push({ mode, workers, elapsedMs: r(elapsedMs), speedup: r(serialMs / elapsedMs, 2) });
  }

  async #run(): Promise<void> {
    const { repeat, maxWorkers, kinds } = this.req;
    const track = (end: () => void): void => void (this.#endCurrent = end);
    const serial = await timeSerial(repeat, track);
    this.#add('serial', 1, serial, serial);
    for (const kind of kinds) {
      for (let n = 1; n <= maxWorkers; n++) {
        if (this.#cancelled) return;
        const ms = await timePool(kind, n, repeat, track);
        if (this.#cancelled) return;
        this.#add(kind, n, ms, serial);
      }
    }
    this.state.state = 'done';
  }
}
