import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './app';
import { syntheticClientFromUrl } from './features/overview/synthetic-client';
import './styles.css';

// `?bench=synthetic` feeds a synthetic machine for the renderer benchmark (bench/renderer.ts).
const client = syntheticClientFromUrl() ?? createClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
