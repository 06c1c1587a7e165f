// Shared styles first, so each feature's stylesheet (imported by the feature) comes after them.
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/states.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, type Client } from './api/client';
import { App } from './app';
import { createStores } from './stores';
import { scopeClient } from './api/scoped-client';
import { createHostsStore } from './features/hosts/hosts-store';
import { LOCAL_HOST } from '../../shared/local-host';

/**
 * `?bench=synthetic` feeds a synthetic machine for the renderer benchmark (bench/renderer.ts).
 * Imported on demand, so the benchmark's generator is a separate chunk no normal start loads.
 */
async function pickClient(): Promise<Client> {
  if (new URLSearchParams(location.search).get('bench') !== 'synthetic') return createClient();
  const { syntheticClientFromUrl } = await import('./features/overview/synthetic-client');
  return syntheticClientFromUrl() ?? createClient();
}

void pickClient().then((client) => {
  // Once, outside React: StrictMode's double render must not make a second set. The local
  // stores hear only this machine's events (a chosen remote host's are tagged with its id).
  const local = scopeClient(client, LOCAL_HOST);
  const stores = createStores(local);
  const hosts = createHostsStore(client);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App client={client} local={local} stores={stores} hosts={hosts} />
    </StrictMode>,
  );
});
