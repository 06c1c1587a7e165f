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
import type { ChildLauncher } from '../launcher';
import { openChannel, openWith } from './channel';
import { Pool } from './pool';

export interface LabRequest {
  maxWorkers: number;
  repeat: number;
  /** Each configuration is timed this many times, round-robin, and the median shown. */
  rounds?: number;
  kinds: PoolKind[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

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
  launcher?: ChildLauncher,
): Promise<number> {
  const pool = new Pool(
    `lab-${kind}-${workers}`,
    'lab',
    poolOptions.parse({ kind, size: workers, maxQueue: 10_000 }),
    openWith(launcher),
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

  constructor(
    readonly req: LabRequest,
    readonly launcher?: ChildLauncher,
  ) {
    this.state = {
      state: 'running',
      repeat: req.repeat,
      maxWorkers: req.maxWorkers,
      rounds: req.rounds ?? 3,
      rows: [],
      note: null,
    };
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

  /** Every configuration's timings so far, in display order (serial first). */
  readonly #times = new Map<string, { mode: LabRow['mode']; workers: number; ms: number[] }>();

  #record(mode: LabRow['mode'], workers: number, ms: number): void {
    const key = `${mode}:${workers}`;
    let t = this.#times.get(key);
    if (!t) this.#times.set(key, (t = { mode, workers, ms: [] }));
    t.ms.push(ms);
    // Rows are rebuilt from medians, so every speed-up follows the serial median as it settles.
    const serial = median(this.#times.get('serial:1')!.ms);
    const r = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;
    this.state.rows = [...this.#times.values()].map((c) => {
      const m = median(c.ms);
      return {
        mode: c.mode,
        workers: c.workers,
        elapsedMs: r(m),
        speedup: r(serial / m, 2),
        runs: c.ms.length,
      };
    });
  }

  async #run(): Promise<void> {
    const { repeat, maxWorkers, kinds } = this.req;
    const track = (end: () => void): void => void (this.#endCurrent = end);
    // Round-robin rather than all rounds of one configuration in a row, so a burst of load
    // from elsewhere spreads over every configuration instead of skewing one.
    for (let round = 0; round < this.state.rounds; round++) {
      if (this.#cancelled) return;
      this.#record('serial', 1, await timeSerial(repeat, track));
      for (const kind of kinds) {
        for (let n = 1; n <= maxWorkers; n++) {
          if (this.#cancelled) return;
          const ms = await timePool(kind, n, repeat, track, this.launcher);
          if (this.#cancelled) return;
          this.#record(kind, n, ms);
        }
      }
    }
    this.state.state = 'done';
  }
}
