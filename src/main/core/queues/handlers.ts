/** The queues requests (placeholders until the engine lands: each refuses with EUNSUPPORTED). */
import type { Handlers } from '../rpc';
import { SpindleError } from '../../../shared/result';

type QueuesMethod = Extract<keyof Handlers, `queues.${string}`>;

const unsupported = (): never => {
  throw new SpindleError('EUNSUPPORTED', 'queues: not implemented yet');
};

/** Handlers for every `queues.*` method. */
export function queuesHandlers(): Pick<Handlers, QueuesMethod> {
  return {
    'queues.subscribe': unsupported,
    'queues.unsubscribe': unsupported,
    'queues.connections': unsupported,
    'queues.connect': unsupported,
    'queues.disconnect': unsupported,
    'queues.startLocalRedis': unsupported,
    'queues.pause': unsupported,
    'queues.resume': unsupported,
    'queues.add': unsupported,
    'queues.stopAdding': unsupported,
    'queues.retry': unsupported,
    'queues.promote': unsupported,
    'queues.removeJob': unsupported,
    'queues.clean': unsupported,
    'queues.drain': unsupported,
    'queues.obliterate': unsupported,
    'queues.jobs': unsupported,
    'queues.job': unsupported,
  };
}
