import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { until } from '../../../shared/until';
import { WsClient } from './ws-client';

// Node 20 has no global WebSocket; ws's client has the same browser-style surface used here.
const g = globalThis as { WebSocket?: unknown };
const hadWebSocket = 'WebSocket' in g;
const original = g.WebSocket;
let server: WebSocketServer | null = null;

afterEach(async () => {
  if (hadWebSocket) g.WebSocket = original;
  else delete g.WebSocket;
  await new Promise((r) => server?.close(r) ?? r(null));
  server = null;
});

describe('WsClient', () => {
  it('when the server says it dropped events, resubscribes instead of applying the event after the hole', async () => {
    g.WebSocket = NodeWebSocket;
    const wss = (server = new WebSocketServer({ port: 0, handleProtocols: () => 'spindle.v1' }));
    await new Promise((r) => wss.once('listening', r));
    const sockets: ServerSocket[] = [];
    wss.on('connection', (s) => sockets.push(s));
    const { port } = wss.address() as { port: number };
    const client = new WsClient(`ws://127.0.0.1:${port}/ws`, Promise.resolve('session'));
    const seen: unknown[] = [];
    let resubscribed = 0;
    client.on('stats', (p) => seen.push(p));
    client.onReconnect(() => resubscribed++);
    const s = await until(() => sockets[0]);
    s.send(JSON.stringify({ event: 'stats', payload: 1 }));
    s.send(JSON.stringify({ event: 'stats', payload: 2, dropped: 2 })); // two events lost before this one
    s.send(JSON.stringify({ event: 'stats', payload: 3, dropped: 2 })); // nothing new lost
    await until(() => seen.length === 2);
    expect(seen).toEqual([1, 3]);
    expect(resubscribed).toBe(1);
    s.close();
  });
});
