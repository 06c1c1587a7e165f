/** Picks the transport at start: the preload's IPC bridge in Electron, else the WebSocket. */
import type { SpindleApi } from '../../../shared/contract';
import type { Client } from './client-types';
import { webSession } from './web-session';
import { WsClient } from './ws-client';

declare global {
  interface Window {
    spindle?: SpindleApi;
  }
}

export type { Client } from './client-types';

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
