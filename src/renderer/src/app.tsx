import {
  Fragment,
  lazy,
  Suspense,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Client } from './api/client';
import { OverviewView } from './features/overview/overview-view';
import { ProcessesView } from './features/processes/processes-view';
import { ReplayBanner } from './features/snapshots/replay-banner';
import { replayClient, replayState } from './features/snapshots/replay';
import { SnapshotMenu } from './features/snapshots/snapshot-menu';
import { FrameStore as Store } from './lib/frame-store';
import type { Snapshot } from '../../shared/snapshot/schema';
import { onShowProcess } from './lib/navigate';
import { ReadOnlyContext } from './lib/read-only';
import { createStores, StoresContext, type Stores } from './stores';
import { LOCAL_HOST } from '../../shared/local-host';
import { scopeClient, type ScopedClient } from './api/scoped-client';
import type { HostsStore } from './features/hosts/hosts-store';
import { HostsContext, type HostsChoice } from './features/hosts/hosts-context';
import { HostBanner, HostPicker } from './features/hosts/host-picker';

// Views off the first screen load on first visit: Managed and Pools bring recharts (most of
// the bundle), the snapshot view only matters while replaying a file.
const SupervisorView = lazy(() =>
  import('./features/supervisor/supervisor-view').then((m) => ({ default: m.SupervisorView })),
);
const PoolsView = lazy(() => import('./features/pools/pools-view').then((m) => ({ default: m.PoolsView })));
const HostsView = lazy(() => import('./features/hosts/hosts-view').then((m) => ({ default: m.HostsView })));
const QueuesView = lazy(() =>
  import('./features/queues/queues-view').then((m) => ({ default: m.QueuesView })),
);
const SnapshotView = lazy(() =>
  import('./features/snapshots/snapshot-view').then((m) => ({ default: m.SnapshotView })),
);

const STATE_TEXT = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  'token-refused': 'not signed in — open a URL Spindle printed (each code opens one tab)',
} as const;

/** What every view receives; stores come from StoresContext. */
export interface ViewProps {
  /** Bound to the host every view shows (this machine unless another is chosen). */
  client: Client;
  /** This machine's server, whichever host is shown. */
  local: Client;
  /** Replaying a snapshot: show, never act (control requests are refused anyway). */
  replay?: Snapshot;
  /** Replaying: the time (ms since the epoch) the scrubber stands at. */
  replayAt?: number;
}

/** The views, in tab order. Each area adds one line here. */
interface ViewDef {
  id: string;
  label: string;
  render: (p: ViewProps) => ReactNode;
  /** Shown while replaying a snapshot (fed from the file), or only live. */
  in: 'both' | 'live' | 'replay';
}

const VIEWS: ViewDef[] = [
  {
    id: 'overview',
    label: 'Overview',
    render: ({ client }) => <OverviewView client={client} />,
    in: 'both',
  },
  {
    id: 'processes',
    label: 'Processes',
    render: ({ client }) => <ProcessesView client={client} />,
    in: 'both',
  },
  {
    id: 'managed',
    label: 'Managed',
    render: ({ client }) => <SupervisorView client={client} />,
    in: 'live',
  },
  {
    id: 'pools',
    label: 'Pools',
    render: ({ client }) => <PoolsView client={client} />,
    in: 'live',
  },
  {
    id: 'queues',
    label: 'Queues',
    render: ({ client }) => <QueuesView client={client} />,
    in: 'live',
  },
  {
    id: 'hosts',
    label: 'Hosts',
    // The hosts list is this server's, whichever host the other views show.
    render: ({ local }) => <HostsView client={local} />,
    in: 'live',
  },
  {
    id: 'snapshot',
    label: 'Snapshot',
    render: ({ replay, replayAt }) => replay && <SnapshotView snap={replay} at={replayAt ?? null} />,
    in: 'replay',
  },
];

/** A snapshot being replayed, with the scrubber's position and the stores views read. */
interface Replay {
  snap: Snapshot;
  index: number;
  client: Client;
  stats: Stores['stats'];
  stores: Stores;
}

/**
 * Arrow keys, Home and End move between tabs and open the one they land on (WAI-ARIA tabs),
 * counted from the tab that has focus (a screen reader or a script can focus a tab that is not
 * the open one), or from the open one when focus is elsewhere in the list.
 */
function onTabKey(
  e: KeyboardEvent<HTMLElement>,
  views: ViewDef[],
  currentId: string,
  setView: (id: string) => void,
): void {
  const target =
    e.target instanceof HTMLElement && e.target.getAttribute('role') === 'tab' ? e.target.id : '';
  const focused = views.findIndex((v) => `tab-${v.id}` === target);
  const i = focused >= 0 ? focused : views.findIndex((v) => v.id === currentId);
  const next =
    e.key === 'ArrowRight'
      ? (i + 1) % views.length
      : e.key === 'ArrowLeft'
        ? (i - 1 + views.length) % views.length
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? views.length - 1
            : null;
  if (next === null) return;
  e.preventDefault();
  const id = views[next]!.id;
  setView(id);
  document.getElementById(`tab-${id}`)?.focus();
}

function initialView(): string {
  const fromHash = location.hash.slice(1);
  if (VIEWS.some((v) => v.id === fromHash)) return fromHash;
  return 'overview';
}

