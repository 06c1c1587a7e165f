import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Client } from './api/client';
import { createStatsStore } from './features/stats/stats-store';
import type { FrameStore } from './lib/frame-store';
import type { StatsState } from './features/stats/stats-store';
import { OverviewView } from './features/overview/overview-view';
import { ProcessesView } from './features/processes/processes-view';
import { SupervisorView } from './features/supervisor/supervisor-view';
import { PoolsView } from './features/pools/pools-view';

const STATE_TEXT = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  'token-refused': 'token refused — open the URL Spindle printed',
} as const;

/** What every view receives. */
export interface ViewProps {
  client: Client;
  stats: FrameStore<StatsState>;
}

/** The views, in tab order. Each area adds one line here. */
const VIEWS: { id: string; label: string; render: (p: ViewProps) => ReactNode }[] = [
  {
    id: 'overview',
    label: 'Overview',
    render: ({ client, stats }) => <OverviewView client={client} stats={stats} />,
  },
  { id: 'processes', label: 'Processes', render: ({ client, stats }) => <ProcessesView client={client} stats={stats} /> },
  {
    id: 'managed',
    label: 'Managed',
    render: ({ client, stats }) => <SupervisorView client={client} stats={stats} />,
  },
  { id: 'pools', label: 'Pools', render: ({ client, stats }) => <PoolsView client={client} stats={stats} /> },
];

function initialView(): string {
  const fromHash = location.hash.slice(1);
  if (VIEWS.some((v) => v.id === fromHash)) return fromHash;
  return 'overview';
}

export function App({ client }: { client: Client }) {
  const stats = useMemo(() => createStatsStore(client), [client]);
  const state = useSyncExternalStore(client.onState, client.state);
  const [view, setView] = useState(initialView);
  useEffect(() => {
    history.replaceState(null, '', `#${view}`);
  }, [view]);
  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0]!;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Spindle</span>
        <nav className="tabs" role="tablist" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              role="tab"
              aria-selected={v.id === current.id}
              className={v.id === current.id ? 'tab active' : 'tab'}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </nav>
        <span className={`conn conn-${state}`} data-testid="connection" data-state={state} role="status">
          {STATE_TEXT[state]}
        </span>
      </header>
      <main className="view" role="tabpanel" aria-label={current.label}>
        {current.render({ client, stats })}
      </main>
    </div>
  );
}
