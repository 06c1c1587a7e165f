import { useState, useSyncExternalStore } from 'react';
import type { Client } from '../../api/client';
import { SubscribeError } from '../../lib/subscribe-error';
import { useStores } from '../../stores';
import { AddJobsForm } from './add-jobs-form';
import { ConnectForm } from './connect-form';
import { ConnectionList } from './connection-list';
import { stagesOf } from './queue-data';
import { QueueDetail } from './queue-detail';
import { StagesPanel } from './stages-panel';
// Tiles and stage boxes look as in the Pools view.
import '../pools/pools.css';
import './queues.css';

/** How to connect, shown while there is no connection. */
function HowToConnect({ local }: { local: boolean }) {
  return (
    <section className="card how-to" aria-label="How to connect" data-testid="queues-empty">
      <h2>No Redis connection</h2>
      <p>
        Spindle watches BullMQ queues on any Redis server: every queue under the key prefix (default{' '}
        <code>bull</code>), the workers taking its jobs and the hosts they run on.
      </p>
      <ul>
        <li>
          Connect with the form: <code>redis://[user:password@]host:6379/db</code>, or <code>rediss://</code>{' '}
          for TLS. The password is kept by the server (in a 0600 file when remembered) and shown back only as{' '}
          <code>***</code>.
        </li>
        <li>
          Or start Spindle with <code>--redis URL</code> (repeatable) or <code>SPINDLE_REDIS_URL</code>.
        </li>
        {local ? (
          <li>
            Or <b>Start a local Redis</b>: redis-server on a free loopback port with a private temporary
            folder, run as a managed process.
          </li>
        ) : (
          <li className="muted">
            redis-server is not installed on the Spindle server, so no local Redis is offered.
          </li>
        )}
        <li>
          Then run workers anywhere that reaches it: <code>spindle worker --redis URL --queue NAME</code>.
        </li>
      </ul>
    </section>
  );
}

/** The Queues view: connections, every queue on them charted, its workers by host, controls and jobs. */
export function QueuesView({ client }: { client: Client }) {
  const { queues: store } = useStores();
  const state = useSyncExternalStore(store.subscribe, store.get);
  const [picked, setPicked] = useState<string | null>(null);
  const [pickedConn, setPickedConn] = useState<string | null>(null);
  const queue =
    state.queues.find((q) => q.key === picked) ??
    state.queues.find((q) => q.connectionId === pickedConn) ??
    state.queues[0];
  const connection = state.connections.find((c) => c.id === queue?.connectionId);
  const stages = queue ? stagesOf(state.queues, queue.connectionId) : null;
  const up = state.connections.filter((c) => c.state === 'up');
  const none = state.ready && state.connections.length === 0;
  return (
    <div className="queues-view" data-testid="queues-view" data-ready={state.ready}>
      <div className="queues-side">
        {state.connections.length > 0 && (
          <ConnectionList
            client={client}
            connections={state.connections}
            queues={state.queues}
            picked={queue?.key ?? null}
            onPick={setPicked}
          />
        )}
        {up.length > 0 && (
          <AddJobsForm
            client={client}
            connections={up}
            queueNames={[...new Set(state.queues.map((q) => q.name))]}
            initial={queue ? { connectionId: queue.connectionId, queue: queue.name } : null}
            producers={state.producers}
          />
        )}
        {/* Last, so it is first while there is nothing else, and never remounts (its error stays shown). */}
        <ConnectForm
          client={client}
          localRedisAvailable={state.localRedisAvailable}
          onConnected={setPickedConn}
        />
      </div>
      <div className="queues-main">
        <SubscribeError what="queues" error={state.error} />
        {none && <HowToConnect local={state.localRedisAvailable} />}
        {!none && !queue && state.ready && (
          <p className="muted card">
            No queues found yet under the prefix: add jobs with a producer or <code>spindle worker</code>; new
            queues appear within a few seconds.
          </p>
        )}
        {stages && <StagesPanel wash={stages[0]} dry={stages[1]} history={state.history} t={state.t} />}
        {queue && (
          <QueueDetail key={queue.key} client={client} queue={queue} connection={connection} state={state} />
        )}
      </div>
    </div>
  );
}
