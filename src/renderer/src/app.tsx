import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Client } from './api/client';
import { CpuChart } from './features/stats/cpu-chart';
import { createStatsStore } from './features/stats/stats-store';
import type { FrameStore } from './lib/frame-store';
import type { StatsState } from './features/stats/stats-store';
import { HostInfo } from './features/system/host-info';

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
    render: ({ client, stats }) => (
      <div className="grid">
        <HostInfo client={client} />
        <CpuChart store={stats} />
      </div>
    ),
  },
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