/** What the views show: this machine, or a remote host with its own client and stores. */
interface Scope {
  host: string;
  client: Client;
  stores: Stores;
}

/**
 * The window: tabs over the views. `local` (bound to this machine) and its `stores` were made
 * once at start (main.tsx), as was `hosts`; choosing a remote host makes its client and stores
 * in the event handler (never in render, where StrictMode would make a discarded second set),
 * and choosing another disposes them: their listeners go and their subscriptions end.
 */
export function App({
  client,
  local,
  stores,
  hosts: hostsStore,
}: {
  client: Client;
  local: Client;
  stores: Stores;
  hosts: HostsStore;
}) {
  const [scope, setScope] = useState<Scope>({ host: LOCAL_HOST, client: local, stores });
  const remote = useRef<ScopedClient | null>(null);
  const choose = (id: string): void => {
    if (id === scope.host) return;
    remote.current?.dispose();
    remote.current = null;
    if (id === LOCAL_HOST) return setScope({ host: LOCAL_HOST, client: local, stores });
    const c = scopeClient(client, id);
    remote.current = c;
    setScope({ host: id, client: c, stores: createStores(c) });
  };
  useEffect(() => () => remote.current?.dispose(), []);
  const hosts: HostsChoice = { store: hostsStore, current: scope.host, choose };
  const state = useSyncExternalStore(client.onState, client.state);
  const [view, setView] = useState(initialView);
  const [replay, setReplay] = useState<Replay | null>(null);
  const [serverReadOnly, setServerReadOnly] = useState(false);
  useEffect(() => {
    const load = async (): Promise<void> => {
      const r = await client.api.request('app.info', {});
      if (r.ok) setServerReadOnly(r.value.readOnly);
    };
    void load();
    return client.onReconnect(() => void load());
  }, [client]);
  const readOnly = replay
    ? 'viewing a snapshot — return to live to act'
    : serverReadOnly
      ? 'this Spindle server is read-only (--read-only)'
      : null;
  useEffect(() => {
    history.replaceState(null, '', `#${view}`);
  }, [view]);
  // A "pid" link in another view opens the Processes view on that process.
  useEffect(() => onShowProcess(() => setView('processes')), []);
  const views = VIEWS.filter((v) => v.in === 'both' || v.in === (replay ? 'replay' : 'live'));
  const current = views.find((v) => v.id === view) ?? views[0]!;
  const open = (snap: Snapshot): void => {
    const last = Math.max(0, snap.series.t.length - 1);
    const rc = replayClient(snap, local);
    const stats = new Store(replayState(snap, last));
    // Made once per opened snapshot, like the live ones at start; the replay client answers
    // reads from the file and refuses the rest, and pushes nothing.
    setReplay({ snap, index: last, client: rc, stats, stores: createStores(rc, { stats }) });
  };
  const scrub = (index: number): void => {
    if (!replay) return;
    replay.stats.set(replayState(replay.snap, index));
    setReplay({ ...replay, index });
  };
  const page = (
    <ReadOnlyContext.Provider value={readOnly}>
      <div className="app">
        <header className="topbar">
          <span className="brand">Spindle</span>
          <nav
            className="tabs"
            role="tablist"
            aria-label="Views"
            onKeyDown={(e) => onTabKey(e, views, current.id, setView)}
          >
            {views.map((v) => (
              <button
                key={v.id}
                id={`tab-${v.id}`}
                role="tab"
                aria-selected={v.id === current.id}
                aria-controls="view-panel"
                // Roving tabindex: Tab reaches the tab list once, arrows move within it.
                tabIndex={v.id === current.id ? 0 : -1}
                className={v.id === current.id ? 'tab active' : 'tab'}
                onClick={() => setView(v.id)}
              >
                {v.label}
              </button>
            ))}
          </nav>
          <HostPicker />
          <SnapshotMenu client={local} onOpen={open} />
          <span className={`conn conn-${state}`} data-testid="connection" data-state={state} role="status">
            {STATE_TEXT[state]}
          </span>
        </header>
        {!replay && <HostBanner />}
        {replay && (
          <ReplayBanner
            snap={replay.snap}
            index={replay.index}
            onScrub={scrub}
            onLive={() => setReplay(null)}
          />
        )}
        <main
          id="view-panel"
          className={replay ? 'view replaying' : 'view'}
          role="tabpanel"
          aria-label={current.label}
        >
          <Suspense fallback={<p className="muted view-loading">loading…</p>}>
            {replay ? (
              // A new key per snapshot: views rebuild their state from the replay client.
              <div key={replay.snap.createdAt}>
                {current.render({
                  client: replay.client,
                  local,
                  replay: replay.snap,
                  replayAt: replay.snap.series.t[replay.index],
                })}
              </div>
            ) : (
              // A new key per host: views rebuild their state from the host's client and stores.
              <Fragment key={scope.host}>{current.render({ client: scope.client, local })}</Fragment>
            )}
          </Suspense>
        </main>
      </div>
    </ReadOnlyContext.Provider>
  );
  return (
    <HostsContext.Provider value={hosts}>
      <StoresContext.Provider value={replay ? replay.stores : scope.stores}>{page}</StoresContext.Provider>
    </HostsContext.Provider>
  );
}
