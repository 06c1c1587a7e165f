/** Picks the transport at start: the preload's IPC bridge in Electron, else the WebSocket. */
import type { SpindleApi } from '../../../shared/contract';
import { WsClient, type ConnectionState } from './ws-client';

declare global {
  interface Window {
    spindle?: SpindleApi;
  }
}

export interface Client {
  api: SpindleApi;
  transport: 'electron' | 'web';
  state(): ConnectionState;
  onState(l: (s: ConnectionState) => void): () => void;
  onReconnect(l: () => void): () => void;
}

export function createClient(): Client {
  if (window.spindle) {
    const api = window.spindle;
    return {
      api,
      transport: 'electron',
      state: () => 'connected',
      onState: () => () => {},
      onReconnect: () => () => {},
    };
  }
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WsClient(`${proto}//${location.host}/ws`);
  return {
    api: ws,
    transport: 'web',
    state: () => ws.state,
    onState: (l) => ws.onState(l),
    onReconnect: (l) => ws.onReconnect(l),
  };
}
