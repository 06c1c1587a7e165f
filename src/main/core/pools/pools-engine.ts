/**
 * All pools of one core: creates and ends them, feeds them (producers, pipelines, the
 * lab) and publishes one bounded `pools` tick about once a second, plus a 'change' event
 * as soon as a pool appears, changes state or size, or goes (one per burst of changes).
 */
import { availableParallelism } from 'node:os';
import {
  POOL_LIMITS,
  type PipelineStats,
  type PoolOptions,
  type PoolsInitialState,
  type PoolStats,
  type PoolsTick,
  type ProducerInfo,
  type WorkloadSpec,
  type LabState,
  type Percentiles,
} from '../../../shared/contract/pools';
import type { SnapshotPool } from '../../../shared/snapshot/schema';
import { SpindleError } from '../../../shared/result';
import type { ChildLauncher } from '../launcher';
import { openWith } from './channel';
import { Pipeline } from './pipeline';
import { Pool } from './pool';
import { Producer } from './producer';
import { SpeedupLab, type LabRequest } from './speedup-lab';

const PRODUCERS_KEPT = 6;
const PIPELINES_KEPT = 4;

export interface StageRequest {
  name: string;
  kind: PoolOptions['kind'];
  size: number;
  maxQueue: number;
  workload: WorkloadSpec;
}

export class PoolsEngine {
  readonly #pools = new Map<string, Pool>();
  readonly #producers = new Map<string, Producer[]>();
  readonly #pipelines = new Map<string, Pipeline>();
  readonly #publish: (tick: PoolsTick) => void;
  readonly #tickMs: number;
  #lab: SpeedupLab | null = null;
  #timer: NodeJS.Timeout | null = null;
  #last: PoolsTick = { reason: 'tick', t: Date.now(), pools: [], pipelines: [], lab: null };
  #changeQueued = false;
  #nextId = 0;
  #nextProducer = 0;
  #stopped = false;
  readonly #launcher: ChildLauncher | undefined;

  /** `launcher` starts worker processes (core: through the supervisor helper). */
  constructor(publish: (tick: PoolsTick) => void, opts: { tickMs?: number; launcher?: ChildLauncher } = {}) {
    this.#publish = publish;
    this.#tickMs = opts.tickMs ?? 1000;
    this.#launcher = opts.launcher;
  }

  /** The pool by id, or ENOT_FOUND. */
  get(id: string): Pool {
    const p = this.#pools.get(id);
    if (!p) throw new SpindleError('ENOT_FOUND', `no pool ${id}`);
    return p;
  }

