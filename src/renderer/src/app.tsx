import { useMemo, useSyncExternalStore } from 'react';
import type { Client } from './api/client';
import { CpuChart } from './features/stats/cpu-chart';
import { createStatsStore } from './features/stats/stats-store';
import { HostInfo } from './features/system/host-info';

const STATE_TEXT = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  'token-refused': 'token refused — open the URL Spindle printed',
} as const;

export function App({ client }: { client: Client }) {
  const stats = useMemo(() => createStatsStore(client), [client]);
  const state = useSyncExternalStore(client.onState, client.state);
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Spindle</span>
        <span className={`conn conn-${state}`} data-testid="connection" data-state={state} role="status">
          {STATE_TEXT[state]}
        </span>
      </header>
      <main className="grid">
        <HostInfo client={client} />
        <CpuChart store={stats} />
      </main>
    </div>
  );
}
