/**
 * `GET /metrics`: Spindle's figures in the Prometheus text format, built by prom-client from a
 * private Registry whose families read the latest sample at scrape time. A scrape never reads
 * /proc or polls anything: it formats what the sampler, supervisor, pools and queues already
 * hold, so its cost is the size of the answer, and any number of scrapes leaves the sampler's
 * tick count where it was.
 */
import { Registry } from 'prom-client';
import type { Pool } from '../pools/pool';
import { APP_VERSION } from '../version';
import { processFrame, registerProcesses, type ProcessFrame } from './process-metrics';
import { registerPools } from './pool-metrics';
import { queueFigures, registerQueues, type QueueSource, type WatchedQueues } from './queue-metrics';
import { DEFAULT_SELECTION, type ProcessSelection } from './selection';
import { registerSelf, registerSystem } from './system-metrics';
import { Tallies, type TallySources } from './tallies';

/** The parts of the core metrics read (Core satisfies it). */
export interface MetricsSources extends TallySources {
  sampler: TallySources['sampler'] & { readonly config: { topN: number } };
  pools: { list(): readonly Pool[] };
  /** The queue engine, when the core has one. */
  queues?: WatchedQueues;
}

export interface MetricsOptions {
  /** Per-process series (default top 20 by CPU plus managed). */
  processes?: ProcessSelection;
  /** Queue figures (default: the queues `sources.queues` watches, else none). */
  queues?: QueueSource;
}

export class Metrics {
  readonly #registry = new Registry();
  readonly #tallies: Tallies;
  readonly #frameOf: () => ProcessFrame;
  /** The frame of the scrape under way (see `scrape`). */
  #frame: ProcessFrame | null = null;

  constructor(sources: MetricsSources, opts: MetricsOptions = {}) {
    const t = (this.#tallies = new Tallies(sources));
    const selection = opts.processes ?? DEFAULT_SELECTION;
    this.#frameOf = () =>
      processFrame(
        sources.sampler.table(),
        sources.supervisor.list(),
        t,
        selection,
        sources.sampler.config.topN,
      );
    const frame = (): ProcessFrame => this.#frame ?? this.#frameOf();
    registerSystem(this.#registry, t);
    registerProcesses(this.#registry, t, frame);
    registerPools(this.#registry, () => sources.pools.list());
    const engine = sources.queues;
    registerQueues(this.#registry, opts.queues ?? (engine ? queueFigures(engine) : () => []));
    registerSelf(this.#registry, t, APP_VERSION);
  }

  /** The Content-Type of `scrape()`'s text. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /**
   * The exposition text. prom-client calls every family's `get()` synchronously before its
   * first await, so one frame (the managed list, the selected rows) serves the whole scrape.
   */
  scrape(): Promise<string> {
    this.#frame = this.#frameOf();
    try {
      return this.#registry.metrics();
    } finally {
      this.#frame = null;
    }
  }

  /** Stop listening to the sampler and supervisor. */
  close(): void {
    this.#tallies.close();
  }
}

export type { ProcessSelection, QueueSource };