  create(options: PoolOptions): PoolStats {
    if (this.#stopped) throw new SpindleError('ESTOPPED', 'Spindle is shutting down');
    if (this.#pools.size >= POOL_LIMITS.pools) {
      const old = [...this.#pools.values()].find((p) => p.state === 'terminated');
      if (!old) throw new SpindleError('ELIMIT', `at most ${POOL_LIMITS.pools} pools; terminate one first`);
      this.remove(old.id);
    }
    const id = `pool-${++this.#nextId}`;
    const pool = new Pool(
      id,
      options.name ?? `${options.kind} ${this.#nextId}`,
      options,
      openWith(this.#launcher),
    );
    this.#pools.set(id, pool);
    pool.onChange = () => this.#changed();
    this.#ensureTicking();
    this.#changed();
    return pool.view();
  }

  /** Start a producer; on a rejecting queue, answer once it has offered what it can (see the contract). */
  async submit(
    poolId: string,
    spec: WorkloadSpec,
    count: number,
    rate: number | null,
    items: string[] | null,
  ): Promise<ProducerInfo> {
    const pool = this.get(poolId);
    if (spec.kind === 'command' && pool.options.kind !== 'processes')
      throw new SpindleError('EINVAL', 'command workloads run on process pools only');
    if (spec.kind === 'module' && !pool.options.module)
      throw new SpindleError('EINVAL', `pool ${pool.name} has no module; create one with a module path`);
    pool.checkOpen();
    const producer = new Producer(++this.#nextProducer, pool, spec, count, rate, items);
    const list = this.#producers.get(poolId) ?? [];
    list.push(producer);
    // Bounded: drop the oldest finished producers first.
    while (list.length > PRODUCERS_KEPT) {
      const i = list.findIndex((p) => p.state === 'done' || p.state === 'stopped');
      list.splice(i >= 0 ? i : 0, 1)[0]?.stop();
    }
    this.#producers.set(poolId, list);
    await producer.offered;
    if (producer.submitted === 0 && producer.rejected > 0) {
      producer.stop();
      const i = list.indexOf(producer);
      if (i >= 0) list.splice(i, 1);
      throw new SpindleError('EQUEUE_FULL', producer.note ?? `pool ${pool.name}: queue full`);
    }
    return producer.info();
  }

  stopProducers(poolId: string): void {
    this.get(poolId);
    for (const p of this.#producers.get(poolId) ?? []) p.stop();
  }

  terminate(poolId: string): void {
    this.stopProducers(poolId);
    this.get(poolId).terminate();
  }

  remove(poolId: string): void {
    const p = this.get(poolId);
    if (p.state !== 'terminated')
      throw new SpindleError('EPOOL_LIVE', `pool ${p.name} is ${p.state}; terminate it first`);
    this.#pools.delete(poolId);
    this.#producers.delete(poolId);
    this.#changed();
  }

  pipeline(stages: StageRequest[], count: number, rate: number | null): PipelineStats {
    if (this.#pools.size + stages.length > POOL_LIMITS.pools) {
      for (const p of [...this.#pools.values()]) if (p.state === 'terminated') this.remove(p.id);
    }
    if (this.#pools.size + stages.length > POOL_LIMITS.pools)
      throw new SpindleError(
        'ELIMIT',
        `a ${stages.length}-stage pipeline needs ${stages.length} pools; terminate some first`,
      );
    const id = `pipeline-${++this.#nextId}`;
    const built = stages.map((s) => {
      const stats = this.create({
        name: `${id} · ${s.name}`,
        kind: s.kind,
        size: s.size,
        maxQueue: s.maxQueue,
        fullPolicy: 'wait',
        retries: 0,
      });
      return { name: s.name, pool: this.get(stats.id), spec: s.workload };
    });
    const p = new Pipeline(id, built, count, rate);
    this.#pipelines.set(id, p);
    for (const [k, old] of this.#pipelines) {
      if (this.#pipelines.size <= PIPELINES_KEPT) break;
      if (old.state !== 'running') this.#pipelines.delete(k);
    }
    return p.stats();
  }

  pipelineStop(id: string): void {
    const p = this.#pipelines.get(id);
    if (!p) throw new SpindleError('ENOT_FOUND', `no pipeline ${id}`);
    p.stop();
  }

  lab(req: LabRequest): LabState {
    if (this.#lab?.state.state === 'running')
      throw new SpindleError('ELAB_BUSY', 'the speed-up lab is already running');
    this.#lab = new SpeedupLab(req, this.#launcher);
    this.#ensureTicking();
    return this.#lab.state;
  }

  labCancel(): void {
    this.#lab?.cancel();
  }

  /** Every pool, live objects (for readers that only look, like the metrics endpoint). */
  list(): readonly Pool[] {
    return [...this.#pools.values()];
  }

  /** Every pool as a usage snapshot stores it: counts and latency at the last tick, plus history. */
  snapshotRows(): SnapshotPool[] {
    const last = new Map(this.#last.pools.map((p) => [p.id, p]));
    return [...this.#pools.values()].map((pool) => {
      const s = last.get(pool.id);
      const c = pool.stats.counts(pool.queued, pool.active);
      const h = pool.stats.history;
      const pct = (p: Percentiles | undefined) =>
        p ? { p50: p.p50, p95: p.p95, p99: p.p99 } : { p50: null, p95: null, p99: null };
      return {
        id: pool.id,
        name: pool.name,
        kind: pool.options.kind,
        size: pool.options.size,
        stats: {
          submitted: c.submitted,
          queued: c.queued,
          active: c.active,
          completed: c.completed,
          failed: c.failed,
          cancelled: c.cancelled,
          timedOut: c.timedOut,
          throughput: s?.throughput ?? null,
          utilization: s?.utilization ?? null,
          wait: pct(s?.wait),
          run: pct(s?.run),
        },
        history: {
          t: [...h.t],
          queued: [...h.queued],
          active: [...h.active],
          completed: [...h.completed],
          failed: [...h.failed],
        },
      };
    });
  }

  /** What a new subscriber gets: every pool as it is now, plus its history. */
  state(): PoolsInitialState {
    const history: PoolsInitialState['history'] = {};
    for (const [id, p] of this.#pools) history[id] = p.stats.history;
    return { ...this.#now('change'), cores: availableParallelism(), history };
  }

  /** Every pool, pipeline and the lab: closing a stats tick, or as they are now. */
  #now(reason: PoolsTick['reason']): PoolsTick {
    const t = Date.now();
    const pools = [...this.#pools.values()].map((p) => {
      if (reason === 'tick') p.closeTick(t);
      const s = p.view();
      s.producers = (this.#producers.get(p.id) ?? []).map((x) => x.info());
      return s;
    });
    const pipelines = [...this.#pipelines.values()].map((p) => p.stats());
    return { reason, t, pools, pipelines, lab: this.#lab ? structuredClone(this.#lab.state) : null };
  }

  #tick(): PoolsTick {
    this.#last = this.#now('tick');
    return this.#last;
  }

  /** Push the new state once the current burst of changes is over (a terminate ends many things). */
  #changed(): void {
    if (this.#changeQueued || this.#stopped) return;
    this.#changeQueued = true;
    queueMicrotask(() => {
      this.#changeQueued = false;
      if (!this.#stopped) this.#publish(this.#now('change'));
    });
  }

  #ensureTicking(): void {
    if (this.#timer || this.#stopped) return;
    const loop = (): void => {
      this.#publish(this.#tick());
      this.#timer = setTimeout(loop, this.#tickMs);
      this.#timer.unref();
    };
    this.#timer = setTimeout(loop, this.#tickMs);
    this.#timer.unref();
  }

  /** End every producer, pipeline, lab run and pool (Core.stop). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#lab?.cancel();
    for (const p of this.#pipelines.values()) p.stop();
    for (const list of this.#producers.values()) for (const p of list) p.stop();
    for (const p of this.#pools.values()) p.terminate();
  }
}
