/**
 * The Queues view's state and how one `queues` event changes it: connections with their
 * state, each queue's latest stats, and each queue's history (one point per 'tick' event,
 * bounded by QUEUE_LIMITS.historyPoints). Pure: tests apply literal ticks.
 */
import type { ErrorValue } from '../../../../shared/result';
import type {
  QueueConnection,
  QueueHistory,
  QueueProducer,
  QueueStats,
  QueuesTick,
} from '../../../../shared/contract';
import { appendPoint, emptyHistory } from './queue-data';

export interface QueuesState {
  ready: boolean;
  /** Why the subscription failed (shown instead of an empty view). */
  error: ErrorValue | null;
  localRedisAvailable: boolean;
  intervalMs: number;
  t: number;
  connections: QueueConnection[];
  queues: QueueStats[];
  producers: QueueProducer[];
  /** By queue key (`<connectionId>/<name>`); mutated in place, read per render. */
  history: Record<string, QueueHistory>;
}

/** Apply one event (or the subscribe answer's tick) to the state: only a 'tick' adds a point. */
export function applyTick(prev: QueuesState, tick: QueuesTick): QueuesState {
  const history: Record<string, QueueHistory> = {};
  for (const q of tick.queues) {
    const h = prev.history[q.key] ?? emptyHistory();
    if (tick.reason === 'tick') appendPoint(h, q, tick.t);
    history[q.key] = h;
  }
  return {
    ...prev,
    ready: true,
    error: null,
    t: tick.t,
    connections: tick.connections,
    queues: tick.queues,
    producers: tick.producers,
    history,
  };
}

export const initialQueuesState = (): QueuesState => ({
  ready: false,
  error: null,
  localRedisAvailable: false,
  intervalMs: 1000,
  t: 0,
  connections: [],
  queues: [],
  producers: [],
  history: {},
});
