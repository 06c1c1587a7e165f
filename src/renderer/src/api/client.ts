/** Picks the transport at start: the preload's IPC bridge in Electron, else the WebSocket. */
import type { SpindleApi } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { webSession } from './web-session';
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
  /** Web mode: a single-use link that downloads a snapshot in this format. */
  snapshotLink?(format: string): Promise<Result<string>>;
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
  const ws = new WsClient(`${proto}//${location.host}/ws`, webSession());
  return {
    api: ws,
    transport: 'web',
    state: () => ws.state,
    onState: (l) => ws.onState(l),
    onReconnect: (l) => ws.onReconnect(l),
    snapshotLink: (format) => ws.snapshotLink(format),
  };
}
